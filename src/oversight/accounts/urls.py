from django.urls import path

from oversight.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/second-factor/", views.second_factor, name="second_factor"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("sign-in/security-key/options/", views.security_key_sign_in_options, name="security_key_sign_in_options"),
    path("sign-in/security-key/", views.security_key_sign_in, name="security_key_sign_in"),
    path("account/security/", views.account_security, name="security"),
    path("account/security/password/", views.change_password, name="change_password"),
    path("account/security/keys/options/", views.security_key_registration_options, name="security_key_options"),
    path("account/security/keys/", views.security_key_register, name="security_key_register"),
]
