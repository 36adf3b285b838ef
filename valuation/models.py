"""Models of the valuation app: the model registry and every value shown to a user."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.money import currency_field, money_field


class TrainingSource(models.TextChoices):
    """Which sale records a model learned from; one currency per model, never mixed."""

    PLATFORM = "platform", _("平台与模拟成交（人民币）")
    EXTERNAL = "external", _("外部拍卖数据（美元）")


class ModelVersionQuerySet(models.QuerySet):
    def active(self) -> "ModelVersionQuerySet":
        return self.filter(is_active=True)


class ModelVersion(models.Model):
    """One trained model: where its artifact is, what it learned from, how good it is.

    Exactly one row is active (database constraint); services switch it atomically.
    """

    version = models.CharField(_("版本"), max_length=64, unique=True)
    artifact_path = models.CharField(
        _("模型文件目录"), max_length=255, help_text=_("相对于 ML_MODELS_DIR")
    )
    artifact_sha256 = models.CharField(_("模型文件 SHA-256"), max_length=64)
    data_snapshot_hash = models.CharField(_("数据快照哈希"), max_length=64, db_index=True)
    n_train = models.PositiveIntegerField(_("训练行数"))
    n_calibration = models.PositiveIntegerField(_("校准行数"))
    currency = currency_field()
    source = models.CharField(
        _("训练数据来源"),
        max_length=10,
        choices=TrainingSource.choices,
        default=TrainingSource.PLATFORM,
    )
    features = models.JSONField(_("特征"), default=list)
    metrics = models.JSONField(_("指标"), default=dict)
    library_versions = models.JSONField(_("库版本"), default=dict)
    code_version = models.CharField(_("代码版本"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    activated_at = models.DateTimeField(_("启用时间"), null=True, blank=True)
    is_active = models.BooleanField(_("当前启用"), default=False)

    objects = ModelVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("估值模型版本")
        verbose_name_plural = _("估值模型版本")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="valuation_one_active_model_version",
            ),
        ]

    def __str__(self) -> str:
        return self.version


class ValuationKind(models.TextChoices):
    LISTING = "listing", _("挂牌页")
    ESTIMATE = "estimate", _("估值工具")
    FORECAST = "forecast", _("残值预测")


class Valuation(models.Model):
    """A value that was shown (or handed to another app), with the model that produced it."""

    listing = models.ForeignKey(
        "marketplace.Listing",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="valuations",
    )
    machine = models.ForeignKey(
        "marketplace.Machine",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="valuations",
    )
    kind = models.CharField(max_length=10, choices=ValuationKind.choices)
    inputs = models.JSONField(_("输入"), default=dict)
    p10 = money_field(_("P10"))
    p50 = money_field(_("估值（P50）"))
    p90 = money_field(_("P90"))
    currency = currency_field()
    unusual = models.BooleanField(_("输入不常见"), default=False)
    model_version = models.ForeignKey(
        ModelVersion, on_delete=models.PROTECT, related_name="valuations"
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("估值记录")
        verbose_name_plural = _("估值记录")
        indexes = [
            models.Index(fields=["listing", "-created_at"], name="valuation_listing_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.p50} {self.currency} ({self.model_version_id})"


class BacktestStatus(models.TextChoices):
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")


class BacktestSkip(models.TextChoices):
    """Why a month has no figures; stored as a code so each language shows its own text."""

    TOO_LITTLE_DATA = "too_little_data", _("训练数据不足")


class BacktestRunQuerySet(models.QuerySet):
    def succeeded(self) -> "BacktestRunQuerySet":
        return self.filter(status=BacktestStatus.SUCCEEDED)


class BacktestRun(models.Model):
    """One rolling-origin back-test of a training source: for each month, a model fitted on
    the sales before it scored that month's sales. Stored because it takes minutes."""

    source = models.CharField(
        _("训练数据来源"), max_length=10, choices=TrainingSource.choices, db_index=True
    )
    currency = currency_field()
    status = models.CharField(_("状态"), max_length=10, choices=BacktestStatus.choices)
    months_requested = models.PositiveSmallIntegerField(_("回测月数"))
    data_snapshot_hash = models.CharField(_("数据快照哈希"), max_length=64, blank=True)
    code_version = models.CharField(_("代码版本"), max_length=64, blank=True)
    settings = models.JSONField(_("训练设置"), default=dict)
    error = models.TextField(_("错误"), blank=True)
    seconds = models.FloatField(_("耗时（秒）"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = BacktestRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("估值回测")
        verbose_name_plural = _("估值回测")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} {self.created_at:%Y-%m-%d %H:%M}"


class BacktestMonth(models.Model):
    """One month of a back-test: the figures, or why the month was skipped (never both)."""

    run = models.ForeignKey(BacktestRun, on_delete=models.CASCADE, related_name="months")
    month = models.DateField(_("月份"), help_text=_("当月第一天"))
    n_train = models.PositiveIntegerField(_("训练样本数"))
    n_sales = models.PositiveIntegerField(_("成交数"))
    median_error = models.FloatField(_("中位误差"), null=True, blank=True)
    median_abs_error = models.FloatField(_("中位绝对误差"), null=True, blank=True)
    within_10 = models.FloatField(_("误差在 ±10% 内"), null=True, blank=True)
    within_20 = models.FloatField(_("误差在 ±20% 内"), null=True, blank=True)
    coverage = models.FloatField(_("P10–P90 覆盖率"), null=True, blank=True)
    skipped_reason = models.CharField(
        _("跳过原因"), max_length=20, choices=BacktestSkip.choices, blank=True
    )
    skipped_detail = models.CharField(_("跳过说明"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("回测月份")
        verbose_name_plural = _("回测月份")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["run", "month"], name="valuation_backtest_month_once"),
        ]

    def __str__(self) -> str:
        return f"{self.run_id} {self.month:%Y-%m}"

    @property
    def skipped(self) -> bool:
        return bool(self.skipped_reason)


class PipelineBenchmark(models.Model):
    """One run of the public Blue Book benchmark (``valuation_benchmark --record``): the
    shipped pipeline beside the two LightGBM peers on the same rows, for one code version.

    A model card shows the run of the code that trained it; the benchmark measures the
    pipeline (code and settings), not the model's own training data."""

    code_version = models.CharField(_("代码版本"), max_length=64, db_index=True)
    protocol = models.CharField(_("协议"), max_length=200)
    figures = models.JSONField(_("基准数据"), default=dict)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("公开基准结果")
        verbose_name_plural = _("公开基准结果")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.code_version} {self.created_at:%Y-%m-%d %H:%M}"
