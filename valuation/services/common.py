"""What the valuation services share: progress reporting and the code version they record."""

from __future__ import annotations

import subprocess
from collections.abc import Callable

from django.conf import settings

Progress = Callable[[str], None]


def quiet(_message: str) -> None:
    return None


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
