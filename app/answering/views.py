"""What a section page shows of each question that never changes for a definition version and a
language: the number and text, help, the provision it assesses, its sources, its options and the
labels of a table's cells. Built once per process, version and language (a version never
changes), so a page request only fills in the answers: rendering a 400-field section costs about
what its data needs.

The parts are HTML rendered once by the macros of answering/_question_parts.html, kept as ``Markup``."""
import re
from dataclasses import dataclass, replace
from threading import Lock
from typing import Any

from flask import current_app, get_template_attribute
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.answering.fields import answer_field
from app.attachments.operations import file_size
from app.questionnaires.schema import Question, Questionnaire, Section, localized
from app.questionnaires.types.law_list import STATUSES as LAW_STATUSES

#: Mark a slot in an input rendered once (private-use characters: no definition text holds them).
SLOT, SLOT_END = "\ue000", "\ue001"
SLOT_PATTERN = re.compile(f"{SLOT}(\\d+){SLOT_END}")
CHECKED = Markup(" checked")
SELECTED = Markup(" selected")
#: The slot of an input's aria-invalid and aria-describedby (answering/_inputs.html).
ARIA = ("!aria",)
LAW_LIST = "answering/_law_list.html"


@dataclass(frozen=True)
class CompiledInput:
    """A question's inputs as HTML with slots for what varies with the answer: ``pieces`` are the
    HTML around the slots, ``keys`` say what fills each (``()`` the value, ``(row, column)`` a
    table's cell, ``(option,)`` " checked" for an option chosen, ``(group, item, value)``
    " selected" for the option of a select chosen)."""

    pieces: tuple[str, ...]
    keys: tuple[tuple, ...]

    def fill(self, shown, aria: Markup = Markup("")) -> Markup:
        parts = [self.pieces[0]]
        for key, piece in zip(self.keys, self.pieces[1:]):
            parts.append(aria if key == ARIA else escape(_slot_value(shown, key)))
            parts.append(piece)
        return Markup("".join(parts))


class CompiledLawList:
    """A law list: its frame and blank entry rendered once, with slots for the entries, its blank
    entry's index and number; the entries already given are rendered on each page."""

    def __init__(self, view, texts):
        self.field, self.texts = view.field, texts
        self.frame = _compile(get_template_attribute(LAW_LIST, "law_list"), self.field, texts)
        self.blank = _compile(get_template_attribute(LAW_LIST, "blank_entry"), self.field, texts)

    def fill(self, shown, attachments=None) -> Markup:
        entry = get_template_attribute(LAW_LIST, "law_entry")
        given = [entry(self.field, self.texts, index, index + 1, law, True, attachments or {})
                 for index, law in enumerate(shown)]
        blank = self.blank.fill({"index": len(shown), "number": len(shown) + 1})
        return self.frame.fill({"entries": Markup("").join([*given, blank])})


def _slot_value(shown, key: tuple):
    if not key:
        return shown
    if isinstance(shown, dict) and len(key) == 1 and key[0] in shown:  # named slots (law lists)
        return shown[key[0]]
    if len(key) == 2:
        return shown[key[0]][key[1]]
    if len(key) == 3:  # (group, item, value): " selected" for the value chosen in a select
        return SELECTED if shown[key[0]][key[1]] == key[2] else ""
    chosen = key[0] in shown if isinstance(shown, list) else key[0] == shown
    return CHECKED if chosen else ""


def _compile(macro, *arguments) -> CompiledInput:
    """Render ``macro`` once, with a numbered placeholder in each slot (a slot may be used several
    times), and cut it at the placeholders."""
    keys = []

    def slot(*key):
        keys.append(key)
        return Markup(f"{SLOT}{len(keys) - 1}{SLOT_END}")

    parts = SLOT_PATTERN.split(str(macro(*arguments, slot)))
    return CompiledInput(tuple(parts[0::2]), tuple(keys[int(n)] for n in parts[1::2]))


@dataclass(frozen=True)
class QuestionView:
    question: Question
    id: str
    #: The name of its answer field (``q_<id>``).
    field: str
    #: The answer type's input macro in answering/_inputs.html.
    input: str
    #: The question's text in the page's language (the label of its input).
    label: str
    #: ``<legend>`` (number, text, required mark), help and "about this provision", for State
    #: users and for reviewers (who also get a link to every question on the provision).
    head: Markup
    head_for_reviewers: Markup
    sources: Markup
    #: ``data-show-if`` attributes for the page script (empty for a question always shown).
    condition: Markup
    #: (value, label, is exclusive) of each option; (id, label, the ids it is the total of) of a
    #: table's rows and columns.
    options: tuple[tuple[str, str, bool], ...] = ()
    rows: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    columns: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    #: (value, label) of the reasons a table or row may have no figures.
    marks: tuple[tuple[str, str], ...] = ()
    #: The id of the element an error summary's link leads to: its first input, or the question.
    anchor: str = ""
    #: The inputs, rendered once with slots for the answer.
    compiled: "CompiledInput | CompiledLawList | None" = None

    def inputs(self, shown, attachments=None, errors=0) -> Markup:
        """The question's inputs showing ``shown`` (the answer as the form shows it); a law list
        names the State's uploads (``attachments``) its entries refer to. With ``errors``
        messages (``error_id(n)``, n from 1) the inputs are marked invalid and described by them."""
        if isinstance(self.compiled, CompiledLawList):
            return self.compiled.fill(shown, attachments)
        aria = Markup(' aria-invalid="true" aria-describedby="%s"') % " ".join(
            self.error_id(n) for n in range(1, errors + 1)) if errors else Markup("")
        return self.compiled.fill(shown, aria)

    def error_id(self, n: int) -> str:
        """The id of the question's ``n``-th error message (from 1)."""
        return f"error-{self.id}-{n}"


