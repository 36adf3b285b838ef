from django_tasks import task

from payments.services import webhook_events_retry


@task()
def webhook_events_retry_task() -> int:
    """Reprocess Stripe events that arrived before the payment they concern was recorded."""
    return webhook_events_retry()
