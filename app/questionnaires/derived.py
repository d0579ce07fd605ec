"""Derived classifications: an indicator computed from a State's answers by a rule of the
definition (``classifications``), never asked. The classes are tried in the order written: the
first whose condition holds is the State's class; a condition that cannot be judged (an input
unanswered while none of the given answers already decides) makes the State unclassifiable, as
does a State no class fits. See docs/questionnaire-format.md §13."""
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from app.questionnaires.rules import Rule, canonical_rule, check_references, holds, read_rule, reads_period
from app.questionnaires.texts import localized
from app.questionnaires.validation import ID_PATTERN, Checker

CLASSIFICATION_KEYS = {"id", "title", "classes", "unclassified"}
CLASS_KEYS = {"id", "label", "when"}


@dataclass(frozen=True)
class DerivedClass:
    id: str
    label: dict[str, str]
    #: None for the class of States that cannot be classified.
    when: Rule | None = None

    def text(self, locale: str) -> str:
        return localized(self.label, locale)


@dataclass(frozen=True)
class Classification:
    id: str
    title: dict[str, str]
    classes: tuple[DerivedClass, ...]
    #: The class of States whose answers do not decide (e.g. "not classifiable").
    unclassified: DerivedClass

    @property
    def all_classes(self) -> tuple[DerivedClass, ...]:
        return self.classes + (self.unclassified,)

    def questions(self) -> list[str]:
        return list(dict.fromkeys(qid for each in self.classes for qid in each.when.questions()))

    def label(self, class_id: str, locale: str) -> str:
        return next((each.text(locale) for each in self.all_classes if each.id == class_id), class_id)


def classify(classification: Classification, answers: dict[str, Any]) -> str:
    """The id of the State's class, given the answers of the questions that apply."""
    for each in classification.classes:
        result = holds(each.when, answers)
        if result is None:
            break
        if result:
            return each.id
    return classification.unclassified.id


def _derived_class(check: Checker, raw: Any, where: str, conditional: bool) -> DerivedClass | None:
    if not isinstance(raw, dict):
        check.problem(where, _("each class must be a mapping with id, label and when."))
        return None
    for key in sorted(set(raw) - CLASS_KEYS):
        check.problem(where, _("unknown key %(key)s.", key=key))
    cid = raw.get("id")
    if not isinstance(cid, str) or not ID_PATTERN.match(cid):
        check.problem(where, _("the id must be lower-case letters, digits and underscores."))
    label = check.texts(raw.get("label"), where, _("label"))
    if conditional and "when" not in raw:
        check.problem(where, _("the class %(id)s needs a condition (when).", id=cid))
    if not conditional and "when" in raw:
        check.problem(where, _("unclassified takes no condition: it is the class of States no other class fits."))
    when = read_rule(check, raw["when"], where) if conditional and "when" in raw else None
    if when is not None and reads_period(when):
        check.problem(where, _("a class cannot depend on the reference period: a State's class must not change "
                               "with the cycle it is read in."))
    return DerivedClass(str(cid), label, when)


def read_classification(check: Checker, raw: Any) -> Classification | None:
    cid = raw.get("id") if isinstance(raw, dict) else None
    where = _("classification %(id)s", id=cid)
    if not isinstance(raw, dict):
        check.problem(where, _("each classification must be a mapping with id, title, classes and unclassified."))
        return None
    for key in sorted(set(raw) - CLASSIFICATION_KEYS):
        check.problem(where, _("unknown key %(key)s.", key=key))
    if not isinstance(cid, str) or not ID_PATTERN.match(cid):
        check.problem(where, _("the id must be lower-case letters, digits and underscores."))
    title = check.texts(raw.get("title"), where, _("title"))
    classes = raw.get("classes")
    if not isinstance(classes, list) or not classes:
        check.problem(where, _("classes must be a non-empty list."))
        classes = []
    read = [_derived_class(check, item, where, True) for item in classes]
    unclassified = _derived_class(check, raw.get("unclassified"), where, False)
    ids = [each.id for each in read + [unclassified] if each]
    if len(ids) != len(set(ids)):
        check.problem(where, _("the class ids must differ from one another."))
    if not all(read) or unclassified is None or any(each.when is None for each in read):
        return None
    return Classification(str(cid), title, tuple(read), unclassified)


def check_classification(check: Checker, classification: Classification, questions: dict) -> None:
    where = _("classification %(id)s", id=classification.id)
    for each in classification.classes:
        check_references(check, each.when, questions, where)


def canonical_classification(classification: Classification) -> dict:
    return {"id": classification.id, "title": classification.title,
            "classes": [{"id": c.id, "label": c.label, "when": canonical_rule(c.when)} for c in classification.classes],
            "unclassified": {"id": classification.unclassified.id, "label": classification.unclassified.label}}
