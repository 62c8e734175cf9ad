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
    path("<str:public_id>/photo/", views.photo, name="photo"),
    path("<str:public_id>/photo/upload/", views.photo_upload, name="photo-upload"),
    path("<str:public_id>/break-glass/", views.break_glass, name="break-glass"),
    path("<str:public_id>/restriction/", views.restriction, name="restriction"),
    path("<str:public_id>/refuge/", views.refuge, name="refuge"),
    path("<str:public_id>/<str:record>/<str:record_id>/change/", views.record_change, name="record-change"),
    path("<str:public_id>/<str:record>/<str:record_id>/remove/", views.record_remove, name="record-remove"),
    path("<str:public_id>/<str:record>/<str:record_id>/end/", views.record_end, name="record-end"),
]
