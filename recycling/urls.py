"""HTML routes of the recycling app."""

from django.urls import path

from recycling import views

app_name = "recycling"
urlpatterns = [
    path("", views.request_list, name="request_list"),
    path("machines/<int:machine_id>/request/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/quote/", views.quote_submit, name="quote_submit"),
    path("requests/<int:pk>/cancel/", views.request_cancel, name="request_cancel"),
    path("requests/<int:pk>/complete/", views.request_complete, name="request_complete"),
    path("quotes/<int:pk>/accept/", views.quote_accept, name="quote_accept"),
    path(
        "requests/<int:pk>/certificate/revoke/",
        views.certificate_revoke,
        name="certificate_revoke",
    ),
]
