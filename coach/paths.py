"""Where coach keeps its files: platformdirs defaults, or everything under COACH_HOME."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "coach"
HOME_ENV = "COACH_HOME"


class HomeError(Exception):
    """A folder coach needs cannot be created or used; the message says which and why."""


def _home() -> Path | None:
    value = os.environ.get(HOME_ENV)
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    home = _home()
    if home is not None:
        return home
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME))


def data_dir() -> Path:
    home = _home()
    if home is not None:
        return home
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME))


def cache_dir() -> Path:
    """What coach keeps only to be quicker (safe to delete): COACH_HOME/cache, else the
    platform's cache folder."""
    home = _home()
    if home is not None:
        return home / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME))


def config_path() -> Path:
    return config_dir() / "config.yaml"


def database_path() -> Path:
    return data_dir() / "coach.db"


def user_routines_dir() -> Path:
    return config_dir() / "routines"


def builtin_routines_dir() -> Path:
    """The built-in routines: inside the installed package, or the checkout's `routines/`."""
    packaged = Path(__file__).resolve().parent / "routines"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "routines"


def user_programmes_dir() -> Path:
    return config_dir() / "programmes"


def builtin_programmes_dir() -> Path:
    """The built-in programmes: inside the installed package, or the checkout's `programmes/`."""
    packaged = Path(__file__).resolve().parent / "programmes"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "programmes"


def ensure_dir(path: Path) -> Path:
    """Create a folder (and its parents) private to the user (0700), or raise HomeError."""
    if path.exists() and not path.is_dir():
        raise HomeError(f"{path} exists but is not a folder")
    try:
        # Each missing folder, parents included, is made private: mkdir(parents=True)
        # would give the parents the umask's usual 0755.
        for folder in reversed([path, *path.parents]):
            if not folder.exists():
                folder.mkdir(mode=0o700)
    except FileExistsError:
        pass
    except OSError as exc:
        raise HomeError(f"cannot create the folder {path}: {exc.strerror or exc}") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise HomeError(f"the folder {path} is not writable")
    return path
