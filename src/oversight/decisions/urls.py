from django.urls import path

from oversight.decisions import views

app_name = "decisions"

urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("decisions/<int:decision_id>/", views.decision_page, name="decision"),
    path("decisions/<int:decision_id>/edit/", views.edit, name="edit"),
    path("decisions/<int:decision_id>/<str:action>/", views.act, name="act"),
    path("cases/<int:case_id>/decisions/new/", views.draft, name="draft"),
]
