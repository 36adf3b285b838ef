"""Writes of the valuation app: training and registering models, switching the active one,
and valuing machines (every shown value is recorded with the model version behind it)."""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import require_platform_staff
from core.errors import ConflictError, DomainError, NotFoundError
from core.money import quantize_money
from marketplace.models import Brand, Category, Listing, Machine
from valuation import registry
from valuation.backtesting import MonthScore, rolling_origin, settings_used
from valuation.comparables import Comparable, find_comparables
from valuation.factors import factor_texts
from valuation.ml import (
    DEFAULT_CONFIG,
    ModelArtifactError,
    TrainConfig,
    data_snapshot_hash,
    forecast_value,
    predict_one,
    save,
    train,
)
from valuation.ml.schema import CANONICAL_COLUMNS
from valuation.models import (
    BacktestMonth,
    BacktestRun,
    BacktestStatus,
    ModelVersion,
    TrainingSource,
    Valuation,
    ValuationKind,
)
from valuation.reasons import reason_text
from valuation.records import SOURCES, json_inputs, record_from_machine, training_frame

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]
FORECAST_MONTHS = (0, 12, 24, 36, 48, 60)
MIN_TRAINING_ROWS = 200


def _quiet(_message: str) -> None:
    return None


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
    progress: Progress = _quiet,
) -> TrainResult:
    """Train a model on the sale records of one ``source``, register it and (CNY) activate it.

    Sources never mix currencies. ``platform`` (the default) is the platform's own CNY sales:
    completed orders (source "platform") plus the demo's simulated history ("simulated");
    this model values listings and becomes active. ``external`` trains on imported USD auction
    records (the Blue Book data) as a *separate* model: it is registered so its metrics can
    be compared, but never activated, because it prices in another currency and market.

    Skips (returns ``skipped=True``) when the data snapshot hash equals that of the current
    model for the source, unless ``force``.
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
        message = f"training data unchanged since {current.version}; skipped (use --force)"
        progress(message)
        return TrainResult(current, True, message)
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
        transaction.on_commit(partial(_enqueue_backtest, str(source)))
    progress(
        f"registered {version_id}: rmsle {metrics['rmsle']:.3f}, "
        f"coverage_80 {metrics['coverage_80']:.2f}, width {metrics['median_width_ratio']:.2f}"
        + (" — active" if version.is_active else " — not activated (not CNY)")
    )
    return TrainResult(version, False, f"trained {version_id}")


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


def code_version() -> str:
    """The git commit the code runs from, else the project's package version."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],  # noqa: S607
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
        return "git:" + result.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        from importlib.metadata import version

        return "ironloop " + version("ironloop")
    except Exception:
        return "ironloop (unknown version)"


# --------------------------------------------------------------------------- back-test

BACKTEST_MONTHS = 12


@dataclass(frozen=True)
class BacktestResult:
    run: BacktestRun | None
    skipped: bool
    message: str


def _enqueue_backtest(source: str) -> None:
    # valuation.tasks imports this module; the task is looked up when a training commits.
    from valuation.tasks import valuation_backtest_task

    valuation_backtest_task.enqueue(source)


def valuation_backtest(
    *,
    source: str = TrainingSource.PLATFORM,
    months: int = BACKTEST_MONTHS,
    config: TrainConfig = DEFAULT_CONFIG,
    force: bool = True,
    progress: Progress = _quiet,
) -> BacktestResult:
    """Run the rolling-origin back-test of ``source`` (valuation.backtesting) and store it.

    Takes one training per month, so minutes on real data: the figures are computed first,
    outside any transaction, then the run and its months are written in one. A failure is
    stored as a failed run and re-raised. Without ``force`` the run is skipped when the
    newest stored run saw the same data. Raises ``DomainError`` when there is nothing to
    back-test (no sales of the source).
    """
    if source not in SOURCES:
        raise DomainError(_("未知的训练数据来源：%(source)s") % {"source": source})
    if months < 1:
        raise DomainError(_("回测月数至少为 1。"))
    frame = training_frame(source)
    if frame.empty:
        raise DomainError(_("没有可回测的成交记录（%(source)s）。") % {"source": source})
    snapshot = data_snapshot_hash(frame[list(CANONICAL_COLUMNS)])
    latest = BacktestRun.objects.succeeded().filter(source=source).first()
    if not force and latest is not None and latest.data_snapshot_hash == snapshot:
        message = f"back-test data unchanged since run {latest.pk}; skipped"
        progress(message)
        return BacktestResult(latest, True, message)
    fields = {
        "source": source,
        "currency": SOURCES[source][1],
        "months_requested": months,
        "data_snapshot_hash": snapshot,
        "code_version": code_version(),
        "settings": settings_used(config),
    }
    progress(f"back-testing {source}: {len(frame):,} sales, up to {months} months")
    started = time.perf_counter()
    try:
        scores = list(
            rolling_origin(
                frame, months=months, config=config, progress=lambda s: progress(_line(s))
            )
        )
    except Exception as error:
        BacktestRun.objects.create(
            **fields,
            status=BacktestStatus.FAILED,
            error=str(error)[:2000],
            seconds=round(time.perf_counter() - started, 3),
            finished_at=timezone.now(),
        )
        raise
    with transaction.atomic():
        run = BacktestRun.objects.create(
            **fields,
            status=BacktestStatus.SUCCEEDED,
            seconds=round(time.perf_counter() - started, 3),
            finished_at=timezone.now(),
        )
        BacktestMonth.objects.bulk_create(
            BacktestMonth(run=run, **asdict(score)) for score in scores
        )
    message = f"stored back-test run {run.pk}: {len(scores)} months in {run.seconds:.1f} s"
    progress(message)
    return BacktestResult(run, False, message)


