"""Absolute URLs follow the address the site is served at: the request's host and port where
there is a request (pages, PDFs, QR codes), SITE_URL where there is none (e-mails from the
worker). They used to point at port 8000 whatever the address."""

import io
from unittest import mock

import pytest
from django.core import mail
from django.test import RequestFactory
from pypdf import PdfReader

from certification.tests.factories import issued_certificate, machine_for, submitted_report
from core.documents import verify_path
from core.urls_absolute import absolute_url
from notifications.services import notification_send

pytestmark = pytest.mark.django_db

HOST = "testserver:8123"


@pytest.fixture
def machine(dealer_org):
    return machine_for(dealer_org, year_of_manufacture=2020)


def test_absolute_url_uses_the_request_then_site_url(settings):
    settings.SITE_URL = "http://demo.example:9001/"
    request = RequestFactory().get("/", headers={"host": HOST})
    assert absolute_url("/verify/X/Y/", request) == "http://testserver:8123/verify/X/Y/"
    assert absolute_url("/verify/X/Y/") == "http://demo.example:9001/verify/X/Y/"
    assert absolute_url("https://cdn.example/a.png", request) == "https://cdn.example/a.png"


def test_public_certificate_page_qr_and_pdf_use_the_served_host_and_port(
    client, machine, certifier_org, inspector
):
    certificate = issued_certificate(machine=machine, certifier=certifier_org, inspector=inspector)
    path = verify_path(certificate)
    expected = f"http://{HOST}{path}"
    with mock.patch("certification.views.verification.qr_data_uri", return_value="data:,") as qr:
        response = client.get(path + "pdf/", headers={"host": HOST})
    assert response.status_code == 200
    qr.assert_called_once_with(expected)  # the QR code encodes the served address
    response = client.get(path + "pdf/", headers={"host": HOST})
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert expected in text.replace("\n", "")
    assert ":8000" not in text


def test_owner_share_link_and_qr_use_the_served_host_and_port(
    client, dealer, machine, certifier_org, inspector
):
    report = submitted_report(machine=machine, certifier=certifier_org, inspector=inspector)
    client.force_login(dealer)
    expected = f"http://{HOST}{verify_path(report)}"
    with mock.patch("certification.views.reports.qr_data_uri", return_value="data:,") as qr:
        response = client.get(f"/certification/reports/{report.pk}/", headers={"host": HOST})
    assert response.status_code == 200
    assert expected in response.content.decode()  # the share link shown to the owner
    qr.assert_called_once_with(expected)
    assert ":8000" not in response.content.decode()


def test_email_link_without_a_request_uses_site_url(
    settings, dealer, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://demo.example:9001"
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipient=dealer, kind="test", title="新消息", body="内容", url="/y/")
    assert mail.outbox[0].body == "内容\n\nhttp://demo.example:9001/y/"
