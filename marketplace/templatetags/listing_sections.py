"""The listing page's buyer sections as template tags, so the page template includes each
with one line and the view stays as it is:

``{% listing_price_drop_badge listing %}``, ``{% listing_share listing %}``,
``{% listing_price_history listing %}``, ``{% listing_questions listing %}``,
``{% listing_similar listing %}``.

Each tag reads through ``marketplace.listing_page`` (a fixed number of queries) and decides
what to show with the services' ``can_*`` predicates; the services check again on submit.
"""

from __future__ import annotations

from django import template
from django.urls import reverse

from core.panels import card_extras
from core.urls_absolute import absolute_url
from marketplace import listing_page
from marketplace.listing_content_forms import AnswerForm, PriceChangeForm, QuestionForm
from marketplace.panels import price_drop_badge
from marketplace.services.listing_content import can_ask_question, can_change_price

register = template.Library()


def _request_user(context):
    request = context.get("request")
    return request, getattr(request, "user", None)


@register.simple_tag
def listing_price_drop_badge(listing) -> str:
    drop = listing_page.recent_price_drops([listing.pk]).get(listing.pk)
    return price_drop_badge(drop) if drop else ""


@register.inclusion_tag("marketplace/includes/listing_share.html", takes_context=True)
def listing_share(context, listing) -> dict:
    request, _user = _request_user(context)
    path = reverse("marketplace:listing_detail", args=[listing.pk])
    return {
        "listing": listing,
        "share_url": absolute_url(path, request),
        "sheet_url": reverse("marketplace:listing_sheet_pdf", args=[listing.pk]),
    }


@register.inclusion_tag("marketplace/includes/price_history.html", takes_context=True)
def listing_price_history(context, listing) -> dict:
    request, user = _request_user(context)
    history = listing_page.listing_price_history(listing=listing)
    can_change = can_change_price(user, listing)
    return {
        "request": request,
        "listing": listing,
        "history": history,
        "can_change": can_change,
        "form": PriceChangeForm(initial={"new_price": listing.asking_price})
        if can_change
        else None,
    }


@register.inclusion_tag("marketplace/includes/listing_questions.html", takes_context=True)
def listing_questions(context, listing) -> dict:
    request, user = _request_user(context)
    return {
        "request": request,
        "user": user,
        "listing": listing,
        "questions": listing_page.listing_questions_for(listing=listing, user=user),
        "can_ask": can_ask_question(user, listing),
        "form": QuestionForm(),
        "answer_form": AnswerForm(),
    }


@register.inclusion_tag("marketplace/includes/similar_listings.html", takes_context=True)
def listing_similar(context, listing) -> dict:
    request, _user = _request_user(context)
    similar = listing_page.listing_similar(listing=listing)
    return {
        "request": request,
        "listing": listing,
        "similar": similar,
        "extras": card_extras(request, similar) if similar else {},
    }
