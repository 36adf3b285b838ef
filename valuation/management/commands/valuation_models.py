from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from valuation.selectors import model_versions
from valuation.services import model_version_activate, model_version_rollback


class Command(BaseCommand):
    help = "List valuation model versions; --rollback or --activate VERSION switches atomically."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--rollback", action="store_true", help="reactivate the previous one")
        group.add_argument("--activate", metavar="VERSION")

    def handle(self, *args, rollback: bool, activate: str | None, **options):
        try:
            if rollback:
                version = model_version_rollback()
                self.stdout.write(self.style.SUCCESS(f"rolled back: {version.version} is active"))
            elif activate:
                version = model_version_activate(version=activate)
                self.stdout.write(self.style.SUCCESS(f"activated {version.version}"))
        except DomainError as error:
            raise CommandError(error.message) from error
        for version in model_versions():
            metrics = version.metrics or {}
            self.stdout.write(
                f"{'*' if version.is_active else ' '} {version.version}  "
                f"{version.created_at:%Y-%m-%d %H:%M}  {version.source}/{version.currency}  "
                f"rows {version.n_train}+{version.n_calibration}  "
                f"rmsle {metrics.get('rmsle', float('nan')):.3f}  "
                f"coverage_80 {metrics.get('coverage_80', float('nan')):.2f}  "
                f"data {version.data_snapshot_hash[:12]}"
            )
