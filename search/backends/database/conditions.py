"""The database backend's WHERE: filters, text terms (token ids or substrings), distance."""

import math

from django.db import connection
from django.db.models import (
    Case,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import (
    ASin,
    Cos,
    Power,
    Radians,
    Sin,
    Sqrt,
)

from core.geo import EARTH_RADIUS_KM
from search import tokens as vocabulary
from search.models import (
    ListingSearchEntry,
    SearchToken,
)
from search.resolve import ResolvedQuery
from search.text import (
    normalise,
    normalise_code,
)


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _text_match(resolved: ResolvedQuery) -> vocabulary.TextMatch:
    return vocabulary.match_for(resolved.plan.choices(), SearchToken)


def _word_condition(word: vocabulary.TermIds, field: str) -> Q:
    if word.all_of:
        return Q(**{f"{field}__contains": list(word.all_of)})
    return Q(**{f"{field}__overlap": list(word.any_of)})


def _token_condition(term: vocabulary.TermChoice, field: str) -> Q:
    """The entry holds one of the words that may stand for the term."""
    condition = Q()
    for word in term.options:
        condition |= _word_condition(word, field)
    return condition


def _rank_expression(match: vocabulary.TextMatch):
    """Relevance on PostgreSQL: (1 + query terms the title holds) / (1 + terms), in (0, 1].

    Every hit holds every term somewhere; a listing whose title names what was asked for ranks
    first, newest first among equals."""
    in_title = [
        Case(When(_token_condition(term, "title_tokens"), then=Value(1.0)), default=Value(0.0))
        for term in match.terms
    ]
    total = sum(in_title[1:], in_title[0]) if in_title else Value(0.0)
    return (Value(1.0) + total) / Value(1.0 + len(match.terms))


def _text_filter(resolved: ResolvedQuery) -> Q:
    condition = Q()
    for words in resolved.plan.choices():
        either = Q()
        for word in words:
            either |= Q(document__search_text__contains=normalise(word))
            if normalise_code(word):
                either |= Q(document__search_text__contains=normalise_code(word))
        condition &= either
    return condition


def _distance_expression(latitude: float, longitude: float):
    lat0, lon0 = math.radians(latitude), math.radians(longitude)
    half_dlat = (Radians(F("latitude")) - Value(lat0)) / Value(2.0)
    half_dlon = (Radians(F("longitude")) - Value(lon0)) / Value(2.0)
    inner = Power(Sin(half_dlat), 2) + Value(math.cos(lat0)) * Cos(Radians(F("latitude"))) * Power(
        Sin(half_dlon), 2
    )
    return Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(inner))


def _filters(resolved: ResolvedQuery) -> Q:
    query = resolved.query
    conditions = {
        "category_id__in": resolved.category_ids,
        "brand_id": resolved.brand_id,
        "equipment_model_id": query.model,
        "year__gte": query.year_min,
        "year__lte": query.year_max,
        "hours__gte": query.hours_min,
        "hours__lte": resolved.hours_max,
        "price__gte": query.price_min,
        "price__lte": query.price_max,
        "weight_t__gte": resolved.weight_range[0],
        "weight_t__lte": resolved.weight_range[1],
        "province": query.province or None,
        "city": query.city or None,
        "condition_grade": query.grade or None,
        "is_inspected": True if query.inspected else None,
        "is_certified": True if query.certified else None,
        "is_remanufactured": True if query.remanufactured else None,
        "has_financing": True if query.financing else None,
        "sale_format": query.sale_format or None,
        "closes_at__lte": query.closing_before,
        "seller_type": query.seller_type or None,
        "listing_id__in": resolved.restrict_ids,
    }
    return Q(**{key: value for key, value in conditions.items() if value is not None})


def _base_queryset(resolved: ResolvedQuery) -> tuple[QuerySet, vocabulary.TextMatch | None]:
    """The matching entries, and (PostgreSQL, text queries) the terms' token ids."""
    queryset = ListingSearchEntry.objects.filter(_filters(resolved))
    match = None
    if resolved.plan.terms:
        if _is_postgres():
            match = _text_match(resolved)
            if match.impossible:
                queryset = queryset.none()
            for term in match.terms:
                queryset = queryset.filter(_token_condition(term, "tokens"))
        else:
            queryset = queryset.filter(_text_filter(resolved))
    city = resolved.near_city
    if city is not None:
        radius = resolved.query.radius_km
        dlat = radius / 111.0
        dlon = radius / (111.32 * max(math.cos(math.radians(city.latitude)), 0.01))
        queryset = queryset.filter(
            latitude__range=(city.latitude - dlat, city.latitude + dlat),
            longitude__range=(city.longitude - dlon, city.longitude + dlon),
        )
        queryset = queryset.annotate(
            distance=_distance_expression(city.latitude, city.longitude)
        ).filter(distance__lte=radius)
    return queryset, match
