"""Loading trained models: lazy, cached per process by version, never serving a bad artifact.

A model is loaded the first time a valuation needs it and kept in a per-process cache keyed
by its version id (artifacts are immutable once written, so a version never goes stale).
If the active version's artifact is corrupt, truncated or incompatible, the error is logged
with its reason and the most recently active *good* version keeps serving; the panel says
which version produced the value, so the fallback is visible.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import F

from valuation.ml import ModelArtifactError, ValuationModel, load
from valuation.models import ModelVersion

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_models: dict[str, ValuationModel] = {}
_failures: dict[str, str] = {}


@dataclass(frozen=True)
class ServingModel:
    """The model that answers valuations now, and why it is not the active one if so."""

    version: ModelVersion
    model: ValuationModel
    fallback_from: str = ""
    fallback_reason: str = ""


def artifact_directory(version: ModelVersion) -> Path:
    return Path(settings.ML_MODELS_DIR) / version.artifact_path


def load_version(version: ModelVersion, *, fresh: bool = False) -> ValuationModel:
    """The loaded model of ``version``; raises ``ModelArtifactError`` with a clear reason.

    ``fresh`` re-reads the artifact even if cached or known bad (used before activation).
    """
    key = version.version
    with _lock:
        if not fresh:
            if key in _models:
                return _models[key]
            if key in _failures:
                raise ModelArtifactError(_failures[key])
    try:
        model = load(artifact_directory(version))
        if model.card.get("artifact_sha256") != version.artifact_sha256:
            raise ModelArtifactError(
                f"{artifact_directory(version)}: model file sha256 differs from the registry "
                f"(expected {version.artifact_sha256[:12]}…); the artifact was replaced"
            )
    except ModelArtifactError as error:
        message = f"model version {key}: {error}"
        with _lock:
            _failures[key] = message
            _models.pop(key, None)
        raise ModelArtifactError(message) from error
    with _lock:
        _failures.pop(key, None)
        _models[key] = model
    return model


def serving_model() -> ServingModel | None:
    """The active model, or the previous good one when the active artifact cannot load."""
    active = ModelVersion.objects.active().first()
    if active is None:
        return None
    try:
        return ServingModel(active, load_version(active))
    except ModelArtifactError as error:
        logger.error("valuation: cannot load the active model (%s); trying the previous one", error)
        reason = str(error)
    previous = (
        ModelVersion.objects.filter(currency=active.currency, activated_at__isnull=False)
        .exclude(pk=active.pk)
        .order_by(F("activated_at").desc(nulls_last=True), "-created_at")
    )
    for candidate in previous:
        try:
            model = load_version(candidate)
        except ModelArtifactError as error:
            logger.error("valuation: fallback model unusable too (%s)", error)
            continue
        logger.warning(
            "valuation: serving %s instead of the active %s", candidate.version, active.version
        )
        return ServingModel(candidate, model, fallback_from=active.version, fallback_reason=reason)
    return None


def clear_cache() -> None:
    """Forget loaded models and known failures (tests; after repairing an artifact)."""
    with _lock:
        _models.clear()
        _failures.clear()
