"""A questionnaire definition as typed, immutable objects: the one model every part of the
platform reads. app/questionnaires/loader.py builds it from a YAML file (checking it) or from
the canonical JSON stored with a version, and writes the canonical JSON back (``canonical``).

What is particular to an answer type (its options, table axes, bounds...) is read and written by
the type itself (app/questionnaires/types/); a question carries its type as ``answer_type``."""
from dataclasses import dataclass, field
from typing import Any

from app.questionnaires.answers import BUILTIN_LABELS
from app.questionnaires.citations import Citation, Document, read_citation
from app.questionnaires.texts import FALLBACK_LANGUAGE, LANGUAGES, localized  # noqa: F401 (re-exported)

#: How binding the assessed provision is: "shall" (mandatory), "shall consider" / "shall
#: endeavour" (consider), "may" (optional), or a recommendation of the Conference or Working Group.
OBLIGATION_LEVELS = ("mandatory", "consider", "optional", "recommendation")
#: Statistical checks on number tables: "error" blocks submission, "warning" asks to confirm.
CHECK_KINDS = ("not_more_than", "same_totals", "year_on_year")
#: The checks that compare a table with another one, named by their ``question``.
COMPARING_KINDS = ("not_more_than", "same_totals")
CHECK_LEVELS = ("error", "warning")


@dataclass(frozen=True)
class Option:
    value: str
    label: dict[str, str] | None  # None for built-in yes/no/partly options
    #: Ticked alone (multiple_choice): "None of these", "No assistance needed"...
    exclusive: bool = False

    def text(self, locale: str) -> str:
        return localized(self.label, locale) if self.label else str(BUILTIN_LABELS[self.value])


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
    #: The type's behaviour (app/questionnaires/types/): parsing, display, diff, exports...
    answer_type: Any
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
    #: A count that may be marked as having no figure ("Data not collected"...; integer only).
    marks: bool = False
    section_id: str = ""
    #: "2.3": the section's number and the question's within it, as pages and PDFs show them.
    number: str = ""
    #: The provision assessed, e.g. "Protocol art. 6(3)" or "000 §13(c)"; follow-ups without one
    #: of their own assess the provision of the question they follow.
    provision: str | None = None
    obligation: str | None = None
    #: Our short summary of the provision, shown beside the question on request.
    summary: dict[str, str] | None = None
    checks: tuple[Check, ...] = ()
    #: ``sources`` and ``provision`` read against the definition's documents, for display.
    sources_cited: tuple[Citation, ...] = ()
    provision_cited: Citation | None = None
    #: What the definition itself gives for ``provision``, ``obligation`` and ``summary`` (the
    #: canonical JSON keeps those, not what a follow-up inherits).
    declared: tuple = (None, None, None)
    #: ``set: core``: asked in a cycle opened with the core set as well as in the full set.
    core: bool = False
    #: ``rows: reference_years``: a table's rows are the years of the cycle's reference period
    #: (app/questionnaires/scope.py); ``rows`` holds those of the default period.
    year_rows: bool = False

    @property
    def option_values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)

    @property
    def exclusive_values(self) -> tuple[str, ...]:
        """The options that cannot be ticked with any other."""
        return tuple(option.value for option in self.options if option.exclusive)

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
    #: 1 for the first section: the first part of its questions' numbers.
    number: int = 0


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: int
    title: dict[str, str]
    sections: tuple[Section, ...]
    questions: dict[str, Question] = field(default_factory=dict)
    #: The documents the questions cite, by code, in the order the definition declares them.
    documents: dict[str, Document] = field(default_factory=dict)
    description: dict[str, str] | None = None
    #: Indicators computed from the answers (app/questionnaires/derived.py), in definition order.
    classifications: tuple = ()
    #: Rules across questions (app/questionnaires/consistency.py).
    consistency: tuple = ()
    #: The cycle's reference period and question set this questionnaire was scoped to
    #: (app/questionnaires/scope.py); None for a definition as written.
    scope: Any = None

    @property
    def has_core_set(self) -> bool:
        return any(question.core for question in self.questions.values())

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
