"""The model registry: one active version, atomic switching, rollback, skip-if-unchanged and
corrupt artifacts that never get served."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from core.errors import ConflictError, PermissionDeniedError
from marketplace.models import SaleChannel, SaleRecord, SaleSource
from valuation import registry
from valuation.ml import ModelArtifactError
from valuation.models import ModelVersion
from valuation.services import model_version_activate, model_version_rollback, valuation_train

from .conftest import FAST


def _version(name: str, *, active: bool = False) -> ModelVersion:
    return ModelVersion.objects.create(
        version=name,
        artifact_path=name,
        artifact_sha256="0" * 64,
        data_snapshot_hash="1" * 64,
        n_train=10,
        n_calibration=5,
        is_active=active,
    )


@pytest.mark.django_db
def test_two_active_versions_violate_the_constraint():
    _version("a", active=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        _version("b", active=True)
    assert list(ModelVersion.objects.values_list("version", "is_active")) == [("a", True)]


def test_train_registers_saves_and_activates(trained, models_dir):
    assert trained.is_active is True
    assert trained.source == "platform"
    assert trained.currency == "CNY"
    assert trained.n_train + trained.n_calibration == 600
    assert (models_dir / trained.artifact_path / "model.txt").is_file()
    assert (models_dir / trained.artifact_path / "card.json").is_file()
    assert set(trained.metrics) == {"rmsle", "coverage_80", "width", "n_rows"}
    assert "lightgbm" in trained.library_versions
    assert "hours" in trained.features
    assert trained.code_version


def test_unchanged_data_is_retrained_when_the_current_artifact_cannot_be_served(
    trained, models_dir
):
    """E.g. a model saved in an older card format: skipping would leave nothing to serve."""
    card = models_dir / trained.artifact_path / "card.json"
    card.write_text(card.read_text(encoding="utf-8").replace("ironloop-valuation/2", "x/1"))
    registry.clear_cache()
    lines = []

    again = valuation_train(config=FAST, progress=lines.append)

    assert again.skipped is False
    assert again.version != trained
    assert ModelVersion.objects.get(is_active=True) == again.version
    assert any("cannot be loaded by this code; retraining" in line for line in lines)


def test_train_skips_when_data_unchanged_and_runs_after_a_new_sale(trained):
    lines = []
    again = valuation_train(config=FAST, progress=lines.append)
    assert again.skipped is True
    assert again.version == trained
    assert ModelVersion.objects.count() == 1
    assert any("unchanged" in line for line in lines)

    SaleRecord.objects.create(
        source=SaleSource.PLATFORM,
        sale_channel=SaleChannel.FIXED,
        sold_at=dt.date(2022, 12, 30),
        price=Decimal("88000.00"),
        category_slug="excavator",
        brand_name="三一",
        model_name="SY75C",
        base_model="SY75",
        year_of_manufacture=2018,
        hours=6100,
    )
    retrained = valuation_train(config=FAST)
    assert retrained.skipped is False
    assert retrained.version.data_snapshot_hash != trained.data_snapshot_hash
    trained.refresh_from_db()
    assert (trained.is_active, retrained.version.is_active) == (False, True)


def test_usd_records_are_never_mixed_into_the_cny_model(trained):
    SaleRecord.objects.create(
        source=SaleSource.EXTERNAL,
        external_id="1139246",
        sale_channel=SaleChannel.EXTERNAL_AUCTION,
        sold_at=dt.date(2022, 12, 30),
        price=Decimal("66000.00"),
        currency="USD",
        category_slug="excavator",
        brand_name="unknown",
        model_name="521D",
    )
    assert valuation_train(config=FAST).skipped is True


def test_force_then_rollback_reactivates_the_previous_version(trained):
    second = valuation_train(config=FAST, force=True).version
    assert second.pk != trained.pk
    assert ModelVersion.objects.get(is_active=True) == second

    back = model_version_rollback()
    assert back == trained
    assert ModelVersion.objects.get(is_active=True) == trained
    assert registry.serving_model().version == trained


def test_rollback_command_and_listing(trained, capsys):
    second = valuation_train(config=FAST, force=True).version
    call_command("valuation_models", "--rollback")
    out = capsys.readouterr().out
    assert f"rolled back: {trained.version} is active" in out
    assert f"* {trained.version}" in out
    assert f"  {second.version}" in out


def test_rollback_without_previous_version_is_refused(trained):
    with pytest.raises(ConflictError):
        model_version_rollback()
    assert ModelVersion.objects.get(is_active=True) == trained


def test_non_staff_cannot_activate(trained, dealer):
    second = valuation_train(config=FAST, force=True).version
    with pytest.raises(PermissionDeniedError):
        model_version_activate(version=trained.version, actor=dealer)
    assert ModelVersion.objects.get(is_active=True) == second


def test_staff_can_activate(trained, staff):
    valuation_train(config=FAST, force=True)
    assert model_version_activate(version=trained.version, actor=staff) == trained
    assert ModelVersion.objects.get(is_active=True) == trained


def _truncate(version: ModelVersion, models_dir) -> None:
    path = models_dir / version.artifact_path / "model.txt"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def test_corrupt_active_artifact_falls_back_to_the_previous_model(trained, models_dir, caplog):
    second = valuation_train(config=FAST, force=True).version
    _truncate(second, models_dir)
    registry.clear_cache()  # a fresh process
    with caplog.at_level(logging.ERROR, logger="valuation.registry"):
        serving = registry.serving_model()
    assert serving.version == trained
    assert serving.fallback_from == second.version
    assert "sha256 mismatch" in serving.fallback_reason
    assert any("cannot load the active model" in r.getMessage() for r in caplog.records)
    with pytest.raises(ModelArtifactError, match="sha256 mismatch"):
        registry.load_version(second)


def test_activating_a_corrupt_artifact_is_refused(trained, models_dir):
    second = valuation_train(config=FAST, force=True).version
    model_version_rollback()
    _truncate(second, models_dir)
    with pytest.raises(ConflictError) as error:
        model_version_activate(version=second.version)
    assert error.value.code == "artifact_invalid"
    assert "sha256 mismatch" in error.value.message
    assert ModelVersion.objects.get(is_active=True) == trained


def test_activate_command_reports_a_refusal(trained, models_dir):
    second = valuation_train(config=FAST, force=True).version
    model_version_rollback()
    _truncate(second, models_dir)
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="sha256 mismatch"):
        call_command("valuation_models", "--activate", second.version)
    assert ModelVersion.objects.get(is_active=True) == trained


def test_train_command_shows_progress_and_skips(trained, capsys):
    call_command("valuation_train")
    out = capsys.readouterr().out
    assert "reading platform sale records (CNY)" in out
    assert "600 sale records" in out
    assert "skipped" in out


def test_a_completed_platform_sale_is_picked_up_by_the_next_training(trained, buyer_org):
    from marketplace.services import listing_mark_sold
    from marketplace.tests.factories import PublishedListingFactory

    listing = PublishedListingFactory(status="reserved")  # sold after a reservation
    record = listing_mark_sold(
        listing=listing, price=Decimal("61000.00"), channel="fixed", buyer=buyer_org, actor=None
    )
    assert (record.source, record.currency) == (SaleSource.PLATFORM, "CNY")
    result = valuation_train(config=FAST)
    assert result.skipped is False
    assert result.version.n_train + result.version.n_calibration == 601
