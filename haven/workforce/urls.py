from django.urls import path

from haven.workforce import report_views, views

app_name = "workforce"
urlpatterns = [
    path("", views.my_record, name="mine"),
    path("team/", views.team, name="team"),
    path("report/", report_views.force_report, name="report"),
    path("report/<str:table>.csv", report_views.force_report_csv, name="report-csv"),
    path("report.xlsx", report_views.force_report_xlsx, name="report-xlsx"),
    path("capacity/", report_views.capacity, name="capacity"),
    path("capacity/teams/<str:team_id>/establishment/", report_views.establishment_set, name="establishment"),
    path("import/", views.qualifications_import, name="import"),
    path("officers/<str:public_id>/", views.officer_record, name="officer"),
    path("officers/<str:public_id>/qualifications/", views.qualification_record, name="qualification-record"),
    path("officers/<str:public_id>/training/", views.competence_start, name="competence-start"),
    path("officers/<str:public_id>/training/assessment/", views.competence_assess, name="competence-assess"),
    path("officers/<str:public_id>/training/sign-off/", views.competence_sign_off, name="competence-sign-off"),
    path("officers/<str:public_id>/training/withdrawal/", views.competence_withdraw, name="competence-withdraw"),
    path("officers/<str:public_id>/overrides/", views.override_grant, name="override-grant"),
]
