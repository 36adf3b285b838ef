"""Site URLs of the accounts app. allauth's own pages (signup, e-mail confirmation, password
reset) are mounted next to these under the same ``/accounts/`` prefix (config/urls.py); the
login and logout pages keep the names ``accounts:login`` and ``accounts:logout``."""

from allauth.account import views as allauth_views
from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", allauth_views.login, name="login"),
    path("logout/", allauth_views.logout, name="logout"),
    path("register/", views.register_redirect, name="register"),
    path("organizations/new/", views.organization_register_view, name="organization_register"),
    path("organizations/<int:pk>/kyc/", views.organization_kyc, name="organization_kyc"),
    path(
        "organizations/<int:pk>/licence/", views.organization_licence, name="organization_licence"
    ),
    path(
        "organizations/<int:pk>/members/", views.organization_members, name="organization_members"
    ),
    path(
        "organizations/<int:pk>/members/<int:membership_pk>/role/",
        views.membership_role,
        name="membership_role",
    ),
    path(
        "organizations/<int:pk>/members/<int:membership_pk>/remove/",
        views.membership_delete,
        name="membership_remove",
    ),
    path(
        "organizations/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        views.invitation_cancel,
        name="invitation_revoke",
    ),
    path("invitations/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
]
