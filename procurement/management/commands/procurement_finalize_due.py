"""Close requests past their deadline and make final the awards whose publicity has ended."""

from django.core.management.base import BaseCommand

from procurement.services import rfq_close_due, rfq_finalize_due


class Command(BaseCommand):
    help = "Close due requests for quotation and finalize awards after the publicity period."

    def handle(self, *args, **options):
        closed = rfq_close_due()
        finalized = rfq_finalize_due()
        self.stdout.write(f"{closed} closed, {finalized} finalized")
