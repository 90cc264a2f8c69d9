"""The `coach` command's entry point.

`coach` alone opens the app's home screen, the most common start of all, without
loading click (about a tenth of start-up): the checks the command line would make are
made here, and anything out of the ordinary (an argument, no terminal, an odd home
folder) goes through `coach.cli`, which says what is wrong in its own words.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import sys
from typing import TextIO

from coach.paths import HOME_ENV

# What coach's own typography becomes where the output's encoding lacks it: the sign of
# "−2.0" and the marks keep their meaning; anything else is "?".
_PLAIN_FORMS = str.maketrans(
    {
        "−": "-",
        "–": "-",
        "—": "-",
        "→": "->",
        "←": "<-",
        "…": "...",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "★": "*",
        "▲": "^",
        "⚑": "!",
        "✓": "v",
        "≤": "<=",
        "≥": ">=",
        "·": ".",
        "×": "x",
    }
)
ERRORS = "coach.plain"


def _plain_forms(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end].translate(_PLAIN_FORMS)
    return "".join(c if c.isascii() else "?" for c in text), error.end


def replace_unencodable() -> None:
    """Make stdout and stderr write what their encoding can't hold in a plain form ("−"
    as "-", "→" as "->", anything else as "?"), never fail.

    With PYTHONIOENCODING=latin-1 or an ASCII locale, a routine name or a "—" would
    otherwise end a command with a traceback, even after its work was done.
    """
    codecs.register_error(ERRORS, _plain_forms)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors=ERRORS)


def main() -> None:
    if len(sys.argv) > 1 or not _plain_start():
        from coach.cli import main as command_line

        command_line()
        return
    replace_unencodable()
    from coach.store import StoreError
    from coach.store.opening import open_for_command
    from coach.tui.launch import run_app

    try:
        run_app(open_for_command)
    except StoreError as exc:
        say(str(exc))
        sys.exit(1)


def on_terminal(stream: TextIO | None) -> bool:
    """Whether a standard stream is a terminal (a closed one, `2>&-`, is None: not one)."""
    return stream is not None and stream.isatty()


def _plain_start() -> bool:
    """Whether `coach` alone can open the app at once: on a terminal, with a home folder
    that is unset or usable (else coach.cli explains)."""
    if not all(on_terminal(stream) for stream in (sys.stdin, sys.stdout, sys.stderr)):
        return False
    home = os.environ.get(HOME_ENV)
    if home is None:
        return True
    if not home.strip():
        return False
    try:
        os.stat(os.path.expanduser(home))
    except FileNotFoundError:
        return True  # created when needed
    except (OSError, ValueError):
        return False
    return True


def say(message: str) -> None:
    """One line for the person on stderr (`coach: …`), control characters made visible;
    a closed stderr is no reason to fail."""
    from coach.core.text import visible_text

    with contextlib.suppress(OSError, ValueError):
        print(f"coach: {visible_text(message)}", file=sys.stderr, flush=True)
