from django.urls import path

from haven.policy import views

app_name = "policy"
urlpatterns = [
    path("", views.policy_list, name="list"),
    path("history/", views.policy_history, name="history"),
    path("<str:key>/", views.policy_edit, name="edit"),
    path("<str:key>/reset/", views.policy_reset, name="reset"),
]
