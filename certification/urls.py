"""HTML routes of the certification app (public verification pages live in verify_urls)."""

from django.urls import path

from certification import photo_views, views

app_name = "certification"
urlpatterns = [
    path("", views.index, name="index"),
    path("rules/", views.grading_rules, name="rules"),
    path("machines/<int:pk>/passport/", views.passport, name="passport"),
    path("machines/<int:pk>/passport.json", views.passport_json, name="passport_json"),
    path("machines/<int:machine_id>/request/", views.request_create, name="request_create"),
    path("machines/<int:machine_id>/report/", views.report_start, name="report_start"),
    path(
        "machines/<int:machine_id>/certificate/",
        views.certificate_create,
        name="certificate_create",
    ),
    path("requests/<int:pk>/accept/", views.request_accept, name="request_accept"),
    path("requests/<int:pk>/decline/", views.request_decline, name="request_decline"),
    path("requests/<int:pk>/cancel/", views.request_cancel, name="request_cancel"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/photos/", views.report_photo_add, name="report_photo_add"),
    path("reports/<int:pk>/correct/", views.report_correct, name="report_correct"),
    path("reports/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("photos/<path:name>", photo_views.photo, name="photo"),
    path("certificates/<int:pk>/", views.certificate_detail, name="certificate_detail"),
    path("certificates/<int:pk>/edit/", views.certificate_edit, name="certificate_edit"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("certificates/<int:pk>/correct/", views.certificate_correct, name="certificate_correct"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf, name="certificate_pdf"),
]
