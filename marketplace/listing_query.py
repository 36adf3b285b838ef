"""The one listing query object and the one function that builds it from GET parameters.

Everything that lists published listings asks in these terms: the search page and its API
(``search``, on its index, with text, distance, facets and relevance) and the browse page and
``/api/listings/`` (``marketplace.selectors.listing_query_queryset``, live on the listing
tables). A filter added here is a filter of every one of them; the live path names the few
it leaves to the index (:data:`INDEX_ONLY_FIELDS`) and a test holds every field to one side.
"""

import datetime as dt
from dataclasses import asdict, dataclass, fields, replace
from decimal import Decimal, InvalidOperation

from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from accounts.models import SellerType
from core.errors import DomainError
from core.geo import find_city
from marketplace.models import ConditionGrade, SaleFormat


class Sort:
    RELEVANCE = "relevance"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    YEAR_DESC = "year_desc"
    HOURS_ASC = "hours_asc"
    NEWEST = "newest"
    ENDING_SOONEST = "ending_soonest"
    BEST_VALUE = "best_value"

    ALL = (
        RELEVANCE,
        PRICE_ASC,
        PRICE_DESC,
        YEAR_DESC,
        HOURS_ASC,
        NEWEST,
        ENDING_SOONEST,
        BEST_VALUE,
    )


def sort_labels() -> list[tuple[str, str]]:
    return [
        (Sort.RELEVANCE, _("相关度")),
        (Sort.PRICE_ASC, _("价格从低到高")),
        (Sort.PRICE_DESC, _("价格从高到低")),
        (Sort.YEAR_DESC, _("年份最新")),
        (Sort.HOURS_ASC, _("小时数最少")),
        (Sort.NEWEST, _("最新发布")),
        (Sort.ENDING_SOONEST, _("即将结束")),
        (Sort.BEST_VALUE, _("最划算（相对估值）")),
    ]


MAX_TEXT_LENGTH = 200
MAX_PAGE_SIZE = 100
MAX_PAGE = 500
MAX_RESULT_WINDOW = 10_000
MAX_RADIUS_KM = 2000
MAX_PRICE = Decimal("1000000000")


class ListingQueryError(DomainError):
    default_code = "invalid_query"


@dataclass(frozen=True)
class ListingQuery:
    text: str = ""
    category: str = ""
    brand: str = ""
    model: int | None = None
    year_min: int | None = None
    year_max: int | None = None
    hours_min: int | None = None
    hours_max: int | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    province: str = ""
    city: str = ""
    near: str = ""
    radius_km: int | None = None
    grade: str = ""
    inspected: bool = False
    certified: bool = False
    remanufactured: bool = False
    financing: bool = False
    sale_format: str = ""
    closing_before: dt.datetime | None = None
    seller_type: str = ""
    sort: str = Sort.RELEVANCE
    page: int = 1
    page_size: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def near_city(self):
        return find_city(self.near) if self.near else None

    def with_changes(self, **changes) -> "ListingQuery":
        return replace(self, **changes)

    def to_params(self) -> dict[str, str]:
        """GET parameters that rebuild this query (defaults left out), for links and saving."""
        default = ListingQuery()
        params: dict[str, str] = {}
        for name, value in asdict(self).items():
            if value == getattr(default, name) or value in (None, ""):
                continue
            param = "q" if name == "text" else name
            if isinstance(value, bool):
                params[param] = "1"
            elif isinstance(value, dt.datetime):
                params[param] = value.isoformat()
            else:
                params[param] = str(value)
        return params


_BOOLEAN_TRUE = {"1", "true", "on", "yes"}
_BOOLEAN_FALSE = {"", "0", "false", "off", "no"}
QUERY_PARAMS = {("q" if f.name == "text" else f.name) for f in fields(ListingQuery)}
# Fields only the search index answers (text analysis, distance, other apps' facts such as
# financing and auction close). The live path (browse page, /api/listings/) leaves them out.
INDEX_ONLY_FIELDS = frozenset({"text", "near", "radius_km", "financing", "closing_before"})
PAGING_FIELDS = frozenset({"page", "page_size"})
# The GET parameters the live path reads (paging is the page's own).
LIVE_PARAMS = frozenset(
    f.name for f in fields(ListingQuery) if f.name not in INDEX_ONLY_FIELDS | PAGING_FIELDS
)


