from django.urls import URLPattern, path

from haven.partners import views

app_name = "partners"
urlpatterns: list[URLPattern] = [
    path("", views.portal, name="portal"),
    path("items/<uuid:public_id>/", views.item, name="item"),
    path("items/<uuid:public_id>/decision/", views.decide, name="decide"),
    path("items/<uuid:public_id>/return-interview/", views.rhi_outcome, name="rhi-outcome"),
    path("agencies/", views.agencies, name="agencies"),
    path("agencies/new/", views.agency_create, name="agency-create"),
    path("agencies/<uuid:public_id>/", views.agency, name="agency"),
    path("agencies/<uuid:public_id>/change/", views.agency_edit, name="agency-edit"),
    path("agencies/<uuid:public_id>/members/new/", views.member_add, name="member-add"),
]
