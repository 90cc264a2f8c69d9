"""A real (non-editable) install ships the built-in routines and finds them inside the package."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BUILTIN_IDS = sorted(p.stem for p in (REPO / "routines").glob("*.yaml"))

pytestmark = pytest.mark.slow

WHERE_IS_COACH = """\
import coach, coach.paths
print(coach.__file__)
print(coach.paths.builtin_routines_dir())
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel of this checkout, built as pip would build it for `pip install .`."""
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out)]
    # Reuse the build backend when it is installed (a dev venv); else pip fetches it.
    if importlib.util.find_spec("hatchling") is not None:
        command.append("--no-build-isolation")
    subprocess.run([*command, str(REPO)], check=True, timeout=240)
    (built,) = out.glob("coach-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel unpacked by pip into a bare target folder (dependencies come from this venv)."""
    target = tmp_path_factory.mktemp("target")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", target, wheel],
        check=True,
        timeout=240,
    )
    return target


def _run_installed(target: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run Python from outside the checkout with only the installed copy of coach importable."""
    env = {**os.environ, "PYTHONPATH": str(target), "COACH_HOME": str(cwd / "home")}
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_wheel_contains_the_package_and_every_builtin_routine(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "coach/cli.py" in names
    assert "coach/__main__.py" in names
    for routine_id in BUILTIN_IDS:
        assert f"coach/routines/{routine_id}.yaml" in names


def test_installed_package_finds_builtins_inside_itself(installed: Path, tmp_path: Path) -> None:
    proc = _run_installed(
        installed,
        tmp_path,
        "-c",
        WHERE_IS_COACH,
    )
    assert proc.returncode == 0, proc.stderr
    module_file, routines_dir = (Path(line) for line in proc.stdout.splitlines())
    assert module_file.is_relative_to(installed)
    assert routines_dir == installed / "coach" / "routines"
    assert sorted(p.stem for p in routines_dir.glob("*.yaml")) == BUILTIN_IDS


def test_installed_coach_lists_every_builtin(installed: Path, tmp_path: Path) -> None:
    proc = _run_installed(
        installed, tmp_path, "-m", "coach", "routines", "list", "--format", "json"
    )
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    assert sorted(row["id"] for row in rows) == BUILTIN_IDS
    for row in rows:
        assert row["source"] == "built-in"
        assert row["valid"] is True, row
        assert Path(row["path"]).is_relative_to(installed)
