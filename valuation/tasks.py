"""Background jobs of the valuation app."""

import logging

from django_tasks import task

from valuation.models import TrainingSource
from valuation.services import valuation_backtest, valuation_train

logger = logging.getLogger(__name__)


@task()
def valuation_train_task() -> str:
    """Retrain on the platform's CNY sales; skips when the data has not changed."""
    result = valuation_train(progress=logger.info)
    return result.message


@task()
def valuation_backtest_task(source: str = TrainingSource.PLATFORM) -> str:
    """Back-test ``source`` month by month (enqueued when a training commits); skips when
    the newest stored run already saw the same data."""
    result = valuation_backtest(source=source, force=False, progress=logger.info)
    return result.message
