"""Fixtures shared by the whole suite."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def coach_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private, empty COACH_HOME, so no test touches the real config, data or routines."""
    monkeypatch.setenv("COACH_HOME", str(tmp_path))
    return tmp_path