@dataclass(frozen=True)
class LawTexts:
    """The words of a law list's entries in one language (the same for every law list)."""

    law: str  # "Law __number__"
    title: str
    article: str
    adopted: str
    date_placeholder: str
    status: str
    statuses: tuple[tuple[str, str], ...]
    url: str
    uploaded: str
    detach: str
    upload: str
    replace_file: str
    remove: str
    add: str
    file_hint: str
    too_large: str
    max_bytes: int


@dataclass(frozen=True)
class SectionView:
    section: Section
    questions: tuple[QuestionView, ...]
    #: Whether the form uploads files (it is then sent as multipart).
    takes_files: bool
    law_texts: LawTexts | None = None


def _law_texts() -> LawTexts:
    limit = current_app.config["ATTACHMENT_MAX_BYTES"]
    size = file_size(limit)
    return LawTexts(
        law=_("Law %(number)s", number="__number__"), title=_("Title of the law"), article=_("Articles or sections"),
        adopted=_("Date of adoption"), date_placeholder=_("YYYY-MM-DD"), status=_("Status"),
        statuses=tuple((value, str(label)) for value, label in LAW_STATUSES.items()),
        url=_("Link to the official text"), uploaded=_("Uploaded text:"), detach=_("Remove the uploaded text"),
        upload=_("Upload the text of the law"), replace_file=_("Replace the uploaded text"),
        remove=_("Remove this law"), add=_("Add another law"),
        file_hint=_("Texts of laws may be PDF, Word (DOCX), OpenDocument (ODT), plain text or image files of at "
                    "most %(size)s each.", size=size),
        too_large=_("This file is larger than %(size)s: choose a smaller one.", size=size), max_bytes=limit)


_views: dict[tuple[int, str], tuple[Questionnaire, dict[str, SectionView]]] = {}
_building = Lock()


def _axes(axes, locale) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    return tuple((axis.id, axis.text(locale), axis.total_of) for axis in axes)


def _question_view(questionnaire: Questionnaire, question: Question, locale: str, law_texts) -> QuestionView:
    head = get_template_attribute("answering/_question_parts.html", "head")
    sources = get_template_attribute("answering/_question_parts.html", "sources")
    condition = question.condition
    view = QuestionView(
        question=question, id=question.id, field=answer_field(question.id),
        input=question.answer_type.input_for(question),
        label=localized(question.text, locale),
        head=Markup(head(questionnaire, question, False)), head_for_reviewers=Markup(head(questionnaire, question, True)),
        sources=Markup(sources(question)),
        condition=Markup(' data-show-if="%s" data-show-values="%s"') % (condition.question, " ".join(condition.values))
        if condition else Markup(""),
        options=tuple((option.value, option.text(locale), option.exclusive) for option in question.options),
        rows=_axes(question.rows, locale), columns=_axes(question.columns, locale),
        marks=tuple((mark, str(label)) for mark, label in question.answer_type.marks_for(question).items()),
    )
    if view.input == "laws":
        return replace(view, compiled=CompiledLawList(view, law_texts), anchor=f"q-{question.id}")
    compiled = _compile(get_template_attribute("answering/_inputs.html", view.input), view)
    return replace(view, compiled=compiled, anchor=_first_id(compiled) or f"q-{question.id}")


def _first_id(compiled: CompiledInput) -> str | None:
    """The id of the first input rendered (an error summary links to it)."""
    html = "".join(compiled.pieces)
    # A table's first cell rather than its "no figures" choice, which comes before the cells.
    found = (re.search(r'<(?:input|textarea)\b[^>]*\bid="([^"]+)"', html)
             or re.search(r'<select\b[^>]*\bid="([^"]+)"', html))
    return found[1] if found else None


def _build(questionnaire: Questionnaire, locale: str) -> dict[str, SectionView]:
    with force_locale(locale):
        law_texts = _law_texts()
        views = {}
        for section in questionnaire.sections:
            takes_files = any(q.answer_type.takes_files for q in section.questions)
            views[section.id] = SectionView(section, tuple(_question_view(questionnaire, q, locale, law_texts)
                                                           for q in section.questions),
                                            takes_files, law_texts if takes_files else None)
        return views


def section_view(questionnaire: Questionnaire, section: Section, locale: str) -> SectionView:
    """The section's questions as pages show them in ``locale``, built on first use."""
    key = (id(questionnaire), questionnaire.scope, locale)  # one per version, cycle scope and language
    cached = _views.get(key)
    if cached is None or cached[0] is not questionnaire:  # an id reused by another questionnaire
        with _building:
            cached = _views.get(key)
            if cached is None or cached[0] is not questionnaire:
                cached = _views[key] = (questionnaire, _build(questionnaire, locale))
    return cached[1][section.id]


def shown_values(section: Section, answers: dict[str, Any], posted: dict[str, Any] | None = None) -> dict:
    """What each field shows: the posted input where given, else the stored answer as the form
    shows it."""
    posted = posted or {}
    return {q.id: posted[q.id] if q.id in posted else q.answer_type.shown(q, answers.get(q.id))
            for q in section.questions}
