"""KYC documents: private storage under server-chosen names, checked by content, and served
only to those who may open the application (applicant, its lessor, platform staff)."""

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from rest_framework.test import APIClient

from accounts.models import OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, member_of
from core.errors import DomainError
from core.storage import private_storage
from core.tests.documents import (
    ACTIVE_PDF_KINDS,
    disguised_html,
    pdf_bytes,
    pdf_upload,
    pdf_with,
    svg_upload,
)
from leasing import services
from leasing.models import LeaseDocument
from leasing.tests.factories import LeaseApplicationFactory

NAME = re.compile(r"leasing/documents/\d{4}/\d{2}/[A-Za-z0-9_-]{24}\.(pdf|png)")


@pytest.fixture
def application(product, listing, buyer_org, buyer):
    return LeaseApplicationFactory(
        product=product, listing=listing, applicant=buyer_org, submitted_by=buyer, documents=False
    )


def stored_files(settings) -> list[Path]:
    roots = [Path(settings.PRIVATE_MEDIA_ROOT), Path(settings.MEDIA_ROOT)]
    return [path for root in roots if root.exists() for path in root.rglob("*") if path.is_file()]


def add(application, actor, upload, kind="business_license"):
    return services.application_document_add(
        actor=actor, application=application, kind=kind, upload=upload
    )


class TestUpload:
    def test_pdf_is_stored_privately_under_a_random_pdf_name(self, application, buyer, settings):
        document = add(application, buyer, pdf_upload("营业执照.html"))
        assert NAME.fullmatch(document.file.name)
        assert document.file.name.endswith(".pdf")
        assert "营业执照" not in document.file.name
        assert (document.content_type, document.size) == ("pdf", len(pdf_bytes()))
        assert document.file.storage is private_storage()
        assert stored_files(settings) == [Path(settings.PRIVATE_MEDIA_ROOT) / document.file.name]

    @pytest.mark.parametrize(
        ("upload", "message"),
        [
            (disguised_html(), "文件不是有效的 PDF。"),
            (svg_upload(), "文件必须是 PDF 或图片（JPEG、PNG、WebP）。"),
            *[
                (pdf_upload(data=pdf_with(kind)), "PDF 含有脚本、附件或其他可执行内容，不能接受。")
                for kind in ACTIVE_PDF_KINDS
            ],
        ],
        ids=["evil.html", "svg", *ACTIVE_PDF_KINDS],
    )
    def test_refused_upload_stores_nothing(self, application, buyer, settings, upload, message):
        with pytest.raises(DomainError) as excinfo:
            add(application, buyer, upload)
        assert excinfo.value.fields == {"file": [message]}
        assert LeaseDocument.objects.count() == 0
        assert stored_files(settings) == []

    def test_file_is_removed_when_the_transaction_rolls_back(self, application, buyer, settings):
        with pytest.raises(RuntimeError), transaction.atomic():
            add(application, buyer, pdf_upload())
            assert len(stored_files(settings)) == 1
            raise RuntimeError
        assert LeaseDocument.objects.count() == 0
        assert stored_files(settings) == []

    def test_html_page_refused_over_the_form(self, client, application, buyer, settings):
        client.force_login(buyer)
        response = client.post(
            f"/leasing/applications/{application.pk}/document/",
            {"kind": "business_license", "file": disguised_html()},
            follow=True,
        )
        assert response.status_code == 200
        assert "文件不是有效的 PDF。" in response.content.decode()
        assert LeaseDocument.objects.count() == 0
        assert stored_files(settings) == []


@pytest.fixture
def document(application, buyer):
    return add(application, buyer, pdf_upload())


def url(document) -> str:
    return f"/leasing/applications/{document.application_id}/documents/{document.pk}/"


@pytest.fixture
def outsiders(db):
    other_buyer = member_of(OrganizationFactory(kind=OrganizationKind.BUYER), Role.BUYER)
    other_lessor = member_of(OrganizationFactory(kind=OrganizationKind.LESSOR), Role.FINANCE)
    return {"other buyer org": other_buyer, "other lessor": other_lessor}


class TestDownload:
    @pytest.mark.parametrize("who", ["buyer", "lessor", "staff"])
    def test_parties_get_an_attachment(self, client, document, request, who):
        client.force_login(request.getfixturevalue(who))
        response = client.get(url(document))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        assert response["Content-Disposition"] == (
            "attachment; filename=\"download.pdf\"; filename*=UTF-8''"
            f"%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7-{document.application_id}-{document.pk}.pdf"
        )
        assert b"".join(response.streaming_content) == pdf_bytes()

    def test_anonymous_gets_404(self, client, document):
        assert client.get(url(document)).status_code == 404

    @pytest.mark.parametrize("who", ["other buyer org", "other lessor"])
    def test_other_organizations_get_404(self, client, document, outsiders, who):
        client.force_login(outsiders[who])
        assert client.get(url(document)).status_code == 404

    def test_document_of_another_application_is_not_reachable_through_mine(
        self, client, document, buyer, product, listing
    ):
        theirs = LeaseApplicationFactory(
            product=product, listing=listing, applicant=OrganizationFactory()
        )
        client.force_login(buyer)
        response = client.get(f"/leasing/applications/{theirs.pk}/documents/{document.pk}/")
        assert response.status_code == 404

    def test_review_page_links_the_documents(self, client, document, lessor):
        client.force_login(lessor)
        response = client.get(f"/leasing/applications/{document.application_id}/")
        assert f'href="{url(document)}"' in response.content.decode()

    def test_stored_name_is_not_a_public_media_address(self, client, document):
        assert client.get("/media/" + document.file.name).status_code == 404


def test_migration_moves_public_documents_to_private_storage(application, buyer, settings):
    old_name = default_storage.save(
        "leasing/documents/2026/11/营业执照.pdf", ContentFile(b"%PDF-1")
    )
    document = LeaseDocument.objects.create(
        application=application, kind="business_license", file=old_name, content_type="pdf"
    )
    migration = importlib.import_module("leasing.migrations.0002_private_documents")
    migration.to_private(apps, None)
    document.refresh_from_db()
    assert not default_storage.exists(old_name)
    assert re.fullmatch(r"leasing/documents/\d{4}/\d{2}/[A-Za-z0-9_-]{24}\.pdf", document.file.name)
    with private_storage().open(document.file.name) as handle:
        assert handle.read() == b"%PDF-1"
    migration.to_public(apps, None)
    document.refresh_from_db()
    assert default_storage.exists(document.file.name)
    assert not private_storage().exists(document.file.name)


def test_api_upload_answers_with_the_content_error(buyer, application):
    api = APIClient()
    api.force_authenticate(buyer)
    response = api.post(
        f"/api/leasing/applications/{application.pk}/documents/",
        {"kind": "business_license", "file": SimpleUploadedFile("x.svg", svg_upload().read())},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "file": ["文件必须是 PDF 或图片（JPEG、PNG、WebP）。"]
    }
    assert LeaseDocument.objects.count() == 0
