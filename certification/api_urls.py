"""REST routes of the certification app, mounted under /api/certification/."""

from django.urls import path

from certification import api

urlpatterns = [
    path("verify/<str:number>/<str:code>/", api.VerifyView.as_view(), name="cert-api-verify"),
    path("machines/<int:pk>/passport/", api.PassportView.as_view(), name="cert-api-passport"),
    path("reports/", api.ReportListView.as_view(), name="cert-api-reports"),
    path("reports/<int:pk>/submit/", api.ReportSubmitView.as_view(), name="cert-api-report-submit"),
    path("certificates/", api.CertificateListView.as_view(), name="cert-api-certificates"),
    path(
        "certificates/<int:pk>/issue/",
        api.CertificateIssueView.as_view(),
        name="cert-api-certificate-issue",
    ),
    path(
        "certificates/<int:pk>/revoke/",
        api.CertificateRevokeView.as_view(),
        name="cert-api-certificate-revoke",
    ),
    path("requests/", api.RequestCreateView.as_view(), name="cert-api-requests"),
    path(
        "requests/<int:pk>/accept/", api.RequestAcceptView.as_view(), name="cert-api-request-accept"
    ),
]
