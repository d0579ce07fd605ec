"""Provisions and citations: what the obligation levels mean, and which paragraph of which
document a citation such as ``Protocol art. 6(3)(a)`` or ``000 §13(c)`` points to."""
import re

from flask_babel import lazy_gettext as _l

from app.questionnaires.citations import CITATION
from app.questionnaires.schema import Question, Questionnaire

OBLIGATION_LABELS = {
    "mandatory": _l("Mandatory"),
    "consider": _l("Shall consider or endeavour"),
    "optional": _l("Optional"),
    "recommendation": _l("Recommendation"),
}
OBLIGATION_MEANINGS = {
    "mandatory": _l("States Parties shall take this measure."),
    "consider": _l("States Parties shall consider taking this measure, or endeavour to take it."),
    "optional": _l("States Parties may take this measure."),
    "recommendation": _l("The Conference of the Parties or its Working Group recommends this measure."),
}

RANGE = re.compile(r"^(?P<prefix>.*?)(?P<first>\d+)\s*-\s*(?P<last>\d+)\s*$")
#: A range of paragraphs or subparagraphs in the last brackets: "Protocol art. 6(3)(a-d)", "art. 8(1-6)".
SUBDIVISIONS = re.compile(r"^(?P<prefix>.*\()(?P<first>\d+|[a-z])\s*-\s*(?P<last>\d+|[a-z])\)\s*$")


def obligation_label(level: str | None) -> str:
    return str(OBLIGATION_LABELS[level]) if level in OBLIGATION_LABELS else ""


def obligation_meaning(level: str | None) -> str:
    return str(OBLIGATION_MEANINGS[level]) if level in OBLIGATION_MEANINGS else ""


def paragraph(citation: str) -> str | None:
    """The article, paragraph or recommendation a citation points to ("Protocol art. 6(3)(a)" ->
    Protocol art. 6, "000 §13(c)" -> 000 §13); None when unrecognised."""
    match = CITATION.match(citation or "")
    if match is None:
        return None
    if match["article"]:
        return f"{match['code']} art. {int(match['article'])}"
    if match["paragraph"]:
        return f"{match['code']} §{int(match['paragraph'])}"
    return f"{match['code']} rec. {int(match['recommendation'])}"


def provision_key(citation: str) -> str | None:
    """A citation down to its subparagraph ("Protocol art. 6(3)(a)", "000 §13"): what a
    question's ``provision`` names; None when unrecognised."""
    match = CITATION.match(citation or "")
    if match is None or not match["article"]:
        return paragraph(citation)
    parts = [match["article_paragraph"] and str(int(match["article_paragraph"])), match["article_sub"]]
    return f"{match['code']} art. {int(match['article'])}" + "".join(f"({part})" for part in parts if part)


def within(key: str, required: str) -> bool:
    """Whether provision ``key`` is ``required`` or one of its paragraphs or subparagraphs."""
    return key == required or key.startswith(required + "(")


def provision_order(key: str) -> tuple:
    """Provisions in document order: article, then paragraph, then subparagraph."""
    match = CITATION.match(key)
    if match is None or not match["article"]:
        return paragraph_order(key) + (0, "")
    paragraph_number = int(match["article_paragraph"] or 0)
    return paragraph_order(f"{match['code']} art. {int(match['article'])}") + (paragraph_number, match["article_sub"] or "")


def paragraph_order(key: str) -> tuple:
    """Documents first (000, 001...), then the Protocol, then the Convention; numbers in order."""
    number = int(re.findall(r"\d+", key)[-1])
    if key.startswith("Protocol"):
        return (1, "", False, number)
    if key.startswith("Convention"):
        return (2, "", False, number)
    return (0, key.split()[0], "rec" in key, number)


def expand(spec: str) -> list[str]:
    """``"000 §3-24"`` -> 000 §3 ... 000 §24; ``"Protocol art. 6(3)(a-d)"`` -> Protocol art.
    6(3)(a) ... 6(3)(d); a single citation -> its paragraph, or the (sub)paragraph it names."""
    match = SUBDIVISIONS.match(spec)
    if match is not None:
        first, last = match["first"], match["last"]
        if first.isdigit() != last.isdigit():
            return []
        steps = (range(int(first), int(last) + 1) if first.isdigit()
                 else map(chr, range(ord(first), ord(last) + 1)))
        keys = (provision_key(f"{match['prefix']}{step})") for step in steps)
        return [key for key in keys if key]
    match = RANGE.match(spec)
    if match is None:
        key = provision_key(spec)
        return [key] if key else []
    first, last = int(match["first"]), int(match["last"])
    keys = (paragraph(f"{match['prefix']}{n}") for n in range(first, last + 1))
    return [key for key in keys if key]


def citations(question: Question) -> list[str]:
    """What a question cites: the provision it assesses, then its sources."""
    return ([question.provision] if question.provision else []) + list(question.sources)


def question_paragraphs(question: Question) -> set[str]:
    return {key for key in map(paragraph, citations(question)) if key}


def questions_on(questionnaire: Questionnaire, key: str | None = None, obligation: str | None = None) -> list[Question]:
    """The questions that assess or cite paragraph ``key`` and assess a provision of level
    ``obligation`` (either filter may be None), in questionnaire order."""
    return [question for section in questionnaire.sections for question in section.questions
            if (key is None or key in question_paragraphs(question))
            and (obligation is None or question.obligation == obligation)]


def cited_paragraphs(questionnaire: Questionnaire) -> list[str]:
    """Every paragraph the questionnaire cites, in document order."""
    keys = {key for question in questionnaire.questions.values() for key in question_paragraphs(question)}
    return sorted(keys, key=paragraph_order)