def _line(score: MonthScore) -> str:
    head = f"{score.month:%Y-%m}: train {score.n_train:,}, sales {score.n_sales:,}"
    if score.skipped_reason:
        return f"{head} — skipped ({score.skipped_reason}: {score.skipped_detail})"
    return (
        f"{head}, median error {score.median_error:+.1%}, "
        f"median |error| {score.median_abs_error:.1%}, within 10% {score.within_10:.0%}, "
        f"within 20% {score.within_20:.0%}, P10-P90 coverage {score.coverage:.0%}"
    )


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


# --------------------------------------------------------------------------- valuing


@dataclass(frozen=True)
class PricePoint:
    months: int
    p10: Decimal
    p50: Decimal
    p90: Decimal


@dataclass
class MachineValuation:
    """What the panel, the estimate page and the API show, all from one computation."""

    p10: Decimal
    p50: Decimal
    p90: Decimal
    currency: str
    unusual: bool
    reasons: list[str]
    factors: list[str]
    model_version: ModelVersion
    comparables: list[Comparable] = field(default_factory=list)
    forecast: list[PricePoint] = field(default_factory=list)
    asking_price: Decimal | None = None
    fallback_from: str = ""
    record: Valuation | None = None

    @property
    def asking_vs_market(self) -> Decimal | None:
        """Asking price relative to the P50: -0.12 = 12% below market."""
        if self.asking_price is None or not self.p50:
            return None
        return ((self.asking_price / self.p50) - 1).quantize(Decimal("0.0001"))


def valuation_value_record(
    *,
    record: dict[str, Any],
    kind: str = ValuationKind.ESTIMATE,
    listing: Listing | None = None,
    machine: Machine | None = None,
    asking_price: Decimal | None = None,
    as_of: dt.date | None = None,
    with_comparables: bool = True,
    with_forecast: bool = True,
    store: bool = True,
) -> MachineValuation | None:
    """Value one canonical record with the serving model; None when no model is available."""
    serving = registry.serving_model()
    if serving is None:
        return None
    as_of = as_of or timezone.localdate()
    prediction = predict_one(serving.model, record, as_of=as_of)
    names = _names(record)
    result = MachineValuation(
        p10=quantize_money(prediction.p10),
        p50=quantize_money(prediction.p50),
        p90=quantize_money(prediction.p90),
        currency=serving.version.currency,
        unusual=prediction.unusual,
        reasons=[reason_text(reason, names) for reason in prediction.reasons],
        factors=factor_texts(
            prediction.contributions, names, model_name=str(record.get("model") or "")
        ),
        model_version=serving.version,
        asking_price=asking_price,
        fallback_from=serving.fallback_from,
    )
    if with_forecast:
        result.forecast = [
            PricePoint(
                months=point.months,
                p10=quantize_money(point.p10),
                p50=quantize_money(point.p50),
                p90=quantize_money(point.p90),
            )
            for point in forecast_value(serving.model, record, months=FORECAST_MONTHS, as_of=as_of)
        ]
    if with_comparables:
        result.comparables = find_comparables(record, as_of=as_of)
    if store:
        result.record = Valuation.objects.create(
            listing=listing,
            machine=machine,
            kind=kind,
            inputs=json_inputs(record),
            p10=result.p10,
            p50=result.p50,
            p90=result.p90,
            currency=result.currency,
            unusual=result.unusual,
            model_version=serving.version,
        )
    return result


def _names(record: dict[str, Any]) -> dict[str, str]:
    """What users call the record's coded values in the active language: the category slug
    and the size class (the category's English name, valuation.records), and the brand (stored
    by its Chinese name)."""
    names: dict[str, str] = {}
    slug = record.get("category") or ""
    category = Category.objects.filter(slug=slug).only("name", "name_en").first() if slug else None
    if category is not None:
        names[slug] = category.display_name
        if category.name_en:
            names[category.name_en] = category.display_name
    brand = record.get("brand") or ""
    brand_row = Brand.objects.filter(name=brand).only("name", "name_en").first() if brand else None
    if brand_row:
        names[brand] = brand_row.display_name
    size_class = record.get("size_class") or ""
    if size_class and size_class not in names:
        size_row = (
            Category.objects.filter(Q(name_en=size_class) | Q(slug=size_class))
            .only("name", "name_en")
            .first()
        )
        if size_row:
            names[size_class] = size_row.display_name
    return names


def valuation_value_machine(
    *,
    machine: Machine,
    listing: Listing | None = None,
    kind: str = ValuationKind.LISTING,
    **options: Any,
) -> MachineValuation | None:
    """Value a machine as it would sell today (through the listing's format, if any)."""
    record = record_from_machine(machine, listing=listing)
    asking = listing.asking_price if listing is not None else None
    return valuation_value_record(
        record=record, kind=kind, listing=listing, machine=machine, asking_price=asking, **options
    )


def valuation_for_listing(listing: Listing) -> MachineValuation | None:
    """The listing page's valuation (recorded with its model version)."""
    return valuation_value_machine(machine=listing.machine, listing=listing)
