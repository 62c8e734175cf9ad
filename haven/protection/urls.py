from django.urls import path

from haven.protection import views

app_name = "protection"
urlpatterns = [
    path("", views.protection_list, name="list"),
    path("start/", views.start, name="start"),
    path("<str:public_id>/", views.detail, name="detail"),
    path("<str:public_id>/designated-officer/", views.appoint, name="appoint"),
    path("<str:public_id>/accommodation/", views.accommodation, name="accommodation"),
    path("<str:public_id>/accommodation/address/", views.refuge, name="refuge"),
    path("<str:public_id>/notifications/", views.notification, name="notification"),
    path("<str:public_id>/inquiry/", views.inquiry, name="inquiry"),
    path("<str:public_id>/contact/", views.contact, name="contact"),
    path("<str:public_id>/epo/", views.epo, name="epo"),
    path("<str:public_id>/epo/decision/", views.epo_decision, name="epo-decision"),
    path("<str:public_id>/strategy-discussion/", views.strategy, name="strategy"),
    path("<str:public_id>/end/", views.end, name="end"),
]
