from django.urls import URLPattern, path

from haven.partners import views

app_name = "partners"
urlpatterns: list[URLPattern] = [
    path("", views.portal, name="portal"),
    path("items/<uuid:public_id>/", views.item, name="item"),
]
