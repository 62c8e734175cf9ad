from django.urls import path

from haven.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("queue/", views.queue, name="queue"),
    path("report/", views.report, name="report"),
    path("new/", views.new, name="new"),
    path("start/", views.start, name="start"),
    path("strategy-discussions/new/", views.strategy_new, name="strategy-new"),
    path("strategy-discussions/<str:public_id>/", views.strategy, name="strategy"),
    path("<str:public_id>/", views.detail, name="detail"),
    path("<str:public_id>/edit/", views.edit, name="edit"),
    path("<str:public_id>/people/", views.people, name="people"),
    path("<str:public_id>/people/remove/", views.person_remove, name="person-remove"),
    path("<str:public_id>/submit/", views.submit_referral, name="submit"),
    path("<str:public_id>/correct/", views.correct, name="correct"),
    path("<str:public_id>/allocate/", views.allocate, name="allocate"),
    path("<str:public_id>/rate/", views.rate, name="rate"),
    path("<str:public_id>/review/", views.review, name="review"),
    path("<str:public_id>/decide/", views.decide, name="decide"),
    path("<str:public_id>/approve/", views.approve, name="approve"),
    path("<str:public_id>/research/", views.research, name="research"),
]
