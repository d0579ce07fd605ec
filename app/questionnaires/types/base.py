"""What every answer type does, with the behaviour most types share.

A type is one object (``TYPE`` in its module, registered in ``types/__init__.py``) that knows,
for the questions of its type:

- the definition: the keys a question may have beyond the common ones, how they are checked
  (``read``) and how they are stored in the canonical JSON (``canonical``);
- answers: what a form posts (``posted``), how it becomes the stored value (``parse``, raising
  ``AnswerError`` with translated messages) and how a stored value shows in a form (``shown``);
- reading: one line of text (``format``), the macro that shows it on pages (``display``), the
  difference between two answers (``diff``), the parts of a CSV line (``atoms``), the columns
  and cells of a spreadsheet (``sheet_columns``, ``sheet_cell``), what a PDF prints (``pdf``),
  the printable blank questionnaire (``blank_hint``, ``blank_grid``), how answers are counted
  across States (``distribution``);
- a plausible answer for demo data (``sample``).

Nothing outside the type modules branches on a type's name: code asks the question's
``answer_type`` instead."""
import json
from collections.abc import Iterator
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.questionnaires.answers import AnswerError, format_number, is_answered
from app.questionnaires.textdiff import word_diff
from app.questionnaires.texts import localized


class AnswerType:
    #: The type's name in definitions (``type: yes_no``) and in stored JSON.
    name = ""
    #: Keys a question of this type may have beyond the common ones.
    keys: frozenset[str] = frozenset()
    #: Keys of other types that ``read`` refuses with a message of its own.
    explains: frozenset[str] = frozenset()
    #: A question of this type may be named by ``show_if`` (its answer is an option's value).
    is_choice = False
    #: Several answers at once (check boxes): counted once per option ticked.
    several = False
    #: The form part uploads files (the section form is then sent as multipart).
    takes_files = False
    #: What an answer is, for the description sheet of the XLSX export.
    label = _l("Text")
    #: The macro of answering/_inputs.html that edits it, and of macros/answers.html that shows it.
    input = "text"
    #: "text", "short_text", "long_text", "list" (``items``), "table" or "laws".
    display = "text"
    #: How analysis counts answers across States: "choices", "years", "numbers", "table" or "values".
    distribution = "values"

    # The definition --------------------------------------------------------------------------

    def read(self, check, raw: dict, where: str) -> dict:
        """The question's attributes from its type's keys, checked (problems go to ``check``)."""
        return {}

    def canonical(self, question) -> dict:
        """The type's keys as the stored definition holds them."""
        return {"options": None}

    def condition_values(self, question) -> tuple[str, ...]:
        """The values a ``show_if`` on this question may name (choice types only)."""
        return ()

    # Answers ---------------------------------------------------------------------------------

    def posted(self, question, formdata, field: str, **context) -> Any:
        """What the form posted for the question, as the form shows it (text, list or grid)."""
        return formdata.get(field)

    def sent(self, question, stems: set[str], field: str, version_field: str) -> bool:
        """Whether the post carries the question at all (a post that leaves a question out
        leaves its answer alone). ``stems``: the posted field names up to their first "-"."""
        return field in stems

    def refers_to_uploads(self, question, value: Any, formdata=None, field: str = "") -> bool:
        """Whether the stored ``value`` or the posted ``formdata`` refer to an uploaded file."""
        return False

    def parse(self, question, raw: Any) -> Any:
        """The value to store for form input ``raw``; None when empty. Raises ``AnswerError``."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        if not isinstance(raw, str):
            raise AnswerError(_("This answer could not be read; enter it again."))
        return self.parse_text(question, raw)

    def parse_text(self, question, text: str) -> Any:
        return text

    def shown(self, question, value: Any) -> Any:
        """A stored value as the form shows it (the same shape ``posted`` gives)."""
        return "" if value is None else str(value)

    # Reading ---------------------------------------------------------------------------------

    def items(self, question, value: Any, locale: str) -> list[str]:
        """The answer as the lines of a list (display "list")."""
        return [self.format(question, value, locale)]

    def format(self, question, value: Any, locale: str) -> str:
        """A one-line reading of an answer in ``locale`` ("" when unanswered)."""
        return str(value) if is_answered(value) else ""

    def diff(self, question, old: Any, new: Any, locale: str) -> dict:
        """What changed, beyond both answers as text: ``cells``, ``items`` or ``words``."""
        return {}

    def atoms(self, question, value: Any) -> Iterator[tuple[str, str, Any]]:
        """(table row, table column, value) for each atomic part of an answer (CSV lines)."""
        if isinstance(value, (str, int, float)):
            yield "", "", value
        else:  # structured answers: their JSON, whole
            yield "", "", json.dumps(value, ensure_ascii=False, sort_keys=True)

    def sheet_columns(self, question, locale: str) -> list[tuple[str, str | None, str | None]]:
        """(header, table row, table column) of each spreadsheet column the question takes."""
        return [(localized(question.text, locale), None, None)]

    def sheet_cell(self, question, value: Any, row: str | None, column: str | None, locale: str) -> Any:
        """What a spreadsheet cell holds: numbers and dates as such, choices as labels."""
        if isinstance(value, (str, int)):
            return value
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    def pdf(self, question, value: Any, locale: str) -> dict:
        """How an answer prints in a country profile: its ``kind`` and what that kind needs."""
        return {"kind": "text", "answer": self.format(question, value, locale)}

    def blank_hint(self, question) -> str:
        """What to write, on the printable blank questionnaire."""
        return ""

    def blank_grid(self, question, locale: str) -> dict | None:
        """An empty grid to fill in on paper, if the type needs one."""
        return None

    def api_extras(self, question, locale: str) -> dict:
        """What the API's description of a question adds for this type."""
        return {}

    def sample(self, question, index: int, variant: int = 0) -> Any:
        """A valid answer, the ``index``-th of the questionnaire; another ``variant`` answers otherwise."""
        raise NotImplementedError


