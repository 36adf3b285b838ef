"""Recompute ``Machine.hours_anomaly`` for every machine from its hour readings."""

from django.core.management.base import BaseCommand

from marketplace.hour_anomalies import machines_hours_anomaly_recompute


class Command(BaseCommand):
    help = "Recompute the hour-meter anomaly flag of every machine."

    def handle(self, *args, **options):
        checked, flagged = machines_hours_anomaly_recompute(log=self.stdout.write)
        self.stdout.write(f"{checked} machines checked, {flagged} flagged")
