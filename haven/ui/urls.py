from django.urls import path

from haven.ui import views

app_name = "ui"
urlpatterns = [
    path("", views.home, name="home"),
]
