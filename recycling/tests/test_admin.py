"""Recycling's Django admin shows rows and changes none (changes go through the services)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from recycling.admin import MaterialInline, QuoteInline
from recycling.models import DisposalCertificate, DisposalRequest


@pytest.mark.parametrize(
    ("model", "inline_class"),
    [(DisposalRequest, QuoteInline), (DisposalCertificate, MaterialInline)],
)
def test_recycling_admin_is_read_only(model, inline_class, admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    model_admin = admin.site._registry[model]
    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request) is False
    assert model_admin.has_delete_permission(request) is False
    assert model_admin.has_view_permission(request) is True
    inlines = model_admin.get_inline_instances(request)
    assert [type(inline) for inline in inlines] == [inline_class]
    for inline in inlines:
        assert inline.has_add_permission(request, None) is False
        assert inline.has_change_permission(request) is False
        assert inline.has_delete_permission(request) is False
        assert (inline.extra, inline.can_delete) == (0, False)
