from django.urls import path

from oversight.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("findings/", views.findings, name="findings"),
    path("findings/roll-up/", views.rollup, name="rollup"),
    path("findings/<int:finding_id>/", views.finding_page, name="finding"),
    path("findings/<int:finding_id>/<str:action>/", views.answer, name="answer"),
]
