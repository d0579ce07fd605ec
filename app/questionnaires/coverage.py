"""Which paragraph of the source documents each question covers, and which required paragraphs
no question covers yet (``flask questionnaires coverage``). A question covers the paragraphs
its ``sources`` cite."""
from dataclasses import dataclass, field

from app.questionnaires.provisions import expand, paragraph, paragraph_order
from app.questionnaires.schema import Questionnaire

#: The paragraphs the Protocol questionnaire must cover: the Conference's resolutions 000 and
#: 001, the Working Group's recommendations in 004, and the Protocol's substantive articles.
TIP_REQUIRED = ("000 §3-24", "001 §3-15", "004 rec. 12-34", "Protocol art. 5-13")


@dataclass
class Coverage:
    questionnaire: str
    version: int
    #: Paragraph -> ids of the questions citing it, paragraphs in document order.
    paragraphs: dict[str, list[str]] = field(default_factory=dict)
    #: Required paragraphs that no question cites.
    uncovered: list[str] = field(default_factory=list)
    #: Citations whose paragraph could not be read -> ids of the questions giving them.
    unrecognised: dict[str, list[str]] = field(default_factory=dict)

    def as_json(self) -> dict:
        """Paragraphs as a list, so that they keep their document order in sorted-key JSON."""
        return {"questionnaire": self.questionnaire, "version": self.version,
                "paragraphs": [{"paragraph": key, "questions": ids} for key, ids in self.paragraphs.items()],
                "uncovered": self.uncovered, "unrecognised": self.unrecognised}


def required_paragraphs(specs) -> list[str]:
    """Paragraphs from specs such as ``"000 §3-24"``; unreadable specs raise ValueError."""
    keys = []
    for spec in specs:
        expanded = expand(spec)
        if not expanded:
            raise ValueError(f"cannot read the required paragraphs {spec!r}; write e.g. '000 §3-24'")
        keys.extend(key for key in expanded if key not in keys)
    return keys


def coverage(questionnaire: Questionnaire, required: list[str]) -> Coverage:
    found: dict[str, list[str]] = {}
    unrecognised: dict[str, list[str]] = {}
    for section in questionnaire.sections:
        for question in section.questions:
            for citation in question.sources:
                key = paragraph(citation)
                target = found.setdefault(key, []) if key else unrecognised.setdefault(citation, [])
                if question.id not in target:
                    target.append(question.id)
    return Coverage(
        questionnaire=questionnaire.id,
        version=questionnaire.version,
        paragraphs={key: found[key] for key in sorted(found, key=paragraph_order)},
        uncovered=[key for key in required if key not in found],
        unrecognised=unrecognised,
    )


def as_markdown(report: Coverage) -> str:
    lines = [f"# Coverage of {report.questionnaire} v{report.version}", "",
             "| Paragraph | Questions |", "| --- | --- |"]
    lines += [f"| {key} | {', '.join(ids)} |" for key, ids in report.paragraphs.items()]
    lines += ["", "## Required paragraphs no question covers", ""]
    lines += [f"- {key}" for key in report.uncovered] or ["Every required paragraph is covered."]
    if report.unrecognised:
        lines += ["", "## Citations not recognised", ""]
        lines += [f"- {citation} ({', '.join(ids)})" for citation, ids in report.unrecognised.items()]
    return "\n".join(lines) + "\n"
