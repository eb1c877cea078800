"""How wide a line of text is drawn, estimated without a browser.

The map is laid out before any browser sees it (and must come out the same on every
machine), so widths come from a fixed table: Helvetica's advance widths (Arial and
Liberation Sans share them), in thousandths of the font size, plus a margin for fonts
that run wider (DejaVu Sans, where neither is installed).
"""

from __future__ import annotations

FONT_FAMILY = "Helvetica, Arial, 'Liberation Sans', sans-serif"
#: wider fonts (DejaVu Sans) run up to about a tenth wider than Helvetica
MARGIN = 1.12
BOLD = 1.08

_WIDTHS = {
    **dict.fromkeys(" !,./:;[\\]Iijlt|f", 278),
    **dict.fromkeys("ijl", 222),
    **dict.fromkeys("\"'", 250),
    **dict.fromkeys("()-`r{}", 333),
    **dict.fromkeys("*", 389),
    **dict.fromkeys("^", 469),
    **dict.fromkeys("Jckssvxyz", 500),
    **dict.fromkeys("#$0123456789?L_abdeghnopqu", 556),
    **dict.fromkeys("+<=>~", 584),
    **dict.fromkeys("FTZ", 611),
    **dict.fromkeys("ABEKPSVXY&", 667),
    **dict.fromkeys("CDHNRUw", 722),
    **dict.fromkeys("GOQ", 778),
    **dict.fromkeys("Mm", 833),
    **dict.fromkeys("%", 889),
    **dict.fromkeys("W", 944),
    **dict.fromkeys("@→—", 1000),
}
_OTHER = 600


def width(text: str, size: float, *, bold: bool = False) -> float:
    """The estimated width of ``text`` at ``size`` pixels (never less than drawn)."""
    units = sum(_WIDTHS.get(char, _OTHER) for char in text)
    return units / 1000 * size * MARGIN * (BOLD if bold else 1.0)
