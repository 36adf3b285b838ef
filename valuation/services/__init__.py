"""Writes of the valuation app: training and registering models, switching the active one,
back-testing and benchmarking the pipeline, and valuing machines (every shown value is
recorded with the model version behind it)."""

from valuation.services.backtests import BACKTEST_MONTHS, BacktestResult, valuation_backtest
from valuation.services.benchmarks import valuation_benchmark_record
from valuation.services.common import code_version
from valuation.services.training import (
    TrainResult,
    model_version_activate,
    model_version_rollback,
    valuation_train,
)
from valuation.services.valuing import (
    MachineValuation,
    PricePoint,
    valuation_for_listing,
    valuation_value_machine,
    valuation_value_record,
)

__all__ = [
    "BACKTEST_MONTHS",
    "BacktestResult",
    "MachineValuation",
    "PricePoint",
    "TrainResult",
    "code_version",
    "model_version_activate",
    "model_version_rollback",
    "valuation_backtest",
    "valuation_benchmark_record",
    "valuation_for_listing",
    "valuation_train",
    "valuation_value_machine",
    "valuation_value_record",
]
