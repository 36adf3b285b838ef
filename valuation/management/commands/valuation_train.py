from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from valuation.models import TrainingSource
from valuation.services import valuation_train


class Command(BaseCommand):
    help = (
        "Train the valuation model on the sale records (skips when they have not changed). "
        "--source platform (default): CNY platform + simulated sales, activated; "
        "--source external: imported USD auction records, registered but not activated."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="train even if data unchanged")
        parser.add_argument(
            "--source", choices=TrainingSource.values, default=TrainingSource.PLATFORM
        )

    def handle(self, *args, force: bool, source: str, **options):
        try:
            result = valuation_train(
                force=force, source=source, progress=lambda line: self.stdout.write(line)
            )
        except (DomainError, ValueError) as error:
            raise CommandError(str(error)) from error
        if not result.skipped:  # a skip was already reported as the last progress line
            self.stdout.write(self.style.SUCCESS(result.message))
