"""The demo's serving path as real processes, for concurrency tests: gunicorn (config.wsgi)
and the task worker against a database of the test's own, and parallel clients over HTTP."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent

# Seeds one dealer (with e-mail: every offer notifies it, the worker sends the mail), one
# listing per request of a client, and one verified buyer organization and user per client.
SEED = """
import os
from accounts.models import OrganizationKind, Role
from accounts.tests.factories import OrganizationFactory, member_of
from marketplace.tests.factories import PublishedListingFactory, MachineFactory
clients, listings = int(os.environ["SEED_CLIENTS"]), int(os.environ["SEED_LISTINGS"])
dealer_org = OrganizationFactory(kind=OrganizationKind.DEALER)
member_of(dealer_org, Role.OWNER, username="c-dealer", email="dealer@example.com")
ids = [PublishedListingFactory(machine=MachineFactory(owner=dealer_org)).pk
       for _ in range(listings)]
for n in range(clients):
    org = OrganizationFactory(kind=OrganizationKind.BUYER)
    member_of(org, Role.BUYER, username=f"c-buyer{n}")
print(",".join(map(str, ids)))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def demo_env(database_url: str, tmp: Path, port: int) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"ELASTICSEARCH_URL", "STRIPE_SECRET_KEY", "DJANGO_DEBUG"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(tmp / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp / "private_media"),
        SITE_URL=f"http://127.0.0.1:{port}",
        API_THROTTLE_AUTH_TOKEN="10000/min",
        API_THROTTLE_USER="100000/min",
        API_THROTTLE_ANON="100000/min",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict, *args: str, timeout: int = 180) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def seed(env: dict, clients: int, listings: int) -> list[int]:
    env = {**env, "SEED_CLIENTS": str(clients), "SEED_LISTINGS": str(listings)}
    out = manage(env, "shell", "-c", SEED)
    return [int(pk) for pk in out.strip().splitlines()[-1].split(",")]


def start(env: dict, tmp: Path, port: int, workers: int, threads: int) -> list[subprocess.Popen]:
    def spawn(name: str, args: list[str]) -> subprocess.Popen:
        log = open(tmp / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
        return subprocess.Popen(args, cwd=BASE_DIR, env=env, stdout=log, stderr=log)

    gunicorn = [
        str(BIN / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--no-control-socket",  # one per instance would share a path in $HOME
    ]
    worker = [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"]
    processes = [spawn("gunicorn", gunicorn), spawn("worker", worker)]
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/verify/", timeout=2)
            return processes
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    stop(processes)
    raise AssertionError((tmp / "gunicorn.log").read_text()[-3000:])


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def call(method: str, url: str, body: dict | None = None, token: str = "") -> tuple[int, dict]:
    headers = {"Content-Type": "application/json", "Accept-Language": "en"}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        try:
            return exc.code, json.loads(raw or b"{}")
        except ValueError:
            return exc.code, {"raw": raw[:300].decode(errors="replace")}


def offers_in_parallel(port: int, clients: int, listing_ids: list[int]) -> list[tuple]:
    """Each client logs in with a token, then makes one offer on every listing; returns
    (client, step, status, body) for every request."""
    base = f"http://127.0.0.1:{port}"

    def client(n: int) -> list[tuple]:
        outcomes = []
        status, body = call(
            "POST",
            f"{base}/api/auth/token/",
            {"username": f"c-buyer{n}", "password": "pass-1234"},
        )
        outcomes.append((n, "token", status, body))
        token = body.get("token", "")
        for pk in listing_ids:
            status, body = call(
                "POST",
                f"{base}/api/trading/listings/{pk}/offers/",
                {"amount": "300000.00", "message": f"client {n}"},
                token=token,
            )
            outcomes.append((n, pk, status, body))
        return outcomes

    with ThreadPoolExecutor(max_workers=clients) as pool:
        return [outcome for outcomes in pool.map(client, range(clients)) for outcome in outcomes]
