"""Background jobs of the valuation app."""

import logging

from django_tasks import task

from valuation.services import valuation_train

logger = logging.getLogger(__name__)


@task()
def valuation_train_task() -> str:
    """Retrain on the platform's CNY sales; skips when the data has not changed."""
    result = valuation_train(progress=logger.info)
    return result.message
