"""``manage.py seed_demo``: simulated Hunan-market demo data, idempotent, with progress.

It lives in cms, the top layer, because it drives every app: the marketplace data, each
seeder in ``settings.DEMO_SEEDERS`` and the editorial pages."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import import_string

from cms.demo import seed as seed_cms_pages
from marketplace.demo import DEMO_LOGINS, DEMO_ORGS, DEMO_PASSWORD, seed_marketplace
from marketplace.models import Listing, Machine, SaleRecord, SaleSource


class Command(BaseCommand):
    help = (
        "Create simulated demo data (machines, listings, sale history, demo logins, editorial "
        "pages) and run every app's seeder in settings.DEMO_SEEDERS. Safe to run again: "
        "existing simulated rows are found by their keys and nothing is duplicated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--machines", type=int, default=2000, help="simulated machines")
        parser.add_argument("--sales", type=int, default=20000, help="simulated sale records")
        parser.add_argument("--seed", type=int, default=20260101, help="random seed")

    def handle(self, *args: object, **options: object) -> None:
        machines, sales = options["machines"], options["sales"]
        if machines < 0 or sales < 0:
            raise CommandError("--machines and --sales must be zero or more.")
        started = time.monotonic()
        log = self._log(started)
        seed_marketplace(machines=machines, sales=sales, seed=options["seed"], log=log)
        for path in settings.DEMO_SEEDERS:
            log(f"seeder {path}")
            import_string(path)(log=log)
        seed_cms_pages(log=log)
        self._summary(time.monotonic() - started)

    def _log(self, started: float):
        def log(message: str) -> None:
            self.stdout.write(f"[{time.monotonic() - started:6.1f}s] {message}")
            self.stdout.flush()

        return log

    def _summary(self, seconds: float) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready in {seconds:.1f}s (all of it simulated): "
                f"{Machine.objects.filter(is_simulated=True).count()} machines, "
                f"{Listing.objects.filter(is_simulated=True, status='published').count()} "
                f"published listings, "
                f"{SaleRecord.objects.filter(source=SaleSource.SIMULATED).count()} sale records."
            )
        )
        orgs = {org.key: org.name for org in DEMO_ORGS}
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        self.stdout.write(f"  {'username':<10} {'role':<10} organization")
        for login in DEMO_LOGINS:
            role = "staff" if login.is_staff else login.role
            self.stdout.write(f"  {login.username:<10} {role:<10} {orgs[login.org_key]}")
        self.stdout.write("  (staff can also open the Wagtail admin at /admin/)")
