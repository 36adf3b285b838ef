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
