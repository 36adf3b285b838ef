"""HTML routes of the leasing app."""

from django.urls import path

from leasing import views

app_name = "leasing"
urlpatterns = [
    path("products/", views.product_list, name="product_list"),
    path("products/new/", views.product_create, name="product_create"),
    path("products/<int:pk>/edit/", views.product_edit, name="product_edit"),
    path("products/<int:pk>/toggle/", views.product_toggle, name="product_toggle"),
    path("listings/<int:listing_id>/apply/", views.listing_apply, name="listing_apply"),
    path("preapproval/", views.preapproval_apply, name="preapproval_apply"),
    path(
        "machines/<int:machine_id>/sale-leaseback/",
        views.sale_leaseback_apply,
        name="sale_leaseback_apply",
    ),
    path("applications/", views.application_list, name="application_list"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/documents/<int:document_id>/",
        views.application_document_download,
        name="application_document",
    ),
    path(
        "applications/<int:pk>/<slug:action>/",
        views.application_action,
        name="application_action",
    ),
    path("contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/pdf/", views.contract_download, name="contract_pdf"),
    path("contracts/<int:pk>/release/", views.contract_release, name="contract_release"),
]
