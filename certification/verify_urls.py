"""Public verification pages, mounted by the project at /verify/ (namespace ``verify``)."""

from django.urls import path

from certification import views

app_name = "verify"
urlpatterns = [
    path("", views.verify_lookup, name="lookup"),
    path("<str:number>/<str:code>/", views.verify_document, name="certificate"),
    path("<str:number>/<str:code>/pdf/", views.verify_document_pdf, name="certificate_pdf"),
]
