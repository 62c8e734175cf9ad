from django.urls import path

from haven.missing import views

app_name = "missing"
urlpatterns = [
    path("", views.episode_list, name="list"),
    path("report/", views.report_start, name="report"),
    path("sightings/new/", views.sighting_report, name="sighting-report"),
    path("sightings/unmatched/", views.sightings_unmatched, name="sightings-unmatched"),
    path("report/<str:person_id>/", views.report_child, name="report-child"),
    path("enquiries/<str:public_id>/allocate/", views.enquiry_allocate, name="enquiry-allocate"),
    path("enquiries/<str:public_id>/result/", views.enquiry_result, name="enquiry-result"),
    path("enquiries/<str:public_id>/cancel/", views.enquiry_cancel, name="enquiry-cancel"),
    path("<str:public_id>/", views.episode_detail, name="detail"),
    path("<str:public_id>/grade/", views.grade, name="grade"),
    path("<str:public_id>/obligations/", views.obligation, name="obligation"),
    path("<str:public_id>/investigating-officer/", views.investigating_officer, name="investigating-officer"),
    path("<str:public_id>/enquiries/new/", views.enquiry_new, name="enquiry-new"),
    path("<str:public_id>/plan-actions/", views.plan_actions, name="plan-actions"),
    path("<str:public_id>/review/", views.review, name="review"),
    path("<str:public_id>/found/", views.found, name="found"),
    path("<str:public_id>/prevention-interview/", views.prevention, name="prevention"),
    path("<str:public_id>/prevention-waiver/", views.waive, name="waive"),
    path("<str:public_id>/return-interview/", views.rhi, name="rhi"),
    path("<str:public_id>/exploitation/", views.exploitation, name="exploitation"),
    path("<str:public_id>/close/", views.close, name="close"),
    path("<str:public_id>/cancel/", views.cancel, name="cancel"),
    path("<str:public_id>/escalate/", views.escalate, name="escalate"),
    path("<str:public_id>/deceased/", views.deceased, name="deceased"),
    path("<str:public_id>/briefing.pdf", views.briefing, name="briefing"),
    path("<str:public_id>/sighting/", views.sighting, name="sighting"),
]
