from django.urls import path

from oversight.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("supervision/", views.supervision, name="supervision"),
    path("language/", views.set_language, name="language"),
    path("alerts/<int:alert_id>/read/", views.acknowledge_alert, name="acknowledge_alert"),
    path("health/", views.health, name="health"),
]
