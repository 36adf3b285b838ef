"""Print the public verification path of an issued document (support staff, outside checks).

    manage.py certificate_link IL-RC-2026-000001
    manage.py certificate_link --any

Exit status 0 with the path on stdout; non-zero with one line on stderr when the number is
unknown, not issued, or (with --any) no document has been issued yet.
"""

from django.core.management.base import BaseCommand, CommandError
from django.urls import NoReverseMatch

from core.documents import document_kinds, published_document, verify_path


def _any_document():
    """The newest document in force of the first registered kind that has one (a valid
    remanufacturing certificate first), else the newest revoked one."""
    kinds = list(document_kinds().values())
    candidates = [kind.published().filter(status__in=kind.valid_statuses) for kind in kinds]
    candidates += [kind.published().exclude(status__in=kind.valid_statuses) for kind in kinds]
    for queryset in candidates:
        document = queryset.order_by("-id").first()
        if document is not None:
            return document
    return None


def _document_by_number(number: str):
    found = published_document(number)
    return None if found is None else found[1]


class Command(BaseCommand):
    help = "Print the /verify/… path of an issued certificate or report."

    def add_arguments(self, parser):
        parser.add_argument("number", nargs="?", help="document number, e.g. IL-RC-2026-000001")
        parser.add_argument("--any", action="store_true", help="any issued document")

    def handle(self, *args, **options):
        number = (options["number"] or "").strip().upper()
        if options["any"] == bool(number):
            raise CommandError("give either a certificate NUMBER or --any")
        document = _any_document() if options["any"] else _document_by_number(number)
        if document is None:
            if options["any"]:
                raise CommandError("no issued certificate exists yet")
            raise CommandError(f"no issued certificate with number {number}")
        try:
            path = verify_path(document)
        except NoReverseMatch as exc:
            raise CommandError(
                'the verify URLs are not mounted: add path("verify/", '
                'include("certification.verify_urls")) to config/urls.py'
            ) from exc
        self.stdout.write(path)
