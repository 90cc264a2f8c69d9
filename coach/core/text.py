"""User text made safe to print: control characters shown as symbols.

Small and dependency-free, so every command (even `routines validate`) can use it.
"""

from __future__ import annotations

import re

# Control characters other than tab and line feed (check-in notes are stored without
# them), and how they are shown: C0 as their Unicode control pictures (ESC as ␛), DEL
# as ␡; C1 has no pictures, so U+FFFD.
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_PICTURES = {
    **{code: 0x2400 + code for code in range(0x20) if code not in (0x09, 0x0A)},
    0x7F: 0x2421,
    **dict.fromkeys(range(0x80, 0xA0), 0xFFFD),
}


def visible_text(text: str) -> str:
    """User text as it may be printed: control characters, but line breaks and tabs, as symbols.

    Coach stores none (check_notes and the routine validator refuse them), but a database
    written by another program or an older version may hold any: printed raw, ESC or CSI
    (U+009B) would start an escape sequence and drive the terminal.
    """
    return text.translate(_PICTURES) if CONTROLS.search(text) else text
