from django.urls import path

from haven.deadlines import views

app_name = "deadlines"
urlpatterns = [
    path("", views.deadline_list, name="list"),
    path("home/<str:which>/", views.section_refresh, name="home-section"),
]
