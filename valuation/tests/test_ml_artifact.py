"""Saving and loading: identical predictions after a round trip, clear refusal of bad files."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from valuation.ml import (
    ModelArtifactError,
    TrainConfig,
    ValuationModel,
    data_snapshot_hash,
    load,
    predict_frame,
    predict_one,
    save,
    train,
)
from valuation.ml.artifact import members_digest
from valuation.ml.features import FEATURES
from valuation.ml.synthetic import synthetic_sales

RECORD = {
    "category": "excavator",
    "brand": "SANY",
    "model": "SY215C",
    "base_model": "SY215",
    "year": 2018,
    "hours": 7000.0,
    "region": "Hunan",
    "condition_grade": "B",
    "sale_channel": "auction",
    "attributes": {},
}


@pytest.fixture(scope="module")
def sales() -> pd.DataFrame:
    return synthetic_sales(1500, seed=11)


@pytest.fixture(scope="module")
def model(sales: pd.DataFrame) -> ValuationModel:
    return train(sales, TrainConfig(rounds=120))


@pytest.fixture
def saved(model: ValuationModel, tmp_path: Path) -> Path:
    directory = tmp_path / "model-v1"
    save(model, directory)
    return directory


def test_round_trip_gives_identical_predictions(
    model: ValuationModel, saved: Path, sales: pd.DataFrame
) -> None:
    loaded = load(saved)

    pd.testing.assert_frame_equal(
        predict_frame(loaded, sales, as_of=date(2023, 1, 1)),
        predict_frame(model, sales, as_of=date(2023, 1, 1)),
        check_exact=True,
    )
    assert predict_one(loaded, RECORD, as_of=date(2023, 1, 1)) == predict_one(
        model, RECORD, as_of=date(2023, 1, 1)
    )
    assert loaded.version == model.version


def test_card_describes_the_model(saved: Path, sales: pd.DataFrame) -> None:
    card = json.loads((saved / "card.json").read_text(encoding="utf-8"))
    model_bytes = (saved / "model.txt").read_bytes()
    files = ["model.txt", "member-catboost.cbm"]
    hashes = [sha256((saved / name).read_bytes()) for name in files]

    assert [
        (member["name"], member["kind"], member["file"], member["sha256"])
        for member in card["members"]
    ] == [
        ("lightgbm_categorical", "lightgbm", files[0], hashes[0]),
        ("catboost", "catboost", files[1], hashes[1]),
    ]
    assert sum(member["weight"] for member in card["members"]) == pytest.approx(1.0)
    assert card["artifact_sha256"] == sha256("\n".join(hashes).encode())
    assert card["features"] == list(FEATURES)
    assert card["encoder"]["vocabulary"]["brand"] == [
        "caterpillar",
        "komatsu",
        "liugong",
        "sany",
        "shantui",
        "xcmg",
    ]
    assert card["data_snapshot_sha256"] == data_snapshot_hash(sales)
    assert set(card["metrics"]) >= {
        "rmsle",
        "coverage_80",
        "median_width_ratio",
        "n_train",
        "n_calibration",
    }
    assert set(card["versions"]) >= {"lightgbm", "catboost", "numpy", "pandas", "python"}
    assert card["training_seconds"] > 0
    assert model_bytes.startswith(b"tree\n")


def test_save_leaves_no_temporary_files(saved: Path) -> None:
    assert sorted(path.name for path in saved.iterdir()) == [
        "card.json",
        "member-catboost.cbm",
        "model.txt",
    ]


def test_truncated_model_file_is_refused(saved: Path) -> None:
    model_file = saved / "model.txt"
    model_file.write_bytes(model_file.read_bytes()[:5000])

    with pytest.raises(ModelArtifactError, match="sha256 mismatch"):
        load(saved)


def test_flipped_bytes_are_refused(saved: Path) -> None:
    model_file = saved / "model.txt"
    content = bytearray(model_file.read_bytes())
    content[len(content) // 2] ^= 0xFF
    model_file.write_bytes(bytes(content))

    with pytest.raises(ModelArtifactError, match="sha256 mismatch"):
        load(saved)


@pytest.mark.parametrize(
    ("index", "file", "message"),
    [(0, "model.txt", "not a LightGBM model"), (1, "member-catboost.cbm", "not a CatBoost model")],
)
def test_unparseable_member_with_matching_hashes_is_refused(
    saved: Path, index: int, file: str, message: str
) -> None:
    garbage = b"this is not a model\n"
    (saved / file).write_bytes(garbage)

    def forge(card: dict) -> None:
        card["members"][index]["sha256"] = sha256(garbage)
        card["artifact_sha256"] = members_digest(card["members"])

    edit_card(saved, forge)

    with pytest.raises(ModelArtifactError, match=message):
        load(saved)


def test_swapped_member_hash_without_digest_is_refused(saved: Path) -> None:
    content = (saved / "member-catboost.cbm").read_bytes() + b"\0"
    (saved / "member-catboost.cbm").write_bytes(content)
    edit_card(saved, lambda card: card["members"][1].update(sha256=sha256(content)))

    with pytest.raises(ModelArtifactError, match="members' hashes do not match"):
        load(saved)


def test_member_file_outside_the_directory_is_refused(saved: Path) -> None:
    edit_card(saved, lambda card: card["members"][1].update(name="../x", file="../x.cbm"))

    with pytest.raises(ModelArtifactError, match="no valid name"):
        load(saved)


def test_wrong_feature_list_is_refused(saved: Path) -> None:
    edit_card(saved, lambda card: card["features"].remove("hours"))

    with pytest.raises(ModelArtifactError, match="different feature list"):
        load(saved)


def test_other_card_format_is_refused(saved: Path) -> None:
    edit_card(saved, lambda card: card.update(format="ironloop-valuation/0"))

    with pytest.raises(ModelArtifactError, match="format"):
        load(saved)


def test_incomplete_card_is_refused(saved: Path) -> None:
    edit_card(saved, lambda card: card.pop("encoder"))

    with pytest.raises(ModelArtifactError, match="incomplete model card"):
        load(saved)


def test_corrupt_card_is_refused(saved: Path) -> None:
    card = saved / "card.json"
    card.write_text(card.read_text(encoding="utf-8")[:100], encoding="utf-8")

    with pytest.raises(ModelArtifactError, match="unreadable model card"):
        load(saved)


def test_missing_artifact_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelArtifactError, match="no model card"):
        load(tmp_path / "nothing-here")


def edit_card(directory: Path, change: object) -> None:
    path = directory / "card.json"
    card = json.loads(path.read_text(encoding="utf-8"))
    change(card)  # type: ignore[operator]
    path.write_text(json.dumps(card), encoding="utf-8")


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
