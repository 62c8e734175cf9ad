from django.urls import path

from haven.people import views

app_name = "people"
urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.person_create, name="create"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("merges/<str:public_id>/", views.merge_detail, name="merge-detail"),
    path("merges/<str:public_id>/undo/", views.unmerge, name="unmerge"),
    path("<str:public_id>/", views.person_detail, name="detail"),
    path("<str:public_id>/edit/", views.person_edit, name="edit"),
    path("<str:public_id>/add/<str:record>/", views.record_add, name="record-add"),
    path("<str:public_id>/merge/<str:other_id>/", views.person_merge, name="merge"),
]
