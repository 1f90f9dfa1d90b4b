from django.urls import path

from oversight.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/second-factor/", views.second_factor, name="second_factor"),
    path("sign-out/", views.sign_out, name="sign_out"),
]
