from django.urls import path

from haven.custody import views

app_name = "custody"
urlpatterns = [
    path("", views.detention_list, name="list"),
    path("new/", views.new, name="new"),
    path("report/", views.report, name="report"),
    path("<str:public_id>/", views.detail, name="detail"),
    path("<str:public_id>/appropriate-adult/", views.aa, name="aa"),
    path("<str:public_id>/welfare/", views.welfare, name="welfare"),
    path("<str:public_id>/cell/", views.cell, name="cell"),
    path("<str:public_id>/interview/", views.interview, name="interview"),
    path("<str:public_id>/review/", views.review, name="review"),
    path("<str:public_id>/extension/", views.extension, name="extension"),
    path("<str:public_id>/charge/", views.charge, name="charge"),
    path("<str:public_id>/accommodation-request/", views.la_request, name="la-request"),
    path("<str:public_id>/accommodation-response/", views.la_response, name="la-response"),
    path("<str:public_id>/certificate/", views.certificate, name="certificate"),
    path("<str:public_id>/certificate/review/", views.certificate_review, name="certificate-review"),
    path("<str:public_id>/certificate.pdf", views.certificate_pdf, name="certificate-pdf"),
    path("<str:public_id>/end/", views.end, name="end"),
]
