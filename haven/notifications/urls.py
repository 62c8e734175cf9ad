from django.urls import path

from haven.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("count/", views.inbox_count, name="count"),
    path("read-all/", views.read_all, name="read-all"),
    path("<str:public_id>/open/", views.open_link, name="open"),
    path("<str:public_id>/read/", views.mark_read, name="read"),
    path("<str:public_id>/acknowledge/", views.acknowledge, name="acknowledge"),
]
