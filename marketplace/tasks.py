from django_tasks import task

from marketplace.hour_anomalies import machines_hours_anomaly_recompute
from marketplace.services import listings_expire_due


@task()
def listings_expire_due_task() -> int:
    return listings_expire_due()


@task()
def hours_anomaly_recompute_task() -> int:
    """Recompute every machine's hours-anomaly flag (daily; a rule change or a reading written
    outside ``hour_reading_record`` would leave it stale). Returns the flagged machines."""
    _checked, flagged = machines_hours_anomaly_recompute()
    return flagged
