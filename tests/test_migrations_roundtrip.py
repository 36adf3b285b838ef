"""Migrations of this round are reversible and keep the data (issue #13).

On a small seeded database (machines with hour readings, listings, an order, a submitted
inspection report with its document number), every project app is migrated back to where it
stood before the architecture round (``BEFORE_ROUND``; an app that did not exist then goes
to ``zero``) and forward again. Every project table keeps its row count and the key values
of the seeded rows survive; the latest state is restored even when an assertion fails.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import OrganizationFactory, member_of
from certification.tests.factories import submitted_report
from marketplace.services import hour_reading_record
from marketplace.tests.factories import MachineFactory, PublishedListingFactory
from trading.services.orders import buy_now

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

# The last migration of each app before the round (main at 98b5eb5).
BEFORE_ROUND = {
    "accounts": "0003_organization_licence_and_invitations",
    "certification": "0004_private_inspection_photos",
    "cms": "0002_create_homepage",
    "leasing": "0002_private_documents",
    "marketplace": "0012_hour_reading_correction",
    "notifications": "0001_initial",
    "payments": "0004_backfill_deposit_entries",
    "recycling": "0002_immutability_triggers",
    "trading": "0005_watched_listing",
    "valuation": "0001_initial",
}
# Apps of this repository (third-party apps keep their migrations).
PROJECT_APPS = {*BEFORE_ROUND, "core", "search", "benchmarks"}

# Key values of the seeded rows: (model label, fields), compared before and after.
KEY_VALUES = [
    ("marketplace.Machine", ("serial_number", "owner_id", "current_hours", "hours_anomaly")),
    ("marketplace.HourMeterReading", ("machine_id", "hours", "source")),
    ("marketplace.Listing", ("machine_id", "seller_id", "status", "asking_price")),
    ("marketplace.ListingEvent", ("listing_id", "from_status", "to_status")),
    (
        "trading.Order",
        ("listing_id", "buyer_id", "status", "price", "amount_due", "bank_reference"),
    ),
    ("certification.InspectionReport", ("machine_id", "certifier_id", "status", "number")),
    ("core.DocumentCounter", ("prefix", "year", "last_value")),  # moved from certification
]


def _seed() -> None:
    dealer_org = OrganizationFactory(name="回滚测试经销商", kind="dealer")
    buyer_org = OrganizationFactory(name="回滚测试买家", kind="buyer")
    certifier_org = OrganizationFactory(name="回滚测试检测中心", kind="certifier")
    buyer = member_of(buyer_org, Role.BUYER, username="rt-buyer")
    inspector = member_of(certifier_org, Role.INSPECTOR, username="rt-inspector")
    machines = [
        MachineFactory(owner=dealer_org, year_of_manufacture=2019, current_hours=None)
        for _ in range(3)
    ]
    now = timezone.now()
    for machine, hours in zip(machines, (4000, 5200, 800), strict=True):
        hour_reading_record(
            machine=machine, hours=hours, source="seller", actor=None,
            read_at=now - dt.timedelta(days=30),
        )  # fmt: skip
    hour_reading_record(  # a rollback: the anomaly flag must survive the round trip
        machine=machines[2], hours=700, source="seller", actor=None, read_at=now
    )
    prices = (Decimal("380000.00"), Decimal("420000.00"), Decimal("99000.00"))
    listings = [
        PublishedListingFactory(machine=machine, seller=dealer_org, asking_price=price)
        for machine, price in zip(machines, prices, strict=True)
    ]
    buy_now(listing=listings[0], buyer=buyer_org, actor=buyer)
    submitted_report(machine=machines[1], certifier=certifier_org, inspector=inspector, hours=5300)


def _snapshot() -> tuple[dict[str, int], dict[str, list[tuple]]]:
    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS and model._meta.managed
    }
    values = {
        label: list(apps.get_model(label).objects.order_by("pk").values_list("pk", *fields))
        for label, fields in KEY_VALUES
    }
    return counts, values


def _targets() -> list[tuple[str, str]]:
    """(app, migration) to go back to, for each project app that has migrations."""
    loader = MigrationExecutor(connection).loader
    migrated = {app for app, _name in loader.graph.nodes}
    return [
        (app, BEFORE_ROUND.get(app, "zero"))
        for app in sorted(PROJECT_APPS & migrated)
        if not (app in BEFORE_ROUND and (app, BEFORE_ROUND[app]) not in loader.graph.nodes)
    ]


def test_every_app_back_to_before_the_round_and_forward_keeps_the_data():
    _seed()
    counts_before, values_before = _snapshot()
    assert counts_before["marketplace.Machine"] == 3
    assert counts_before["trading.Order"] == 1
    assert counts_before["certification.InspectionReport"] == 1
    assert [row[-1] for row in values_before["core.DocumentCounter"]] == [1]  # the report's
    assert [row[-1] for row in values_before["marketplace.Machine"]] == [False, False, True]
    targets = _targets()
    assert ("marketplace", BEFORE_ROUND["marketplace"]) in targets
    try:
        for app, migration in targets:
            call_command("migrate", app, migration, verbosity=0)
        executor = MigrationExecutor(connection)
        applied = executor.loader.applied_migrations
        for app, migration in targets:  # nothing of the round is still applied
            later = [
                name
                for node_app, name in applied
                if node_app == app and (migration == "zero" or name > migration)
            ]
            assert later == [], f"{app} still has {later}"
        nodes = [node for node in applied if node in executor.loader.graph.nodes]
        old = executor.loader.project_state(nodes).apps  # the models as they were
        assert old.get_model("marketplace", "Machine").objects.count() == 3
        assert old.get_model("marketplace", "Listing").objects.count() == 3
        assert old.get_model("trading", "Order").objects.count() == 1
    finally:
        call_command("migrate", verbosity=0)
    counts_after, values_after = _snapshot()
    assert counts_after == counts_before
    assert values_after == values_before
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
