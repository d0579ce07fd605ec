"""The in-memory form of a questionnaire definition, built from its canonical JSON.

The canonical JSON (what ``questionnaires export`` prints and what the database stores) is the
single source; these frozen objects are a typed view of it for forms, progress and PDFs.
"""
from dataclasses import dataclass, field, replace
from typing import Any

from app.questionnaires.citations import Citation, Document, read_citation
from app.questionnaires.texts import FALLBACK_LANGUAGE, LANGUAGES, localized  # noqa: F401 (re-exported)

CHOICE_TYPES = frozenset({"yes_no", "yes_no_partly", "single_choice", "multiple_choice"})
NUMBER_TYPES = frozenset({"integer", "decimal", "year"})
QUESTION_TYPES = frozenset(
    CHOICE_TYPES | NUMBER_TYPES | {"short_text", "long_text", "date", "number_table", "law_list"}
)
#: How binding the assessed provision is: "shall" (mandatory), "shall consider" / "shall
#: endeavour" (consider), "may" (optional), or a recommendation of the Conference or Working Group.
OBLIGATION_LEVELS = ("mandatory", "consider", "optional", "recommendation")
#: Statistical checks on number tables: "error" blocks submission, "warning" asks to confirm.
CHECK_KINDS = ("not_more_than", "same_totals", "year_on_year")
#: The checks that compare a table with another one, named by their ``question``.
COMPARING_KINDS = ("not_more_than", "same_totals")
CHECK_LEVELS = ("error", "warning")
#: Built-in options of the yes/no types; their labels come from the interface catalogs.
BUILTIN_OPTIONS = {"yes_no": ("yes", "no"), "yes_no_partly": ("yes", "partly", "no")}


@dataclass(frozen=True)
class Option:
    value: str
    label: dict[str, str] | None  # None for built-in yes/no/partly options


@dataclass(frozen=True)
class TableAxis:
    id: str
    label: dict[str, str] | None  # None: the id is the label in every language (years)
    #: Ids of the rows (or columns) this one is the total of; empty for an ordinary row.
    total_of: tuple[str, ...] = ()

    def text(self, locale: str) -> str:
        return localized(self.label, locale) if self.label else self.id


@dataclass(frozen=True)
class Condition:
    """Show a question only when another question's answer is one of ``values``."""

    question: str
    values: tuple[str, ...]

    def holds(self, answer: Any) -> bool:
        if isinstance(answer, list):
            return any(value in self.values for value in answer)
        return answer in self.values


@dataclass(frozen=True)
class Check:
    """A statistical check on a number table (see ``CHECK_KINDS``)."""

    kind: str
    level: str
    question: str | None = None  # not_more_than, same_totals: the table compared with
    factor: float | None = None  # year_on_year: the largest plausible ratio between two years
    message: dict[str, str] | None = None


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: dict[str, str]
    help: dict[str, str] | None = None
    required: bool = False
    sources: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()
    rows: tuple[TableAxis, ...] = ()
    columns: tuple[TableAxis, ...] = ()
    condition: Condition | None = None
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    section_id: str = ""
    #: The provision assessed, e.g. "Protocol art. 6(3)" or "000 §13(c)"; follow-ups inherit it.
    provision: str | None = None
    obligation: str | None = None
    #: Our short summary of the provision, shown beside the question on request.
    summary: dict[str, str] | None = None
    checks: tuple[Check, ...] = ()
    #: ``sources`` and ``provision`` read against the definition's documents, for display.
    sources_cited: tuple[Citation, ...] = ()
    provision_cited: Citation | None = None

    @property
    def option_values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)

    @property
    def total_column(self) -> TableAxis | None:
        """A table's column of totals (the first, should it have several)."""
        return next((column for column in self.columns if column.total_of), None)


@dataclass(frozen=True)
class Section:
    id: str
    title: dict[str, str]
    intro: dict[str, str] | None
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: int
    title: dict[str, str]
    sections: tuple[Section, ...]
    questions: dict[str, Question] = field(default_factory=dict)
    #: The documents the questions cite, by code, in the order the definition declares them.
    documents: dict[str, Document] = field(default_factory=dict)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def cite(self, text: str) -> Citation:
        return read_citation(text, self.documents)

    def applies(self, question: Question, answers: dict[str, Any]) -> bool:
        """Whether ``question`` is shown, given all answers (conditions may chain)."""
        seen = set()
        while question.condition is not None and question.id not in seen:
            seen.add(question.id)
            if not question.condition.holds(answers.get(question.condition.question)):
                return False
            question = self.questions[question.condition.question]
        return True


def _axis(data: dict) -> TableAxis:
    return TableAxis(id=data["id"], label=data.get("label"), total_of=tuple(data.get("total_of") or ()))


def _check(data: dict) -> Check:
    return Check(kind=data["kind"], level=data["level"], question=data.get("question"),
                 factor=data.get("factor"), message=data.get("message"))


def _question(data: dict, section_id: str) -> Question:
    condition = data.get("condition")
    options = data.get("options")
    if options is None and data["type"] in BUILTIN_OPTIONS:
        options = [{"value": value, "label": None} for value in BUILTIN_OPTIONS[data["type"]]]
    return Question(
        id=data["id"],
        type=data["type"],
        text=data["text"],
        help=data.get("help"),
        required=data.get("required", False),
        sources=tuple(data.get("sources", ())),
        options=tuple(Option(o["value"], o.get("label")) for o in options or ()),
        rows=tuple(_axis(r) for r in data.get("rows", ())),
        columns=tuple(_axis(c) for c in data.get("columns", ())),
        condition=Condition(condition["question"], tuple(condition["values"])) if condition else None,
        min=data.get("min"),
        max=data.get("max"),
        max_length=data.get("max_length"),
        section_id=section_id,
        provision=data.get("provision"),
        obligation=data.get("obligation"),
        summary=data.get("summary"),
        checks=tuple(_check(c) for c in data.get("checks") or ()),
    )


def _inherit_provisions(questions: dict[str, Question]) -> dict[str, Question]:
    """Follow-ups without a provision of their own assess the provision of the question they
    follow (``which law?`` after ``is it criminalized?``)."""
    resolved = {}
    for qid, question in questions.items():
        source, seen = question, set()
        while source.provision is None and source.condition and source.id not in seen:
            seen.add(source.id)
            source = questions[source.condition.question]
        if source is not question and source.provision is not None:
            question = replace(question, provision=source.provision,
                               obligation=question.obligation or source.obligation,
                               summary=question.summary or source.summary)
        resolved[qid] = question
    return resolved


def _cite(question: Question, documents: dict[str, Document]) -> Question:
    return replace(question, sources_cited=tuple(read_citation(text, documents) for text in question.sources),
                   provision_cited=read_citation(question.provision, documents) if question.provision else None)


def build_questionnaire(canonical: dict) -> Questionnaire:
    """The typed view of a definition that has already passed validation. Definitions stored
    before documents were declared have none: their citations are shown as written."""
    documents = {d["code"]: Document(d["code"], d["name"], d["title"]) for d in canonical.get("documents") or ()}
    raw = {q["id"]: _question(q, s["id"]) for s in canonical["sections"] for q in s["questions"]}
    questions = {qid: _cite(question, documents) for qid, question in _inherit_provisions(raw).items()}
    sections = tuple(
        Section(
            id=s["id"],
            title=s["title"],
            intro=s.get("intro"),
            questions=tuple(questions[q["id"]] for q in s["questions"]),
        )
        for s in canonical["sections"]
    )
    return Questionnaire(canonical["id"], canonical["version"], canonical["title"], sections, questions, documents)
