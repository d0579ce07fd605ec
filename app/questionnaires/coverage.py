"""Which paragraph of the source documents each question covers, and which required paragraphs
no question covers yet (``flask questionnaires coverage``).

A question cites the paragraphs its ``sources`` name. A required treaty provision (an article,
paragraph or subparagraph of the Protocol or the Convention) counts as covered only when a
question's ``provision`` names it or one of its parts: mentioning it in ``sources`` is not
assessing it. A required paragraph of a report or resolution is covered when a question cites it."""
from dataclasses import dataclass, field

from app.questionnaires.provisions import expand, paragraph, paragraph_order, provision_key, provision_order, within
from app.questionnaires.schema import Question, Questionnaire

#: The treaty provisions the Protocol questionnaire must assess, paragraph by paragraph and
#: subparagraph by subparagraph: Protocol arts 2-15 and the Convention articles that apply to
#: the Protocol's offences (arts 5, 6, 8, 10, 11, 15, 20, 23 and 34(2)).
TIP_PROVISIONS = (
    "Protocol art. 2(a-c)", "Protocol art. 3(a-d)", "Protocol art. 4", "Protocol art. 5(1)", "Protocol art. 5(2)(a-c)",
    "Protocol art. 6(1)", "Protocol art. 6(2)(a-b)", "Protocol art. 6(3)(a-d)", "Protocol art. 6(4-6)",
    "Protocol art. 7(1-2)", "Protocol art. 8(1-6)", "Protocol art. 9(1)(a-b)", "Protocol art. 9(2-5)",
    "Protocol art. 10(1)(a-c)", "Protocol art. 10(2-3)", "Protocol art. 11(1-6)", "Protocol art. 12(a-b)",
    "Protocol art. 13", "Protocol art. 14(1-2)", "Protocol art. 15(1-4)",
    "Convention art. 5(1)(a-b)", "Convention art. 5(2-3)", "Convention art. 6(1)(a-b)", "Convention art. 6(2)(a-f)",
    "Convention art. 8(1)(a-b)", "Convention art. 8(2-4)", "Convention art. 10(1-4)", "Convention art. 11(1-6)",
    "Convention art. 15(1)(a-b)", "Convention art. 15(2)(a-c)", "Convention art. 15(3-6)", "Convention art. 20(1-4)",
    "Convention art. 23(a-b)", "Convention art. 34(2)",
)
#: What the Protocol questionnaire must cover: the Conference's resolutions 000 and 001 and the
#: Working Group's recommendations in 004 (cited), and the treaty provisions (assessed).
TIP_REQUIRED = ("000 §3-24", "001 §3-15", "004 rec. 12-34", *TIP_PROVISIONS)


@dataclass
class Coverage:
    questionnaire: str
    version: int
    #: Paragraph -> ids of the questions citing it, paragraphs in document order.
    paragraphs: dict[str, list[str]] = field(default_factory=dict)
    #: Provision a question's ``provision`` names -> ids of those questions, in document order.
    provisions: dict[str, list[str]] = field(default_factory=dict)
    #: Required paragraphs that no question cites, and required provisions no question assesses.
    uncovered: list[str] = field(default_factory=list)
    #: Citations whose paragraph could not be read -> ids of the questions giving them.
    unrecognised: dict[str, list[str]] = field(default_factory=dict)

    def as_json(self) -> dict:
        """Paragraphs as a list, so that they keep their document order in sorted-key JSON."""
        return {"questionnaire": self.questionnaire, "version": self.version,
                "paragraphs": [{"paragraph": key, "questions": ids} for key, ids in self.paragraphs.items()],
                "provisions": [{"provision": key, "questions": ids} for key, ids in self.provisions.items()],
                "uncovered": self.uncovered, "unrecognised": self.unrecognised}


def required_paragraphs(specs) -> list[str]:
    """Paragraphs from specs such as ``"000 §3-24"`` or ``"Protocol art. 6(3)(a-d)"``;
    unreadable specs raise ValueError."""
    keys = []
    for spec in specs:
        expanded = expand(spec)
        if not expanded:
            raise ValueError(f"cannot read the required paragraphs {spec!r}; write e.g. '000 §3-24'")
        keys.extend(key for key in expanded if key not in keys)
    return keys


def _named_provision(questionnaire: Questionnaire, question: Question) -> str | None:
    """The provision a question names itself, not the one a follow-up shares with its question."""
    followed = questionnaire.questions.get(question.condition.question) if question.condition else None
    if not question.provision or (followed is not None and followed.provision == question.provision):
        return None
    return provision_key(question.provision)


def _is_covered(key: str, cited: dict, assessed: dict) -> bool:
    if " art. " in key:
        return any(within(provision, key) for provision in assessed)
    return key in cited or any(paragraph(provision) == key for provision in assessed)


def coverage(questionnaire: Questionnaire, required: list[str]) -> Coverage:
    found: dict[str, list[str]] = {}
    assessed: dict[str, list[str]] = {}
    unrecognised: dict[str, list[str]] = {}
    for section in questionnaire.sections:
        for question in section.questions:
            for citation in question.sources:
                key = paragraph(citation)
                target = found.setdefault(key, []) if key else unrecognised.setdefault(citation, [])
                if question.id not in target:
                    target.append(question.id)
            provision = _named_provision(questionnaire, question)
            if provision:
                assessed.setdefault(provision, []).append(question.id)
    return Coverage(
        questionnaire=questionnaire.id,
        version=questionnaire.version,
        paragraphs={key: found[key] for key in sorted(found, key=paragraph_order)},
        provisions={key: assessed[key] for key in sorted(assessed, key=provision_order)},
        uncovered=[key for key in required if not _is_covered(key, found, assessed)],
        unrecognised=unrecognised,
    )


def as_markdown(report: Coverage) -> str:
    lines = [f"# Coverage of {report.questionnaire} v{report.version}", "",
             "| Paragraph | Questions |", "| --- | --- |"]
    lines += [f"| {key} | {', '.join(ids)} |" for key, ids in report.paragraphs.items()]
    lines += ["", "## Provisions assessed", "", "| Provision | Questions |", "| --- | --- |"]
    lines += [f"| {key} | {', '.join(ids)} |" for key, ids in report.provisions.items()]
    lines += ["", "## Required paragraphs no question covers", ""]
    lines += [f"- {key}" for key in report.uncovered] or ["Every required paragraph is covered."]
    if report.unrecognised:
        lines += ["", "## Citations not recognised", ""]
        lines += [f"- {citation} ({', '.join(ids)})" for citation, ids in report.unrecognised.items()]
    return "\n".join(lines) + "\n"
