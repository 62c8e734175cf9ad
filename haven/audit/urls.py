from django.urls import path

from haven.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.csv", views.export, name="export"),
    path("people/", views.people, name="people"),
    path("alerts/", views.alerts, name="alerts"),
    path("subject-access/", views.subject_access_start, name="subject-access-start"),
    path("subject-access/<str:public_id>/", views.subject_access, name="subject-access"),
    path("subject-access/<str:public_id>/print/", views.subject_access_print, name="subject-access-print"),
]
