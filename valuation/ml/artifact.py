"""Saving and loading a ``ValuationModel`` without pickle.

An artifact is a directory: ``model.txt``, LightGBM's own text model format, and
``card.json``, the model card with features, category vocabularies, conformal offsets,
metrics, library versions, data snapshot hash and the sha256 of the model file. Unlike
pickle, text formats cannot execute code when loaded, and a human can read them when a
valuation looks wrong. (The verified bytes are parsed with ``lgb.Booster(model_str=...)``,
the same parser as ``model_file=``.)

Each file is written to a temporary file in the target directory and renamed into place
(atomic on POSIX); the card goes last, so a crash mid-save leaves a card whose hash does not
match and ``load`` refuses it instead of serving a half-written model. Save each version
into its own directory; overwriting the directory of a model in use is not supported.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Final

import lightgbm as lgb

from .features import FEATURES
from .model import CARD_FORMAT, ValuationModel

CARD_FILE: Final = "card.json"
MODEL_FILE: Final = "model.txt"


class ModelArtifactError(Exception):
    """The artifact is missing, corrupt, truncated or made for other code; never serve it."""


def save(model: ValuationModel, directory: str | os.PathLike[str]) -> Path:
    """Write the artifact into ``directory`` (created if needed) and return its card path."""
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    text = model.booster.model_to_string().encode("utf-8")
    _atomic_write(target / MODEL_FILE, text)
    card = {
        **model.card,
        "model_file": {"file": MODEL_FILE, "sha256": hashlib.sha256(text).hexdigest()},
    }
    payload = json.dumps(card, indent=1, sort_keys=True, ensure_ascii=False, allow_nan=False)
    _atomic_write(target / CARD_FILE, payload.encode("utf-8"))
    return target / CARD_FILE


def load(directory: str | os.PathLike[str]) -> ValuationModel:
    """Load and verify an artifact; raises ``ModelArtifactError`` with the reason."""
    target = Path(directory)
    card = _read_card(target / CARD_FILE)
    _check_card(card)
    booster = _read_booster(target / MODEL_FILE, card["model_file"]["sha256"])
    try:
        return ValuationModel(booster, card)
    except (KeyError, TypeError, ValueError) as error:
        message = f"{target / CARD_FILE}: incomplete model card (missing or bad {error})"
        raise ModelArtifactError(message) from error


def _read_card(path: Path) -> dict[str, Any]:
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelArtifactError(f"{path}: no model card (is this a model directory?)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelArtifactError(f"{path}: unreadable model card ({error})") from error
    if not isinstance(card, dict):
        raise ModelArtifactError(f"{path}: the model card is not a JSON object")
    return card


def _check_card(card: dict[str, Any]) -> None:
    """Refuse artifacts this code cannot interpret the same way it was trained."""
    if card.get("format") != CARD_FORMAT:
        raise ModelArtifactError(
            f"model card format {card.get('format')!r} is not the supported {CARD_FORMAT!r}"
        )
    if card.get("features") != list(FEATURES):
        raise ModelArtifactError(
            "the model was trained with a different feature list than this code builds; "
            "retrain it with the current code"
        )
    model_file = card.get("model_file")
    if not isinstance(model_file, dict) or model_file.get("file") != MODEL_FILE:
        raise ModelArtifactError(f"model card must name the model file {MODEL_FILE!r}")


def _read_booster(path: Path, expected_sha256: Any) -> lgb.Booster:
    """Hash the bytes we parse (not the path), so a file swapped in between is caught."""
    try:
        content = path.read_bytes()
    except OSError as error:
        raise ModelArtifactError(f"{path}: cannot read model file ({error})") from error
    if hashlib.sha256(content).hexdigest() != expected_sha256:
        raise ModelArtifactError(f"{path}: sha256 mismatch (file corrupt, truncated or replaced)")
    try:
        booster = lgb.Booster(model_str=content.decode("utf-8"))
    except (lgb.basic.LightGBMError, UnicodeDecodeError) as error:
        raise ModelArtifactError(f"{path}: not a LightGBM model ({error})") from error
    if booster.feature_name() != list(FEATURES):
        raise ModelArtifactError(f"{path}: the booster's features differ from the model card")
    return booster


def _atomic_write(path: Path, content: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
