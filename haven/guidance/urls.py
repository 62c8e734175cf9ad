from django.urls import path

from haven.guidance import views

app_name = "guidance"
urlpatterns = [
    path("", views.library, name="library"),
    path("new/", views.item_create, name="create"),
    path("<str:public_id>/", views.item_detail, name="item"),
    path("<str:public_id>/read/", views.item_read, name="read"),
    path("<str:public_id>/versions/new/", views.item_publish, name="publish"),
    path("<str:public_id>/required/", views.item_require, name="require"),
    path("<str:public_id>/retire/", views.item_retire, name="retire"),
]
