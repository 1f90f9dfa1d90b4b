from django.urls import path

from oversight.web import administration, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("supervision/", views.supervision, name="supervision"),
    path("language/", views.set_language, name="language"),
    path("alerts/<int:alert_id>/read/", views.acknowledge_alert, name="acknowledge_alert"),
    path("health/", views.health, name="health"),
    path("accounts/", administration.account_list, name="account_list"),
    path("accounts/new/", administration.account_new, name="account_new"),
    path("accounts/<int:user_id>/", administration.account_detail, name="account"),
    path("accounts/<int:user_id>/roles/", administration.grant_role, name="grant_role"),
    path("accounts/<int:user_id>/roles/<int:grant_id>/remove/", administration.remove_role, name="remove_role"),
    path("accounts/<int:user_id>/disable/", administration.disable_account, name="disable"),
    path("accounts/<int:user_id>/enable/", administration.enable_account, name="enable"),
    path("accounts/<int:user_id>/unlock/", administration.unlock_account, name="unlock"),
    path("accounts/<int:user_id>/reset-sign-in/", administration.reset_sign_in, name="reset_sign_in"),
]
