"""Residual-value modelling core: pure Python, no Django, no database.

The Django side passes canonical sale records (see ``schema``) and gets prices back:

    model = train(frame)                      # training.train
    save(model, directory); model = load(directory)
    predict_frame(model, frame)               # DataFrame[p10, p50, p90]
    predict_one(model, record)                # Prediction with reasons and contributions
    forecast_value(model, record)             # depreciation curve, +0..+60 months

OpenMP threads must not busy-wait: LightGBM uses OpenMP, and with the default (active)
wait policy a 2-thread training on a busy machine ran 30-150x slower in our measurements,
because each thread spins while the other one is descheduled. The passive policy costs
nothing when the cores are free. It only takes effect if set before OpenMP is loaded, i.e.
before the first ``import lightgbm`` in the process, hence here; an explicit setting in the
environment wins.
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from .artifact import ModelArtifactError, load, save
from .bluebook import (
    BluebookFormatError,
    RowError,
    read_bluebook_csv,
    validate_bluebook_csv,
)
from .checks import Reason
from .model import (
    Contribution,
    ForecastPoint,
    Prediction,
    ValuationModel,
    forecast_value,
    predict_frame,
    predict_one,
)
from .snapshot import data_snapshot_hash
from .training import DEFAULT_CONFIG, TrainConfig, train

__all__ = [
    "DEFAULT_CONFIG",
    "BluebookFormatError",
    "Contribution",
    "ForecastPoint",
    "ModelArtifactError",
    "Prediction",
    "Reason",
    "RowError",
    "TrainConfig",
    "ValuationModel",
    "data_snapshot_hash",
    "forecast_value",
    "load",
    "predict_frame",
    "predict_one",
    "read_bluebook_csv",
    "save",
    "train",
    "validate_bluebook_csv",
]
