from django.core.management.base import BaseCommand

from core.scheduler import run_forever


class Command(BaseCommand):
    help = "Enqueue the periodic tasks of settings.PERIODIC_TASKS on their intervals."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--tick", type=float, default=5.0)

    def handle(self, *args, **options) -> None:
        run_forever(tick_seconds=options["tick"], log=self.stdout.write)
