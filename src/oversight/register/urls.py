from django.urls import path

from oversight.register import views

app_name = "register"

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.new_case, name="new_case"),
    path("cases/break-glass/", views.break_glass, name="break_glass"),
    path("cases/<int:case_id>/participants/", views.add_participant, name="add_participant"),
    path("cases/<int:case_id>/", views.case_card, name="case_card"),
    path("cases/<int:case_id>/investigator/", views.reassign_investigator, name="reassign_investigator"),
    path("cases/<int:case_id>/procedural-prosecutor/", views.assign_prosecutor, name="assign_prosecutor"),
    path("cases/<int:case_id>/petitions/", views.file_petition, name="file_petition"),
    path("cases/<int:case_id>/release/", views.release_person, name="release_person"),
    path("cases/<int:case_id>/resume/", views.resume_terms, name="resume_terms"),
    path("cases/<int:case_id>/petitions/<int:petition_id>/decision/", views.decide_petition, name="decide_petition"),
]
