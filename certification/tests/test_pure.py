import datetime as dt
from decimal import Decimal

import pytest

from certification.inspection_templates import template_key_for_category_slug
from certification.reman import PartMass, remanufacturing_rate
from certification.verification import code_for_content
from marketplace.hour_anomalies import ReadingPoint, detect_hour_anomalies

UTC = dt.UTC


def at(day: int, month: int = 1, year: int = 2025) -> dt.datetime:
    return dt.datetime(year, month, day, 12, tzinfo=UTC)


def kinds(readings, year=None):
    return [a.kind for a in detect_hour_anomalies(readings, year_of_manufacture=year)]


def test_plausible_history_has_no_anomaly():
    readings = [ReadingPoint(1000, at(1)), ReadingPoint(1200, at(11)), ReadingPoint(1200, at(12))]
    assert kinds(readings, 2020) == []


def test_rollback_is_detected_against_any_earlier_reading():
    readings = [ReadingPoint(5000, at(1)), ReadingPoint(5100, at(20)), ReadingPoint(4990, at(25))]
    anomalies = detect_hour_anomalies(readings)
    assert [(a.kind, a.hours, a.previous_hours) for a in anomalies] == [("rollback", 4990, 5100)]


def test_jump_limit_is_twenty_hours_a_day_plus_one_hour_rounding():
    # 10 days allow 200 h (+1 h rounding).
    assert kinds([ReadingPoint(1000, at(1)), ReadingPoint(1201, at(11))]) == []
    assert kinds([ReadingPoint(1000, at(1)), ReadingPoint(1202, at(11))]) == ["implausible_jump"]


def test_same_moment_readings_cannot_differ_by_more_than_rounding():
    assert kinds([ReadingPoint(10, at(1)), ReadingPoint(12, at(1))]) == ["implausible_jump"]


def test_readings_are_checked_in_time_order_not_insertion_order():
    readings = [ReadingPoint(1200, at(20)), ReadingPoint(1000, at(1))]
    assert kinds(readings) == []


def test_reading_before_year_of_manufacture():
    assert kinds([ReadingPoint(10, at(1, year=2019))], 2020) == ["before_manufacture"]


def test_more_hours_than_age_allows():
    # 2025-01-01 12:00 to 2025-01-11 12:00 from 1 Jan of the year: 10.5 days → 211 h allowed.
    assert kinds([ReadingPoint(211, at(11))], 2025) == []
    assert kinds([ReadingPoint(300, at(11))], 2025) == ["exceeds_age"]


def test_remanufacturing_rate_is_reused_mass_over_total_mass():
    rate = remanufacturing_rate(
        [
            PartMass("reused", 1, Decimal("180")),
            PartMass("remanufactured", 1, Decimal("60")),
            PartMass("replaced", 6, Decimal("2.5")),
            PartMass("replaced", 1, Decimal("5")),
        ]
    )
    assert rate.reused_mass_kg == Decimal("240.000")
    assert rate.total_mass_kg == Decimal("260.000")
    # 240 / 260 = 92.3076… → rounded down
    assert rate.rate_percent == Decimal("92.30")


def test_remanufacturing_rate_rounds_down_and_handles_extremes():
    assert remanufacturing_rate([PartMass("reused", 2, Decimal("1"))]).rate_percent == Decimal(
        "100.00"
    )
    assert remanufacturing_rate([PartMass("replaced", 1, Decimal("1"))]).rate_percent == Decimal(
        "0.00"
    )
    two_thirds = remanufacturing_rate(
        [PartMass("reused", 2, Decimal("1")), PartMass("replaced", 1, Decimal("1"))]
    )
    assert two_thirds.rate_percent == Decimal("66.66")


@pytest.mark.parametrize(
    "parts", [[], [PartMass("reused", 0, Decimal("1"))], [PartMass("reused", 1, Decimal("0"))]]
)
def test_remanufacturing_rate_rejects_bad_parts(parts):
    with pytest.raises(ValueError):
        remanufacturing_rate(parts)


def test_code_depends_on_every_character_of_content_and_on_the_secret(settings):
    content = {"number": "IL-RC-2026-000001", "rate": "92.30"}
    code = code_for_content(content)
    assert len(code) == 20
    assert code.isalnum() and code.upper() == code
    assert code_for_content({**content, "rate": "92.31"}) != code
    settings.CERTIFICATE_SECRET = "another-secret"
    assert code_for_content(content) != code
    settings.CERTIFICATE_SECRET = ""
    settings.SECRET_KEY = "fallback-key"
    assert code_for_content(content) not in (code, "")


@pytest.mark.parametrize(
    ("slug", "key"),
    [
        ("excavator", "excavator"),
        ("dozer", "dozer"),
        ("wheel-loader", "wheel_loader"),
        ("crane", "crane"),
        ("roller", "roller"),
        ("grader", "wheeled"),
        ("rotary-drilling-rig", "tracked"),
        ("mini-excavators", "tracked"),
        ("something-else", "wheeled"),
    ],
)
def test_template_per_category_root(slug, key):
    assert template_key_for_category_slug(slug) == key
