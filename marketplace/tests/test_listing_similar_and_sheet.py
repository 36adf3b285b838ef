"""Similar machines, the share link and the printable listing sheet (issue #14)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from marketplace.listing_page import listing_similar
from marketplace.models import ListingStatus
from marketplace.tests.factories import (
    CategoryFactory,
    EquipmentModelFactory,
    MachineFactory,
    PublishedListingFactory,
)

pytestmark = pytest.mark.django_db
D = Decimal


STANDARD_WEIGHT = D("21.50")


def _listing(price, *, weight=STANDARD_WEIGHT, model="SY215C", category=None, **extra):
    equipment = EquipmentModelFactory(
        name=model, operating_weight_t=weight, **({"category": category} if category else {})
    )
    return PublishedListingFactory(
        machine=MachineFactory(equipment_model=equipment), asking_price=price, **extra
    )


def test_similar_machines_same_category_nearest_price_first_excluding_this_one():
    this = _listing(D(400000))
    far = _listing(D(520000), model="SY235C")
    near = _listing(D(410000), model="SY215C-9")
    nearer = _listing(D(395000), model="SY205C")
    unpublished = _listing(D(400000), model="SY215X", status=ListingStatus.WITHDRAWN)
    other_category = _listing(
        D(400000), model="ZL50", category=CategoryFactory(slug="loader", name="装载机")
    )
    too_big = _listing(D(400000), weight=D("45.00"), model="SY450H")
    similar = listing_similar(listing=this)
    # Nearby size and price first (nearest price first), then the rest of the category.
    assert similar[:3] == [nearer, near, far]
    assert too_big in similar[3:]
    assert this not in similar
    assert unpublished not in similar and other_category not in similar


def test_similar_machines_take_a_bounded_number_of_queries():
    this = _listing(D(400000))
    for index in range(3):
        _listing(D(400000 + index * 1000), model=f"A{index}")
    with CaptureQueriesContext(connection) as few:
        assert len(listing_similar(listing=this)) == 3
    for index in range(12):
        _listing(D(400000 + index * 1000), model=f"B{index}")
    with CaptureQueriesContext(connection) as many:
        assert len(listing_similar(listing=this, limit=6)) == 6
    assert len(many.captured_queries) <= len(few.captured_queries)
    assert len(few.captured_queries) <= 4  # near, fill-up, and their photo prefetches


def test_listing_page_shows_similar_share_link_and_sheet_link(client):
    this = _listing(D(400000))
    other = _listing(D(405000), model="SY205C")
    page = client.get(reverse("marketplace:listing_detail", args=[this.pk])).content.decode()
    assert 'id="similar"' in page
    assert f'data-listing-id="{other.pk}"' in page
    assert f'data-listing-id="{this.pk}"' not in page  # no card of this listing itself
    assert f'value="http://testserver/listings/{this.pk}/"' in page
    assert 'data-copy-target="share-url"' in page
    assert f'href="/listings/{this.pk}/sheet.pdf"' in page


def test_the_sheet_is_a_pdf_with_title_price_and_link(client):
    listing = _listing(D("385000.00"), title="三一 SY215C 挖掘机 2019年")
    response = client.get(reverse("marketplace:listing_sheet_pdf", args=[listing.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="listing-{listing.pk}.pdf"'
    import io

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    compact = text.replace(" ", "").replace("\n", "")
    assert "三一SY215C挖掘机2019年" in compact
    assert "¥385,000.00" in compact
    assert f"http://testserver/listings/{listing.pk}/" in compact


def test_the_sheet_of_a_draft_is_not_public(client):
    draft = _listing(D(300000), status=ListingStatus.DRAFT)
    response = client.get(reverse("marketplace:listing_sheet_pdf", args=[draft.pk]))
    assert response.status_code == 404
