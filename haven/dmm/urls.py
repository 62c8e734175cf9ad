from django.urls import path

from haven.dmm import views

app_name = "dmm"
urlpatterns = [
    path("", views.board, name="board"),
    path("refresh/", views.board_refresh, name="refresh"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/start/", views.meeting_start, name="meeting-start"),
    path("meetings/<str:public_id>/", views.meeting_detail, name="meeting"),
    path("meetings/<str:public_id>/decide/", views.decision, name="decide"),
    path("meetings/<str:public_id>/close/", views.meeting_close, name="meeting-close"),
    path("meetings/<str:public_id>/pack.pdf", views.pack, name="pack"),
    path("meetings/<str:public_id>/actions/<str:action_id>/done/", views.action_done, name="action-done"),
    path("meetings/<str:public_id>/actions/<str:action_id>/cancel/", views.action_cancel, name="action-cancel"),
]