class TextType(AnswerType):
    keys = frozenset({"max_length"})
    default_max_length = 500
    distribution = "values"

    def read(self, check, raw, where):
        if "max_length" not in raw:
            return {}
        value = raw["max_length"]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            check.problem(where, _("max_length must be a positive integer, on a text question."))
            return {}
        return {"max_length": value}

    def canonical(self, question):
        extra = {"max_length": question.max_length} if question.max_length is not None else {}
        return {"options": None, **extra}

    def limit(self, question) -> int:
        return question.max_length or self.default_max_length

    def parse_text(self, question, text):
        text = text.replace("\r\n", "\n").strip()
        limit = self.limit(question)
        if len(text) > limit:
            raise AnswerError(_("Use at most %(max)d characters (you used %(n)d).", max=limit, n=len(text)))
        return text or None

    def diff(self, question, old, new, locale):
        return {"words": word_diff(old or "", new or "")}

    def sample(self, question, index, variant=0):
        from app.questionnaires.types.samples import SAMPLE_TEXT

        return SAMPLE_TEXT[: question.max_length or len(SAMPLE_TEXT)]


class NumberType(AnswerType):
    """Integers, decimals and years: bounds by ``min`` and ``max``."""

    keys = frozenset({"min", "max"})
    input = "number"
    distribution = "numbers"
    inputmode = "numeric"

    def read(self, check, raw, where):
        bounds = {}
        for bound in ("min", "max"):
            if bound not in raw:
                continue
            value = raw[bound]
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                check.problem(where, _("%(key)s must be a number, on a number question.", key=bound))
            else:
                bounds[bound] = value
        return bounds

    def canonical(self, question):
        bounds = {bound: getattr(question, bound) for bound in ("min", "max") if getattr(question, bound) is not None}
        return {"options": None, **bounds}

    def bounds(self, question) -> tuple:
        return question.min, question.max

    def check_bounds(self, question, number) -> None:
        low, high = self.bounds(question)
        if low is not None and number < low:
            raise AnswerError(_("Enter a number of at least %(min)s.", min=low))
        if high is not None and number > high:
            raise AnswerError(_("Enter a number of at most %(max)s.", max=high))

    def within(self, question, number):
        """``number`` brought within the question's bounds (for samples)."""
        low, high = self.bounds(question)
        if low is not None and number < low:
            return low
        if high is not None and number > high:
            return high
        return number

    def format(self, question, value, locale):
        return format_number(value, locale) if is_answered(value) else ""

    def sheet_cell(self, question, value, row, column, locale):
        return value


class ChoiceType(AnswerType):
    """One option among several (radio buttons); ``show_if`` may name its values."""

    is_choice = True
    input = "choices"
    distribution = "choices"
    label = _l("One option")

    def condition_values(self, question):
        return question.option_values

    def parse_text(self, question, text):
        if text not in question.option_values:
            raise AnswerError(_("Choose one of the options shown."))
        return text

    def format(self, question, value, locale):
        from app.questionnaires.answers import option_label

        return option_label(question, value, locale) if is_answered(value) else ""

    def sheet_cell(self, question, value, row, column, locale):
        return self.format(question, value, locale)

    def blank_hint(self, question):
        return _("Choose one.")

    def api_extras(self, question, locale):
        return {"options": [{"value": option.value, "label": option.text(locale)} for option in question.options]}


class BuiltinChoiceType(ChoiceType):
    """Yes/no questions: options of the platform, labelled by the interface catalogs."""

    values: tuple[str, ...] = ()
    #: ``options`` are refused by ``read``, with a message that says they are built in.
    explains = frozenset({"options"})

    def read(self, check, raw, where):
        if raw.get("options") is not None:
            check.problem(where, _("type %(type)s has built-in options; remove options.", type=self.name))
        from app.questionnaires.schema import Option

        return {"options": tuple(Option(value, None) for value in self.values)}


class OptionsType(ChoiceType):
    """Choices whose options the definition gives: two or more ``{value, label}``."""

    keys = frozenset({"options"})

    def read(self, check, raw, where):
        from app.questionnaires.schema import Option
        from app.questionnaires.validation import ID_PATTERN, scalar

        options = raw.get("options")
        if not isinstance(options, list) or len(options) < 2:
            check.problem(where, _("a choice question needs at least two options."))
            return {"options": ()}
        read, seen = [], set()
        for index, option in enumerate(options, start=1):
            if not isinstance(option, dict):
                check.problem(where, _("option %(n)d must have a value and a label.", n=index))
                continue
            value = scalar(option.get("value"))
            if not isinstance(value, str) or not ID_PATTERN.match(value):
                check.problem(where, _("option %(n)d has an invalid value %(value)s.", n=index, value=value))
            elif value in seen:
                check.problem(where, _("option value %(value)s is used twice.", value=value))
            seen.add(value)
            label = check.texts(option.get("label"), where, _("the label of option %(value)s", value=value))
            read.append(Option(value, label))
        return {"options": tuple(read)}

    def canonical(self, question):
        return {"options": [{"value": option.value, "label": option.label} for option in question.options]}
