"""Under the Content-Security-Policy, the project's pages run their scripts and Chromium
reports no violation (an inline handler or a script without the nonce would be one)."""

import pytest

from accounts.models import Role
from accounts.tests.factories import member_of
from leasing.tests.factories import LeaseProductFactory
from marketplace.tests.factories import PublishedListingFactory
from tests.browser import login
from trading.tests.factories import LotFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _violations(page) -> list[str]:
    messages: list[str] = []
    page.on(
        "console",
        lambda message: (
            messages.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return messages


def test_public_pages_run_under_the_policy_without_violations(page, live_server, buyer_org):
    listing = PublishedListingFactory()
    LeaseProductFactory()
    lot = LotFactory()
    member_of(buyer_org, Role.BUYER, username="cspbuyer")
    violations = _violations(page)
    login(page, live_server, "cspbuyer")
    pages = {
        "/listings/": False,
        f"/listings/{listing.pk}/": False,
        f"/trading/lots/{lot.pk}/": True,
    }
    for path, has_inline_script in pages.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        policy = response.headers["content-security-policy"]
        assert ("'nonce-" in policy) is has_inline_script, path  # a nonce only where used
        page.wait_for_load_state("networkidle")
    # the search box's script (a static file) ran: typing asks for suggestions
    page.goto(f"{live_server.url}/listings/")
    with page.expect_response(lambda r: "/api/search/suggest/" in r.url) as suggest:
        page.fill("#search-q", "长沙")
    assert suggest.value.status == 200
    assert violations == []
