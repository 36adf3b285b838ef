"""Helpers shared by the trading services: permission checks and notifications."""

from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Membership, Organization, User
from accounts.permissions import GRANTS, Permission
from core.errors import PermissionDeniedError
from marketplace.models import Listing
from notifications.services import Text, notification_send, notification_texts
from trading.errors import TradingErrorCode as Code


def organization_users(organization: Organization) -> list[User]:
    return [
        m.user for m in Membership.objects.filter(organization=organization).select_related("user")
    ]


def notify_after_commit(
    *, users: list[User], kind: str, title: Text, body: Text = "", url: str = ""
) -> None:
    """Queue notifications after the commit so a lock is never held while writing them.

    ``title``/``body`` are callables (see notifications.services): they are evaluated now,
    once per recipient in that recipient's language, so they see the state of this action."""
    for user in users:
        user_title, user_body = notification_texts(user, title, body)
        transaction.on_commit(
            partial(
                notification_send,
                recipient=user,
                kind=kind,
                title=user_title,
                body=user_body,
                url=url,
            )
        )


def listing_text(message: str, listing: Listing) -> str:
    """A notification text marked with ``gettext_noop`` and naming the listing, in the active
    language (the recipient's, inside ``notify_after_commit``)."""
    return _(message) % {"title": listing.display_title}


def require_buyer(*, actor: User, buyer: Organization | None, seller: Organization) -> None:
    """Buyers act for a verified organization, never the seller's own (one query: it runs on
    every bid)."""
    if buyer is None or actor is None or not actor.is_authenticated:
        raise PermissionDeniedError(_("您没有执行此操作的权限。"))
    roles = dict(
        Membership.objects.filter(
            user=actor, organization_id__in=[buyer.pk, seller.pk]
        ).values_list("organization_id", "role")
    )
    if buyer.pk == seller.pk or seller.pk in roles:
        raise PermissionDeniedError(_("卖家不能购买或竞拍自己的设备。"), code=Code.OWN_LISTING)
    if roles.get(buyer.pk) not in GRANTS.get((buyer.kind, Permission.TRADE_BUY), set()):
        raise PermissionDeniedError(_("您没有执行此操作的权限。"))
    if not buyer.is_verified:
        raise PermissionDeniedError(
            _("机构完成实名认证后才能购买或出价。"), code=Code.BUYER_NOT_VERIFIED
        )
