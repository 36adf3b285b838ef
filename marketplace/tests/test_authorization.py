"""Who may do what with a listing, through the HTML views.

Each action is tried by anonymous, another organization's owner, a viewer of the seller
organization (wrong role) and the seller's owner (right role). Denied attempts must leave
the listing, its events and the machine/listing counts exactly as they were.
"""

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.tests.factories import member_of
from marketplace.models import Listing, ListingEvent, Machine
from marketplace.tests.factories import ListingFactory, MachineFactory, with_photo_set

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")

# action -> (starting status, method, url name, needs action arg, status after success)
ACTIONS = {
    "edit": ("draft", "post", "marketplace:listing_edit", None, "draft"),
    "submit": ("draft", "post", "marketplace:listing_action", "submit", "submitted"),
    "publish": ("submitted", "post", "marketplace:listing_action", "publish", "published"),
    "withdraw": ("published", "post", "marketplace:listing_action", "withdraw", "withdrawn"),
    "relist": ("withdrawn", "post", "marketplace:listing_action", "relist", "draft"),
    "manage_draft": ("draft", "get", "marketplace:listing_manage", None, "draft"),
    "view_draft": ("draft", "get", "marketplace:listing_detail", None, "draft"),
    "photos_page": ("draft", "get", "marketplace:listing_photos", None, "draft"),
}
EDIT_DATA = {"title": "改过的标题", "sale_format": "fixed", "asking_price": "123456"}

# (actor, action) -> expected HTTP status; "login" = redirect to the login page.
EXPECTED = {
    "anonymous": {
        "edit": "login",
        "submit": "login",
        "publish": "login",
        "withdraw": "login",
        "relist": "login",
        "manage_draft": "login",
        "view_draft": 404,
        "photos_page": "login",
    },
    "other_org": {
        "edit": 404,
        "submit": 404,
        "publish": 404,
        "withdraw": 403,  # a published listing is visible to everyone, but not theirs
        "relist": 404,
        "manage_draft": 404,
        "view_draft": 404,
        "photos_page": 404,
    },
    "viewer": {
        "edit": 403,
        "submit": 403,
        "publish": 403,
        "withdraw": 403,
        "relist": 403,
        "manage_draft": 200,
        "view_draft": 200,
        "photos_page": 403,
    },
    "owner": {
        "edit": 302,
        "submit": 302,
        "publish": 403,  # verified but not marked trusted: the listing waits for moderation
        "withdraw": 302,
        "relist": 302,
        "manage_draft": 200,
        "view_draft": 200,
        "photos_page": 200,
    },
}
CASES = [
    pytest.param(actor, action, expected, id=f"{actor}-{action}")
    for actor, row in EXPECTED.items()
    for action, expected in row.items()
]


@pytest.fixture
def actors(dealer, dealer_org, other_dealer):
    return {
        "anonymous": None,
        "other_org": other_dealer,
        "viewer": member_of(dealer_org, Role.VIEWER, username="viewer"),
        "owner": dealer,
    }


def snapshot(listing):
    listing.refresh_from_db()
    return (
        listing.status,
        listing.title,
        listing.asking_price,
        listing.updated_at,
        ListingEvent.objects.count(),
        Listing.objects.count(),
        Machine.objects.count(),
    )


@pytest.mark.parametrize(("actor", "action", "expected"), CASES)
def test_listing_authorization(client, actors, dealer_org, actor, action, expected):
    start, method, url_name, action_arg, status_after = ACTIONS[action]
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org), status=start)
    if action == "submit":
        with_photo_set(listing)
    args = [listing.pk, action_arg] if action_arg else [listing.pk]
    url = reverse(url_name, args=args)
    if actors[actor] is not None:
        client.force_login(actors[actor])
    before = snapshot(listing)

    data = EDIT_DATA if action == "edit" else {}
    response = client.post(url, data) if method == "post" else client.get(url)

    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
    else:
        assert response.status_code == expected
    changed = method == "post" and expected == 302
    after = snapshot(listing)
    if changed:
        assert listing.status == status_after
        if action == "edit":
            assert listing.title == "改过的标题"
        else:
            assert after[4] == before[4] + 1  # one event
    else:
        assert after == before


def test_anonymous_cannot_create(client, sy215):
    url = reverse("marketplace:listing_create")
    response = client.post(url, {"serial_number": "X1", "equipment_model": sy215.pk})
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={url}"
    assert Machine.objects.count() == 0


@pytest.mark.parametrize("who", ["viewer", "buyer"])
def test_wrong_role_or_kind_cannot_create(client, dealer_org, buyer, sy215, who):
    user = member_of(dealer_org, Role.VIEWER, username="viewer") if who == "viewer" else buyer
    client.force_login(user)
    url = reverse("marketplace:listing_create")
    assert client.get(url).status_code == 403
    response = client.post(url, {"serial_number": "X1", "equipment_model": sy215.pk})
    assert response.status_code == 403
    assert "您所在的机构没有发布挂牌的权限。" in response.content.decode()
    assert (Machine.objects.count(), Listing.objects.count()) == (0, 0)


def test_sales_role_may_create(client, dealer_org, sy215):
    client.force_login(member_of(dealer_org, Role.SALES, username="sales"))
    assert client.get(reverse("marketplace:listing_create")).status_code == 200


def test_other_org_cannot_delete_photo_or_see_manage_page(client, dealer_org, other_dealer):
    listing = ListingFactory(machine=MachineFactory(owner=dealer_org), status="published")
    client.force_login(other_dealer)
    assert client.get(reverse("marketplace:listing_manage", args=[listing.pk])).status_code == 404
    assert client.get(reverse("marketplace:listing_detail", args=[listing.pk])).status_code == 200
