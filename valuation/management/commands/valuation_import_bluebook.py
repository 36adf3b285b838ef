from django.core.management.base import BaseCommand, CommandError

from valuation.importing import bluebook_import
from valuation.ml import BluebookFormatError


class Command(BaseCommand):
    help = (
        "Import auction results in the Blue Book CSV format as external USD sale records "
        "(all rows validated first; any bad row aborts the import; re-import is idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path: str, **options):
        try:
            result = bluebook_import(path=path, progress=lambda line: self.stdout.write(line))
        except FileNotFoundError as error:
            raise CommandError(f"{path}: file not found") from error
        except BluebookFormatError as error:
            for row_error in error.errors:
                self.stderr.write(str(row_error))
            raise CommandError(
                f"{len(error.errors)} bad row(s) in {path}; nothing was imported"
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.rows:,} rows: {result.created:,} imported, "
                f"{result.existing:,} already present"
            )
        )
