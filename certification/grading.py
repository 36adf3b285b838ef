"""The overall condition grade A–E, from explicit rules modelled on Komatsu's certified-used scale.

One pure function, :func:`grade_for`, decides the grade; the public rules page renders
:data:`GRADE_RULES`, which is built from the same thresholds, so the page and the code
cannot disagree.

=====  =========  ===========  ==============  ===============================================
Grade  Age        Hours        Wear (max of    Systems, tests and accident screen
                               undercarriage
                               or tyres)
=====  =========  ===========  ==============  ===============================================
E      any        any          any             major accident (fire, flood or structural
                                               accident) or the inspector judged it a parts
                                               machine. Checked first.
D      any        any          > 75 %          or any system rated "failed", or the structure/
                                               boom rated "poor" or "failed" (repairable
                                               structural problem), or cold start / functional
                                               test failed or not performed, or wear unknown
C      any        any          ≤ 75 %          job-ready: no failed system, both tests passed
B      ≤ 6 years  ≤ 6,000 h    ≤ 50 %          as C, and no system rated "poor"
A      ≤ 3 years  ≤ 3,000 h    ≤ 50 %          as C, and every system rated "good"
=====  =========  ===========  ==============  ===============================================

Age is the inspection year minus the year of manufacture (a 2023 machine inspected in 2026 is
3 years old). Limits are inclusive. A machine with unknown age or hours cannot be A or B.
The best grade whose every condition holds is awarded.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

A_MAX_AGE_YEARS = 3
A_MAX_HOURS = 3_000
B_MAX_AGE_YEARS = 6
B_MAX_HOURS = 6_000
AB_MAX_WEAR_PERCENT = Decimal("50")
C_MAX_WEAR_PERCENT = Decimal("75")

GOOD, FAIR, POOR, FAILED = "good", "fair", "poor", "failed"
STRUCTURE = "structure"
PASSED = "passed"


@dataclass(frozen=True)
class GradeInputs:
    age_years: int | None
    hours: int | None
    wear_percent: Decimal | None
    ratings: Mapping[str, str]
    major_accident: bool = False
    parts_machine: bool = False
    cold_start: str = PASSED
    functional_test: str = PASSED


@dataclass(frozen=True)
class GradeResult:
    grade: str
    reasons: list[str] = field(default_factory=list)


def _d_reasons(inputs: GradeInputs) -> list[str]:
    reasons = []
    if inputs.wear_percent is None:
        reasons.append("wear_unknown")
    elif inputs.wear_percent > C_MAX_WEAR_PERCENT:
        reasons.append("wear_over_75")
    if any(rating == FAILED for rating in inputs.ratings.values()):
        reasons.append("system_failed")
    if inputs.ratings.get(STRUCTURE) in (POOR, FAILED):
        reasons.append("structural_problem")
    if inputs.cold_start != PASSED:
        reasons.append("cold_start_not_passed")
    if inputs.functional_test != PASSED:
        reasons.append("functional_test_not_passed")
    return reasons


def _within(value: int | None, limit: int) -> bool:
    return value is not None and 0 <= value <= limit


def grade_for(inputs: GradeInputs) -> GradeResult:
    """The grade and machine-readable reasons (see the module docstring for the table)."""
    if inputs.major_accident or inputs.parts_machine:
        return GradeResult("E", ["major_accident"] if inputs.major_accident else ["parts_machine"])
    d_reasons = _d_reasons(inputs)
    if d_reasons:
        return GradeResult("D", d_reasons)
    ratings = list(inputs.ratings.values())
    wear_ok = inputs.wear_percent is not None and inputs.wear_percent <= AB_MAX_WEAR_PERCENT
    if (
        wear_ok
        and _within(inputs.age_years, A_MAX_AGE_YEARS)
        and _within(inputs.hours, A_MAX_HOURS)
        and all(rating == GOOD for rating in ratings)
    ):
        return GradeResult("A", ["a_limits_met"])
    if (
        wear_ok
        and _within(inputs.age_years, B_MAX_AGE_YEARS)
        and _within(inputs.hours, B_MAX_HOURS)
        and not any(rating == POOR for rating in ratings)
    ):
        return GradeResult("B", ["b_limits_met"])
    return GradeResult("C", ["job_ready"])


@dataclass(frozen=True)
class GradeRule:
    grade: str
    age: str
    hours: str
    wear: str
    condition: str


def _years(n: int) -> str:
    return _("≤ %(n)d 年") % {"n": n}


def _hours(n: int) -> str:
    return _("≤ %(n)s 小时") % {"n": f"{n:,}"}


def grade_rules() -> list[GradeRule]:
    """The rule table as shown on the public rules page, built from the thresholds above."""
    any_value = _("不限")
    return [
        GradeRule(
            "A",
            _years(A_MAX_AGE_YEARS),
            _hours(A_MAX_HOURS),
            f"≤ {AB_MAX_WEAR_PERCENT}%",
            _("所有系统评级为“良好”，冷启动和功能测试通过"),
        ),
        GradeRule(
            "B",
            _years(B_MAX_AGE_YEARS),
            _hours(B_MAX_HOURS),
            f"≤ {AB_MAX_WEAR_PERCENT}%",
            _("无“较差”或“失效”系统，冷启动和功能测试通过"),
        ),
        GradeRule(
            "C",
            any_value,
            any_value,
            f"≤ {C_MAX_WEAR_PERCENT}%",
            _("可直接作业：无失效系统，冷启动和功能测试通过"),
        ),
        GradeRule(
            "D",
            any_value,
            any_value,
            f"> {C_MAX_WEAR_PERCENT}%",
            _(
                "或任一系统失效、结构件/动臂评级较差或失效（可修复的结构问题）、"
                "冷启动或功能测试未通过"
            ),
        ),
        GradeRule(
            "E",
            any_value,
            any_value,
            any_value,
            _("火烧、水淹或重大结构性事故，或仅具拆件价值（最先判定）"),
        ),
    ]


REASON_LABELS = {
    "major_accident": _("重大事故（火烧/水淹/结构性事故）"),
    "parts_machine": _("仅具拆件价值"),
    "wear_unknown": _("未测量磨损率"),
    "wear_over_75": _("底盘/轮胎磨损超过 75%"),
    "system_failed": _("存在失效系统"),
    "structural_problem": _("结构件/动臂存在问题"),
    "cold_start_not_passed": _("冷启动未通过或未测试"),
    "functional_test_not_passed": _("功能测试未通过或未测试"),
    "a_limits_met": _("满足 A 级全部条件"),
    "b_limits_met": _("满足 B 级全部条件"),
    "job_ready": _("可直接作业"),
}
