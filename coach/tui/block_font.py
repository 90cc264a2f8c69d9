"""Large digits of block characters, at any whole scale: the walk's time left, from afar.

A 3×5 pixel font, each pixel `scale` columns wide and `scale` half-rows tall (drawn with
▀ ▄ █), so a pixel looks square in a terminal cell twice as tall as it is wide. Scale 2
gives digits 5 rows tall, scale 4 gives 10. Solid blocks read from across a room where
Textual's line-drawn Digits (3 rows) do not.
"""

from __future__ import annotations

from functools import lru_cache

GLYPHS = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", ".##", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", "..#", ".#.", ".#."),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    ":": (".", "#", ".", "#", "."),
    " ": ("...",),
}
PIXEL_ROWS = 5
_HALF = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def rows_for(scale: int) -> int:
    """How many terminal rows the digits take at `scale`."""
    return -(-PIXEL_ROWS * scale // 2)


def width_of(text: str, scale: int) -> int:
    """Columns `text` takes at `scale` (one pixel of space between characters)."""
    pixels = sum(len(GLYPHS.get(char, GLYPHS[" "])[0]) for char in text)
    return (pixels + max(len(text) - 1, 0)) * scale


@lru_cache(maxsize=64)
def block_rows(text: str, scale: int) -> tuple[str, ...]:
    """`text` (digits, colons, spaces) drawn at `scale`, as rows of equal width."""
    pixel_rows = []
    for y in range(PIXEL_ROWS):
        line = []
        for char in text:
            glyph = GLYPHS.get(char, GLYPHS[" "])
            line.append(glyph[y] if len(glyph) > y else glyph[0])
        pixel_rows.append(".".join(line))  # the pixel of space between characters
    rows = []
    for row in range(rows_for(scale)):
        top, bottom = (2 * row) // scale, (2 * row + 1) // scale
        cells = []
        for x in range(len(pixel_rows[0])):
            upper = top < PIXEL_ROWS and pixel_rows[top][x] == "#"
            lower = bottom < PIXEL_ROWS and pixel_rows[bottom][x] == "#"
            cells.append(_HALF[upper, lower] * scale)
        rows.append("".join(cells))
    return tuple(rows)
