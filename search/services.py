"""Writes: saved searches and their alerts."""

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import DomainError, PermissionDeniedError
from marketplace.models import Listing, ListingStatus
from search.entries import CategoryTree
from search.models import SavedSearch, SavedSearchMatch
from search.query import QUERY_PARAMS, parse_search_query

MAX_SAVED_SEARCHES = 20
NOTIFICATION_KIND = "saved_search"


def saved_search_create(*, user: User, name: str, params: dict | QueryDict) -> SavedSearch:
    """Save the search the user is looking at (validated; paging and sort are dropped)."""
    if not user.is_authenticated:
        raise PermissionDeniedError(_("请先登录。"))
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise DomainError(
            _("请填写名称（最多 100 个字符）。"),
            fields={"name": [_("请填写名称（最多 100 个字符）。")]},
        )
    query = parse_search_query(params).with_changes(page=1, page_size=20, sort="relevance")
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.saved_searches.count() >= MAX_SAVED_SEARCHES:
            raise DomainError(
                _("最多保存 %(n)d 个搜索。") % {"n": MAX_SAVED_SEARCHES}, code="too_many"
            )
        return SavedSearch.objects.create(user=locked, name=name, params=query.to_params())


def saved_search_delete(*, user: User, saved_search: SavedSearch) -> None:
    if saved_search.user_id != user.pk:
        raise PermissionDeniedError(_("只能删除自己保存的搜索。"))
    saved_search.delete()


def _alert(saved_search: SavedSearch, listing: Listing) -> bool:
    """Record the match and notify; False when this pair was already alerted."""
    from notifications.services import notification_send

    user = saved_search.user
    try:
        with transaction.atomic():
            SavedSearchMatch.objects.create(saved_search=saved_search, listing=listing)
            notification_send(
                recipient=user,
                kind=NOTIFICATION_KIND,
                title=lambda: _("新设备符合您保存的搜索“%(name)s”") % {"name": saved_search.name},
                body=lambda: listing.display_title,
                url=reverse("marketplace:listing_detail", args=[listing.pk]),
            )
            SavedSearch.objects.filter(pk=saved_search.pk).update(last_notified_at=timezone.now())
    except IntegrityError:
        return False
    return True


# Saved-search parameters with one exact value, and that value for a listing.
def _exact_values(listing: Listing, tree: CategoryTree) -> dict[str, set[str]]:
    machine = listing.machine
    return {
        "brand": {machine.brand.slug},
        "model": {str(machine.equipment_model_id)},
        # A category matches the listings of its sub-categories too.
        "category": {node.slug for node in tree.ancestors(machine.category_id)},
        "province": {machine.province},
        "city": {machine.city},
        "grade": {machine.condition_grade},
        "sale_format": {listing.sale_format},
        "seller_type": {listing.seller.seller_type},
    }


def _candidate_saved_searches(listings: list[Listing]) -> QuerySet[SavedSearch]:
    """The saved searches that can match one of ``listings``: active owner, saved before the
    last publication, and each exact-valued parameter either unset or equal to a listing's
    value. Only these are run as searches, so an index write costs a search per plausible
    saved search, not per saved search."""
    tree = CategoryTree.cached()
    values: dict[str, set[str]] = {}
    for listing in listings:
        for name, options in _exact_values(listing, tree).items():
            values.setdefault(name, set()).update(option for option in options if option)
    condition = Q(
        user__is_active=True, created_at__lte=max(listing.published_at for listing in listings)
    )
    for name, options in values.items():
        condition &= Q(**{f"params__{name}__isnull": True}) | Q(
            **{f"params__{name}__in": sorted(options)}
        )
    return SavedSearch.objects.select_related("user").filter(condition).order_by("pk")


def saved_searches_check(*, listing_ids: list[int]) -> int:
    """Alert owners of saved searches matching newly published listings; at most once each.

    A listing counts only if it was published after the search was saved.
    """
    from search.selectors import listing_search

    listings = Listing.objects.filter(
        pk__in=listing_ids, status=ListingStatus.PUBLISHED, published_at__isnull=False
    ).select_related("machine__brand", "seller")
    published = {listing.pk: listing for listing in listings}
    if not published:
        return 0
    sent = 0
    for saved_search in _candidate_saved_searches(list(published.values())):
        candidates = [
            pk
            for pk, listing in published.items()
            if listing.published_at and listing.published_at >= saved_search.created_at
        ]
        if not candidates:
            continue
        params = {k: v for k, v in saved_search.params.items() if k in QUERY_PARAMS}
        query = parse_search_query(params).with_changes(page_size=len(candidates))
        result = listing_search(query, restrict_ids=candidates, with_facets=False)
        already = set(
            SavedSearchMatch.objects.filter(
                saved_search=saved_search, listing_id__in=result.listing_ids
            ).values_list("listing_id", flat=True)
        )
        for listing_id in result.listing_ids:
            if listing_id not in already and _alert(saved_search, published[listing_id]):
                sent += 1
    return sent


def saved_search_url(saved_search: SavedSearch) -> str:
    return f"{reverse('search:search')}?{urlencode(saved_search.params)}"
