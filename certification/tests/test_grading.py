from decimal import Decimal

import pytest

from certification.grading import GradeInputs, grade_for, grade_rules

SYSTEMS = ("engine", "hydraulics", "undercarriage", "structure", "electrical", "cab")
GOOD = dict.fromkeys(SYSTEMS, "good")


def inputs(**kwargs) -> GradeInputs:
    base = {"age_years": 3, "hours": 3000, "wear_percent": Decimal("50"), "ratings": GOOD}
    return GradeInputs(**{**base, **kwargs})


@pytest.mark.parametrize(
    ("kwargs", "grade"),
    [
        ({}, "A"),  # every A limit exactly at its boundary
        ({"age_years": 4}, "B"),
        ({"hours": 3001}, "B"),
        ({"ratings": {**GOOD, "cab": "fair"}}, "B"),
        ({"age_years": 6, "hours": 6000}, "B"),
        ({"age_years": 7, "hours": 6000}, "C"),
        ({"age_years": 6, "hours": 6001}, "C"),
        ({"wear_percent": Decimal("50.01")}, "C"),
        ({"ratings": {**GOOD, "engine": "poor"}}, "C"),
        ({"wear_percent": Decimal("75")}, "C"),
        ({"wear_percent": Decimal("75.01")}, "D"),
        ({"wear_percent": None}, "D"),
        ({"ratings": {**GOOD, "hydraulics": "failed"}}, "D"),
        ({"ratings": {**GOOD, "structure": "poor"}}, "D"),
        ({"cold_start": "failed"}, "D"),
        ({"functional_test": ""}, "D"),
        ({"major_accident": True}, "E"),
        ({"major_accident": True, "age_years": 0, "hours": 10}, "E"),
        ({"parts_machine": True}, "E"),
        ({"age_years": None}, "C"),
        ({"hours": None}, "C"),
        ({"age_years": 0, "hours": 0, "wear_percent": Decimal("0")}, "A"),
    ],
)
def test_grade_boundaries(kwargs, grade):
    assert grade_for(inputs(**kwargs)).grade == grade


def test_grade_reasons_are_explicit():
    result = grade_for(inputs(wear_percent=Decimal("80"), ratings={**GOOD, "structure": "failed"}))
    assert result.grade == "D"
    assert result.reasons == ["wear_over_75", "system_failed", "structural_problem"]


def test_accident_beats_everything_else():
    result = grade_for(inputs(major_accident=True, wear_percent=Decimal("90")))
    assert (result.grade, result.reasons) == ("E", ["major_accident"])


def test_rules_table_lists_every_grade_from_the_same_thresholds():
    rules = grade_rules()
    assert [rule.grade for rule in rules] == ["A", "B", "C", "D", "E"]
    assert rules[0].wear == "≤ 50%"
    assert rules[2].wear == "≤ 75%"
    assert "3,000" in str(rules[0].hours)
    assert "6,000" in str(rules[1].hours)
