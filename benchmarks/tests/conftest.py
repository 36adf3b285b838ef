"""The real-data valuation benchmark, run once per test session through its command.

Both benchmark test modules read the same result: one run trains the shipped pipeline and
both peers (about a minute on two cores), so running it per module would only double CI time.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

BLUEBOOK = Path(settings.BASE_DIR).parent / "shared" / "data" / "bluebook"
TRAIN_CSV = BLUEBOOK / "train.csv"

real_data = pytest.mark.skipif(
    not TRAIN_CSV.is_file(),
    reason=f"real auction data {TRAIN_CSV} is not on this machine (it lives in ../shared)",
)


@pytest.fixture(scope="session")
def bluebook_result() -> dict[str, Any]:
    """The command's JSON line for the default split (fit < 2012-02-01, score February)."""
    out = io.StringIO()
    call_command("valuation_benchmark", "--train", str(TRAIN_CSV), "--json", stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])