class ParamParser:
    """Reads GET parameters one by one, collecting a message per bad parameter."""

    def __init__(self, params: QueryDict | dict) -> None:
        self.params = params
        self.errors: dict[str, list[str]] = {}

    def raw(self, name: str) -> str:
        value = self.params.get(name, "")
        return value.strip() if isinstance(value, str) else str(value)

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def integer(self, name: str, minimum: int, maximum: int) -> int | None:
        raw = self.raw(name)
        if raw == "":
            return None
        try:
            value = int(raw)
        except ValueError:
            self.fail(name, _("请输入整数。"))
            return None
        if not minimum <= value <= maximum:
            self.fail(
                name, _("请输入 %(min)s 到 %(max)s 之间的数。") % {"min": minimum, "max": maximum}
            )
            return None
        return value

    def decimal(self, name: str) -> Decimal | None:
        raw = self.raw(name)
        if raw == "":
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            self.fail(name, _("请输入数字。"))
            return None
        if not Decimal(0) <= value <= MAX_PRICE:
            self.fail(name, _("金额超出范围。"))
            return None
        return value

    def boolean(self, name: str) -> bool:
        raw = self.raw(name).lower()
        if raw in _BOOLEAN_TRUE:
            return True
        if raw not in _BOOLEAN_FALSE:
            self.fail(name, _("请输入 1 或 0。"))
        return False

    def choice(self, name: str, allowed: list[str] | tuple[str, ...]) -> str:
        raw = self.raw(name)
        if raw and raw not in allowed:
            self.fail(name, _("不支持的取值：%(value)s。") % {"value": raw[:50]})
            return ""
        return raw

    def text(self, name: str, max_length: int = 100) -> str:
        raw = self.raw(name)
        if "\x00" in raw:  # PostgreSQL refuses NUL in a text parameter: a 400, not a 500
            self.fail(name, _("不能包含空字符（NUL）。"))
            return ""
        if len(raw) > max_length:
            self.fail(name, _("最多 %(n)d 个字符。") % {"n": max_length})
            return ""
        return raw

    def moment(self, name: str) -> dt.datetime | None:
        raw = self.raw(name)
        if raw == "":
            return None
        try:
            value = parse_datetime(raw)
            if value is None:
                day = parse_date(raw)
                value = dt.datetime.combine(day, dt.time.max) if day else None
        except ValueError:
            value = None
        if value is None:
            self.fail(name, _("请输入日期，例如 2026-01-31。"))
            return None
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value


def _check_ranges(parser: ParamParser, values: dict) -> None:
    for low, high in (
        ("year_min", "year_max"),
        ("hours_min", "hours_max"),
        ("price_min", "price_max"),
    ):
        if values[low] is not None and values[high] is not None and values[low] > values[high]:
            parser.fail(low, _("下限不能大于上限。"))


def _check_distance(parser: ParamParser, values: dict) -> None:
    if values["radius_km"] is not None and not values["near"]:
        parser.fail("near", _("按距离筛选需要选择城市。"))
    if values["near"] and find_city(values["near"]) is None:
        parser.fail("near", _("未知城市：%(value)s。") % {"value": values["near"][:50]})


def _parse(params: QueryDict | dict) -> tuple[dict, dict[str, list[str]]]:
    """The query's values from GET parameters, and the message(s) of every bad parameter."""
    parser = ParamParser(params)
    this_year = timezone.now().year
    values = {
        "text": parser.text("q", MAX_TEXT_LENGTH),
        "category": parser.text("category", 80),
        "brand": parser.text("brand", 80),
        "model": parser.integer("model", 1, 2**31 - 1),
        "year_min": parser.integer("year_min", 1950, this_year + 1),
        "year_max": parser.integer("year_max", 1950, this_year + 1),
        "hours_min": parser.integer("hours_min", 0, 1_000_000),
        "hours_max": parser.integer("hours_max", 0, 1_000_000),
        "price_min": parser.decimal("price_min"),
        "price_max": parser.decimal("price_max"),
        "province": parser.text("province", 50),
        "city": parser.text("city", 50),
        "near": parser.text("near", 50),
        "radius_km": parser.integer("radius_km", 1, MAX_RADIUS_KM),
        "grade": parser.choice("grade", ConditionGrade.values),
        "inspected": parser.boolean("inspected"),
        "certified": parser.boolean("certified"),
        "remanufactured": parser.boolean("remanufactured"),
        "financing": parser.boolean("financing"),
        "sale_format": parser.choice("sale_format", SaleFormat.values),
        "closing_before": parser.moment("closing_before"),
        "seller_type": parser.choice("seller_type", SellerType.values),
        "sort": parser.choice("sort", Sort.ALL) or Sort.RELEVANCE,
        "page": parser.integer("page", 1, MAX_PAGE) or 1,
        "page_size": parser.integer("page_size", 1, MAX_PAGE_SIZE) or 20,
    }
    _check_ranges(parser, values)
    if values["page"] * values["page_size"] > MAX_RESULT_WINDOW:
        parser.fail("page", _("页码过大，请缩小搜索范围。"))
    _check_distance(parser, values)
    if values["near"] and values["radius_km"] is None:
        values["radius_km"] = 50
    return values, parser.errors


def parse_listing_query(params: QueryDict | dict) -> ListingQuery:
    """Build a ListingQuery from GET parameters.

    Raises ListingQueryError listing every bad parameter with its message.
    """
    values, errors = _parse(params)
    if errors:
        raise ListingQueryError(_("搜索条件有误。"), code="invalid_query", fields=errors)
    return ListingQuery(**values)


def parse_listing_query_valid_part(
    params: QueryDict | dict,
) -> tuple[ListingQuery, dict[str, list[str]]]:
    """The query from the valid parameters, and the messages of the bad ones (which are left
    out), for pages that report bad input beside the results instead of refusing it."""
    values, errors = _parse(params)
    default = ListingQuery()
    for param in errors:
        name = "text" if param == "q" else param
        if name in values:
            values[name] = getattr(default, name)
    if "near" in errors:
        values["radius_km"] = default.radius_km
    return ListingQuery(**values), errors
