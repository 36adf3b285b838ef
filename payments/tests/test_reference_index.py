"""Domain models stay out of Wagtail's reference index (issue #13): saving a payment, an
order or a listing writes no ReferenceIndex rows, so the sale path pays no queries for it."""

from django.urls import reverse
from wagtail.models import Page, ReferenceIndex


def test_only_wagtail_content_is_indexed_for_references():
    reverse("wagtailadmin_home")  # loads the admin URLs, which register the viewsets
    indexed = {model._meta.label for model in ReferenceIndex.indexed_models}
    domain = {
        label
        for label in indexed
        if not label.startswith("wagtail")
        and not issubclass(
            next(m for m in ReferenceIndex.indexed_models if m._meta.label == label), Page
        )
    }
    assert domain == set()
    assert "cms.StandardPage" in indexed  # editorial pages are still tracked
