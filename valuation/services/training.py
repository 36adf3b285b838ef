"""Training and registering valuation models, and switching the active one."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import require_platform_staff
from core.errors import ConflictError, DomainError, NotFoundError
from valuation import registry
from valuation.ml import (
    DEFAULT_CONFIG,
    ModelArtifactError,
    TrainConfig,
    data_snapshot_hash,
    save,
    train,
)
from valuation.ml.schema import CANONICAL_COLUMNS
from valuation.models import (
    ModelVersion,
    TrainingSource,
)
from valuation.records import SOURCES, training_frame
from valuation.services.backtests import enqueue_backtest
from valuation.services.common import Progress, code_version, quiet

logger = logging.getLogger(__name__)

MIN_TRAINING_ROWS = 200


# --------------------------------------------------------------------------- training


@dataclass(frozen=True)
class TrainResult:
    version: ModelVersion | None
    skipped: bool
    message: str


def valuation_train(
    *,
    force: bool = False,
    source: str = TrainingSource.PLATFORM,
    config: TrainConfig = DEFAULT_CONFIG,
    progress: Progress = quiet,
) -> TrainResult:
    """Train a model on the sale records of one ``source``, register it and (CNY) activate it.

    Sources never mix currencies. ``platform`` (the default) is the platform's own CNY sales:
    completed orders (source "platform") plus the demo's simulated history ("simulated");
    this model values listings and becomes active. ``external`` trains on imported USD auction
    records (the Blue Book data) as a *separate* model: it is registered so its metrics can
    be compared, but never activated, because it prices in another currency and market.

    Skips (returns ``skipped=True``) when the data snapshot hash equals that of the current
    model for the source and that model's artifact still loads, unless ``force``. (An
    artifact this code cannot serve — e.g. an older card format — is retrained, not kept.)
    """
    if source not in SOURCES:
        raise DomainError(_("未知的训练数据来源：%(source)s") % {"source": source})
    currency = SOURCES[source][1]
    progress(f"reading {source} sale records ({currency}) …")
    frame = training_frame(source)
    if len(frame) < MIN_TRAINING_ROWS:
        raise DomainError(
            _("成交记录不足：需要至少 %(min)s 条，现有 %(n)s 条。")
            % {"min": MIN_TRAINING_ROWS, "n": len(frame)}
        )
    snapshot = data_snapshot_hash(frame[list(CANONICAL_COLUMNS)])
    progress(f"{len(frame):,} sale records, data snapshot {snapshot[:12]}")
    current = _current_version(source)
    if current is not None and current.data_snapshot_hash == snapshot and not force:
        if _loads(current):
            message = f"training data unchanged since {current.version}; skipped (use --force)"
            progress(message)
            return TrainResult(current, True, message)
        progress(f"{current.version} cannot be loaded by this code; retraining")
    progress(f"training LightGBM ({config.rounds} rounds, fit + calibration window) …")
    started = time.perf_counter()
    model = train(frame[list(CANONICAL_COLUMNS)], config)
    progress(f"trained in {time.perf_counter() - started:.1f} s; saving artifact …")
    version_id = _new_version_id(model.version)
    directory = Path(settings.ML_MODELS_DIR) / version_id
    save(model, directory)
    card = model.card
    metrics = card["metrics"]
    with transaction.atomic():
        version = ModelVersion.objects.create(
            version=version_id,
            artifact_path=version_id,
            artifact_sha256=_saved_sha256(directory),
            data_snapshot_hash=snapshot,
            n_train=int(metrics["n_fit_window"]),
            n_calibration=int(metrics["n_calibration"]),
            currency=currency,
            source=source,
            features=list(card["features"]),
            metrics={
                "rmsle": metrics["rmsle"],
                "coverage_80": metrics["coverage_80"],
                "width": metrics["median_width_ratio"],
                "n_rows": metrics["n_train"],
            },
            library_versions=dict(card["versions"]),
            code_version=code_version(),
        )
        if currency == "CNY":
            _activate(version)
        transaction.on_commit(partial(enqueue_backtest, str(source)))
    progress(
        f"registered {version_id}: rmsle {metrics['rmsle']:.3f}, "
        f"coverage_80 {metrics['coverage_80']:.2f}, width {metrics['median_width_ratio']:.2f}"
        + (" — active" if version.is_active else " — not activated (not CNY)")
    )
    return TrainResult(version, False, f"trained {version_id}")


def _loads(version: ModelVersion) -> bool:
    try:
        registry.load_version(version, fresh=True)
    except ModelArtifactError:
        return False
    return True


def _current_version(source: str) -> ModelVersion | None:
    if source == TrainingSource.PLATFORM:
        active = ModelVersion.objects.active().filter(source=source).first()
        if active is not None:
            return active
    return ModelVersion.objects.filter(source=source).order_by("-created_at", "-id").first()


def _new_version_id(model_hash: str) -> str:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    candidate = f"{stamp}-{model_hash[:8]}"
    suffix = 1
    while (
        ModelVersion.objects.filter(version=candidate).exists()
        or (Path(settings.ML_MODELS_DIR) / candidate).exists()
    ):
        suffix += 1
        candidate = f"{stamp}-{model_hash[:8]}-{suffix}"
    return candidate


def _saved_sha256(directory: Path) -> str:
    import json

    card = json.loads((directory / "card.json").read_text(encoding="utf-8"))
    return str(card["artifact_sha256"])


# --------------------------------------------------------------------------- registry


def _activate(version: ModelVersion) -> ModelVersion:
    """Deactivate the current one and activate ``version``, inside the caller's transaction."""
    current = list(ModelVersion.objects.select_for_update().filter(is_active=True))
    for row in current:
        if row.pk != version.pk:
            row.is_active = False
            row.save(update_fields=["is_active"])
    version.is_active = True
    version.activated_at = timezone.now()
    version.save(update_fields=["is_active", "activated_at"])
    return version


