from django.urls import path

from haven.triggerplans import views

app_name = "triggerplans"
urlpatterns = [
    path("", views.plan_lists, name="list"),
    path("child/<str:person_id>/", views.child_plan, name="child"),
    path("child/<str:person_id>/new/", views.plan_create, name="create"),
    path("<str:public_id>/revise/", views.plan_revise, name="revise"),
    path("<str:public_id>/review/", views.plan_review, name="review"),
    path("<str:public_id>/versions/<int:number>/", views.version_detail, name="version"),
]
