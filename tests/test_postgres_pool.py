"""PostgreSQL connection handling on the serving path: 50 concurrent clients against gunicorn
with the psycopg pool get no error, and the connections stay bounded by workers x pool size.
With ``conn_max_age=60`` and one connection per thread, 74 of 400 concurrent bid requests got
500 "too many clients already"."""

import os
import threading
import time

import dj_database_url
import psycopg
import pytest

from tests import serving

pytestmark = pytest.mark.slow

DATABASE = "ironloop_c_pool"
CLIENTS, LISTINGS = 50, 3
WORKERS, THREADS, POOL = 2, 16, 4


def _postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("DATABASE_URL is not PostgreSQL: the pooled serving path needs a server")
    return url


def _admin(url: str):
    config = dj_database_url.parse(url)
    return psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def test_fifty_concurrent_clients_on_the_pooled_settings_get_no_error(tmp_path):
    url = _postgres_url()
    own_url = url.rsplit("/", 1)[0] + "/" + DATABASE
    with _admin(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{DATABASE}"')
    port = serving.free_port()
    env = serving.demo_env(own_url, tmp_path, port)
    env.update(DB_POOL_MAX_SIZE=str(POOL), DB_POOL_TIMEOUT="20")
    serving.manage(env, "migrate", "--noinput", "-v0", timeout=300)
    listing_ids = serving.seed(env, CLIENTS, LISTINGS)

    peak, done = [0], threading.Event()

    def sample() -> None:
        with _admin(url) as admin:
            while not done.is_set():
                (count,) = admin.execute(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = %s", [DATABASE]
                ).fetchone()
                peak[0] = max(peak[0], count)
                time.sleep(0.05)

    processes = serving.start(env, tmp_path, port, workers=WORKERS, threads=THREADS)
    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        outcomes = serving.offers_in_parallel(port, CLIENTS, listing_ids)
    finally:
        done.set()
        sampler.join()
        serving.stop(processes)
    errors = [outcome for outcome in outcomes if outcome[2] >= 400]
    assert errors == [], (tmp_path / "gunicorn.log").read_text()[-3000:]
    assert len(outcomes) == CLIENTS * (LISTINGS + 1)
    # gunicorn workers x pool, plus the task worker's pool: never one per thread.
    assert 1 <= peak[0] <= (WORKERS + 1) * POOL
    with psycopg.connect(own_url) as db:
        (offers,) = db.execute("SELECT COUNT(*) FROM trading_offer").fetchone()
    assert offers == CLIENTS * LISTINGS
    with _admin(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
