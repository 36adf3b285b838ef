import pytest
from django.core.management import call_command
from django.db import connection  # noqa: F401 - used by the skipif condition

from trading.models import Lot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the benchmark needs PostgreSQL")
def test_benchmark_command_prints_one_json_line_and_cleans_up(capsys):
    import json

    call_command("trading_benchmark", bidders=6, bids_per_bidder=4, json=True)
    line = capsys.readouterr().out.strip()
    result = json.loads(line)
    assert set(result) == {
        "bids",
        "accepted",
        "rejected",
        "seconds",
        "bids_per_second",
        "final_price",
        "expected_final_price",
        "winner_ok",
    }
    assert result["bids"] == 24
    assert result["accepted"] + result["rejected"] == 24
    assert result["winner_ok"] is True
    assert result["final_price"] == result["expected_final_price"]
    assert Lot.objects.count() == 0
