"""The dashboard page at /dashboard/ (namespace ``dashboard``): the user's organizations,
then the sections every app contributes through core.dashboard."""

from django.urls import path

from accounts import views

app_name = "dashboard"
urlpatterns = [path("", views.dashboard, name="index")]
