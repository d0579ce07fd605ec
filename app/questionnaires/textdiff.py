"""Texts compared word by word (each Chinese or Japanese character counts as a word): the runs
both versions share and the runs only one has. Answer types use it for texts, law lists and
choices; pages show the runs marked, and templates escape them (they stay plain strings)."""
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

SAME, REMOVED, ADDED, CHANGED = "same", "removed", "added", "changed"
#: A word, a run of spaces, one punctuation mark, or one CJK character (those scripts have no spaces).
TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]|\w+|\s+|[^\w\s]")


@dataclass(frozen=True)
class Segment:
    """A run of text that both versions share (``same``) or that only one has."""

    kind: str
    text: str


@dataclass(frozen=True)
class CellChange:
    row: str
    column: str
    old: str
    new: str


@dataclass(frozen=True)
class ItemChange:
    """One law of a law list, or one option of a multiple choice, added, removed or changed."""

    kind: str
    old: str = ""
    new: str = ""
    #: For a changed law: its words, marked.
    words: tuple[Segment, ...] = ()


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """``old`` and ``new`` as runs of shared, removed and added text (in reading order)."""
    a, b = TOKEN.findall(old or ""), TOKEN.findall(new or "")
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            _append(segments, SAME, "".join(a[i1:i2]))
            continue
        _append(segments, REMOVED, "".join(a[i1:i2]))
        _append(segments, ADDED, "".join(b[j1:j2]))
    return tuple(segments)


def _append(segments: list[Segment], kind: str, text: str) -> None:
    if not text:
        return
    if segments and segments[-1].kind == kind:
        segments[-1] = Segment(kind, segments[-1].text + text)
    else:
        segments.append(Segment(kind, text))
