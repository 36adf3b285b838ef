"""The SQLite demo under concurrent writers: gunicorn (2 workers x 4 threads) and the task
worker against a SQLite file migrated with the demo's settings, 8 clients x 25 offers at once
while the worker sends the notification e-mails. Before WAL, IMMEDIATE transactions and the
busy timeout, such writes failed with 500 "database is locked"."""

import sqlite3

import pytest

from tests import serving

pytestmark = pytest.mark.slow

CLIENTS, LISTINGS = 8, 25


def test_parallel_writers_on_the_demo_sqlite_get_no_server_error_and_lose_nothing(tmp_path):
    path = tmp_path / "demo.sqlite3"
    port = serving.free_port()
    env = serving.demo_env(f"sqlite:///{path}", tmp_path, port)
    serving.manage(env, "migrate", "--noinput", "-v0")
    listing_ids = serving.seed(env, CLIENTS, LISTINGS)
    processes = serving.start(env, tmp_path, port, workers=2, threads=4)
    try:
        outcomes = serving.offers_in_parallel(port, CLIENTS, listing_ids)
    finally:
        serving.stop(processes)
    errors = [outcome for outcome in outcomes if outcome[2] >= 500]
    assert errors == [], (tmp_path / "gunicorn.log").read_text()[-3000:]
    assert sorted({status for _, _, status, _ in outcomes}) == [200, 201]
    assert len(outcomes) == CLIENTS * (LISTINGS + 1)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        offers = db.execute("SELECT COUNT(*), COUNT(DISTINCT message) FROM trading_offer")
        assert offers.fetchone() == (CLIENTS * LISTINGS, CLIENTS)
        created = {body["id"] for _, step, status, body in outcomes if step != "token"}
        stored = {row[0] for row in db.execute("SELECT id FROM trading_offer")}
        assert stored == created
        notified = db.execute("SELECT COUNT(*) FROM notifications_notification").fetchone()
        assert notified == (CLIENTS * LISTINGS,)
        failed = db.execute(
            "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'FAILED'"
        ).fetchone()
        assert failed == (0,)
        (sent,) = db.execute(
            "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'SUCCESSFUL'"
        ).fetchone()
        assert sent >= 1  # the worker wrote beside the web processes
