from django.urls import path

from haven.workforce import views

app_name = "workforce"
urlpatterns = [
    path("", views.my_record, name="mine"),
    path("team/", views.team, name="team"),
    path("officers/<str:public_id>/", views.officer_record, name="officer"),
]
