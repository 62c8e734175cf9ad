from django.urls import path

from haven.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_open, name="open"),
    path("queue/", views.queue, name="queue"),
    path("<str:public_id>/", views.case_detail, name="detail"),
    path("<str:public_id>/edit/", views.case_edit, name="edit"),
    path("<str:public_id>/notes/", views.note_add, name="note-add"),
    path("<str:public_id>/handover/", views.handover, name="handover"),
    path("<str:public_id>/allocate/", views.allocate, name="allocate"),
    path("<str:public_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<str:public_id>/break-glass/", views.break_glass, name="break-glass"),
    path("<str:public_id>/close/", views.close, name="close"),
    path("<str:public_id>/reopen/", views.reopen, name="reopen"),
    path("<str:public_id>/members/", views.members, name="members"),
]