def model_version_activate(*, version: str, actor: Any = None) -> ModelVersion:
    """Make ``version`` the one serving valuations, after checking its artifact loads.

    ``actor`` None = the system (command line); a user must be platform staff. A corrupt or
    incompatible artifact, or a model in another currency, is refused and nothing changes.
    """
    if actor is not None:
        require_platform_staff(actor)
    target = ModelVersion.objects.filter(version=version).first()
    if target is None:
        raise NotFoundError(_("没有这个模型版本：%(version)s") % {"version": version})
    if target.currency != "CNY":
        raise ConflictError(
            _("模型 %(version)s 以 %(currency)s 计价，平台估值只能使用人民币模型。")
            % {"version": version, "currency": target.currency},
            code="wrong_currency",
        )
    try:
        registry.load_version(target, fresh=True)
    except ModelArtifactError as error:
        logger.error("valuation: refusing to activate %s: %s", version, error)
        raise ConflictError(
            _("模型文件无法加载，未启用：%(error)s") % {"error": error}, code="artifact_invalid"
        ) from error
    with transaction.atomic():
        target = ModelVersion.objects.select_for_update().get(pk=target.pk)
        if target.is_active:
            return target
        return _activate(target)


def model_version_rollback(*, actor: Any = None) -> ModelVersion:
    """Reactivate the version that was active before the current one (one-command rollback)."""
    if actor is not None:
        require_platform_staff(actor)
    active = ModelVersion.objects.active().first()
    previous = (
        ModelVersion.objects.filter(activated_at__isnull=False, currency="CNY")
        .exclude(pk=getattr(active, "pk", None))
        .order_by("-activated_at", "-created_at")
        .first()
    )
    if previous is None:
        raise ConflictError(_("没有可回滚的上一个模型版本。"), code="no_previous_version")
    return model_version_activate(version=previous.version, actor=actor)
