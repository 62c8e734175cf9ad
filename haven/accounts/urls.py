from django.urls import path

from haven.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    # These three take the place of mfa:auth, mfa:create and mfa:delete (same addresses; included before mfa's).
    path("second-factor/auth/<str:method>/", views.second_factor, name="second-factor"),
    path("second-factor/create/<str:method>/", views.second_factor_create, name="second-factor-create"),
    path("second-factor/<int:pk>/delete/", views.second_factor_delete, name="second-factor-delete"),
    path("second-factor/confirm/", views.second_factor_confirm, name="second-factor-confirm"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("set-password/<uidb64>/<token>/", views.set_password, name="set-password"),
    path("session/keepalive/", views.keepalive, name="keepalive"),
    path("account/", views.profile, name="profile"),
    path("account/tokens/new/", views.token_create, name="token-create"),
    path("account/tokens/<str:public_id>/revoke/", views.token_revoke, name="token-revoke"),
    path("duty/", views.duty_index, name="duty-index"),
    path("duty/teams/<str:public_id>/", views.duty_team, name="duty-team"),
    path("duty/teams/<str:public_id>/set/", views.duty_set, name="team-duty"),
    path("duty/<str:public_id>/end/", views.duty_end, name="duty-end"),
    path("administration/", views.admin_index, name="admin-index"),
    path("administration/users/", views.user_list, name="admin-user-list"),
    path("administration/users/new/", views.user_create, name="admin-user-create"),
    path("administration/users/<str:public_id>/", views.user_edit, name="admin-user-edit"),
    path(
        "administration/users/<str:public_id>/reset-second-factor/",
        views.user_reset_second_factor,
        name="admin-user-reset-mfa",
    ),
    path(
        "administration/users/<str:public_id>/send-password-link/",
        views.user_send_password_link,
        name="admin-user-send-password-link",
    ),
    path("administration/users/<str:public_id>/unlock/", views.user_unlock, name="admin-user-unlock"),
    path(
        "administration/users/<str:public_id>/roles/request/", views.role_grant_request, name="admin-role-grant-request"
    ),
    path("administration/role-grants/", views.role_grant_list, name="admin-role-grant-list"),
    path("administration/role-grants/<str:public_id>/", views.role_grant_detail, name="admin-role-grant"),
    path(
        "administration/role-grants/<str:public_id>/approve/",
        views.role_grant_approve,
        name="admin-role-grant-approve",
    ),
    path("administration/role-grants/<str:public_id>/refuse/", views.role_grant_refuse, name="admin-role-grant-refuse"),
    path("administration/teams/", views.team_list, name="admin-team-list"),
    path("administration/teams/new/", views.team_create, name="admin-team-create"),
    path("administration/teams/<str:public_id>/", views.team_edit, name="admin-team-edit"),
    path("administration/ranks/", views.rank_list, name="admin-rank-list"),
    path("administration/ranks/new/", views.rank_create, name="admin-rank-create"),
    path("administration/ranks/<str:public_id>/", views.rank_edit, name="admin-rank-edit"),
    path("administration/roles/", views.role_list, name="admin-role-list"),
]
