"""Text written by States, prepared for reading: its direction, and its paragraphs."""
import re
import unicodedata

_BLANK_LINES = re.compile(r"\n\s*\n")


def writing_direction(text: str) -> str:
    """``rtl`` or ``ltr`` from the first strongly directional character, as ``dir="auto"`` does
    in browsers (WeasyPrint has no ``dir="auto"``): an English answer in an Arabic profile reads
    left to right, with its full stop at the end. Empty when the text has no letter."""
    for character in text or "":
        kind = unicodedata.bidirectional(character)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return ""


def paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines; single line breaks stay inside their paragraph."""
    return [part.strip() for part in _BLANK_LINES.split(text or "") if part.strip()]
