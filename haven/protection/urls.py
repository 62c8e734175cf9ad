from django.urls import URLPattern

app_name = "protection"
urlpatterns: list[URLPattern] = []
