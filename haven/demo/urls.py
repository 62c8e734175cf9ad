from django.urls import path

from haven.demo import mail

app_name = "demo"
urlpatterns = [
    path("mail/", mail.mail_list, name="mail"),
    path("mail/<str:name>/", mail.mail_message, name="mail-message"),
]
