"""Saving and loading a ``ValuationModel`` without pickle.

An artifact is a directory: one file per ensemble member in its library's own format —
``model.txt`` for the lead LightGBM member, ``member-<name>.txt`` (LightGBM text) or
``member-<name>.cbm`` (CatBoost binary) for the others — and ``card.json``, the model card
with features, category vocabularies, members with their weights and file hashes, conformal
offsets, metrics, library versions and data snapshot hash. Unlike pickle, these formats
cannot execute code when loaded, and the LightGBM text can be read by a human when a
valuation looks wrong. Each file's bytes are hashed and then parsed from those same bytes.

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
import re
import tempfile
from pathlib import Path
from typing import Any, Final

from .features import FEATURES
from .members import CATBOOST, Member, MemberSpec, member_from_bytes, spec_from_dict, spec_to_dict
from .model import CARD_FORMAT, ValuationModel

_MEMBER_NAME: Final = re.compile(r"[a-z0-9_]{1,40}")
CARD_FILE: Final = "card.json"
MODEL_FILE: Final = "model.txt"


class ModelArtifactError(Exception):
    """The artifact is missing, corrupt, truncated or made for other code; never serve it."""


def save(model: ValuationModel, directory: str | os.PathLike[str]) -> Path:
    """Write the artifact into ``directory`` (created if needed) and return its card path."""
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    members = []
    for index, (member, weight) in enumerate(zip(model.members, model.weights, strict=True)):
        content = member.to_bytes()
        name = _member_file(index, member.spec.kind, member.spec.name)
        _atomic_write(target / name, content)
        members.append(
            {
                **_card_member(model.card, index),
                **spec_to_dict(member.spec),
                "weight": weight,
                "file": name,
                "sha256": hashlib.sha256(content).hexdigest(),
            }
        )
    card = {
        **model.card,
        "members": members,
        "artifact_sha256": members_digest(members),
    }
    payload = json.dumps(card, indent=1, sort_keys=True, ensure_ascii=False, allow_nan=False)
    _atomic_write(target / CARD_FILE, payload.encode("utf-8"))
    return target / CARD_FILE


def load(directory: str | os.PathLike[str]) -> ValuationModel:
    """Load and verify an artifact; raises ``ModelArtifactError`` with the reason."""
    target = Path(directory)
    card = _read_card(target / CARD_FILE)
    _check_card(card)
    try:
        entries = [(spec_from_dict(entry), entry) for entry in card["members"]]
        weights = [float(entry["weight"]) for _spec, entry in entries]
    except (KeyError, TypeError, ValueError) as error:
        message = f"{target / CARD_FILE}: incomplete model card (missing or bad {error})"
        raise ModelArtifactError(message) from error
    if card.get("artifact_sha256") != members_digest(card["members"]):
        raise ModelArtifactError(f"{target / CARD_FILE}: the members' hashes do not match")
    members = [_read_member(target, spec, entry) for spec, entry in entries]
    try:
        return ValuationModel(members, weights, card)
    except (KeyError, TypeError, ValueError) as error:
        message = f"{target / CARD_FILE}: incomplete model card (missing or bad {error})"
        raise ModelArtifactError(message) from error


def members_digest(members: list[dict[str, Any]]) -> str:
    """One digest for the whole artifact: sha256 of the members' sha256s, in order.

    The registry stores it, so swapping any member file (or the card) is refused."""
    joined = "\n".join(str(entry.get("sha256")) for entry in members)
    return hashlib.sha256(joined.encode("ascii", "replace")).hexdigest()


def _member_file(index: int, kind: str, name: str) -> str:
    """The lead LightGBM member keeps the historic ``model.txt``; others are named."""
    extension = "cbm" if kind == CATBOOST else "txt"
    if index == 0 and kind != CATBOOST:
        return MODEL_FILE
    return f"member-{name}.{extension}"


def _card_member(card: dict[str, Any], index: int) -> dict[str, Any]:
    """What training recorded about member ``index`` (rounds used, calibration error)."""
    recorded = card.get("members") or []
    return dict(recorded[index]) if index < len(recorded) else {}


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
    members = card.get("members")
    if not isinstance(members, list) or not members:
        raise ModelArtifactError("model card lists no ensemble members")
    for index, entry in enumerate(members):
        if not isinstance(entry, dict) or not _MEMBER_NAME.fullmatch(str(entry.get("name"))):
            raise ModelArtifactError(f"model card member {index} has no valid name")
        expected = _member_file(index, str(entry.get("kind")), str(entry["name"]))
        if entry.get("file") != expected:
            raise ModelArtifactError(f"model card member {index} must be stored as {expected!r}")


def _read_member(target: Path, spec: MemberSpec, entry: dict[str, Any]) -> Member:
    """Hash the bytes we parse (not the path), so a file swapped in between is caught."""
    path = target / entry["file"]
    try:
        content = path.read_bytes()
    except OSError as error:
        raise ModelArtifactError(f"{path}: cannot read model file ({error})") from error
    if hashlib.sha256(content).hexdigest() != entry.get("sha256"):
        raise ModelArtifactError(f"{path}: sha256 mismatch (file corrupt, truncated or replaced)")
    try:
        return member_from_bytes(spec, content)
    except ValueError as error:
        raise ModelArtifactError(f"{path}: {error}") from error


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
