"""The words of a notification, composed in the reader's language from plain facts, for the
list in the app and for e-mail alike."""
from dataclasses import dataclass
from datetime import date

from flask_babel import format_date, ngettext
from flask_babel import gettext as _

from app.auth.people import person_label
from app.i18n import current_locale
from app.questionnaires.schema import localized
from app.states.names import state_name


@dataclass(frozen=True)
class Facts:
    kind: str
    state_alpha2: str
    cycle_name: str
    #: Who caused it: (name, e-mail, organisation); None for a reminder.
    actor: tuple[str, str, str] | None = None
    #: The text of the question commented on, in every language; None for the whole response.
    question: dict[str, str] | None = None
    #: Its number ("2.3"), as pages and PDFs show it.
    question_number: str = ""
    is_reply: bool = False
    #: The comment itself, for e-mails.
    body: str | None = None
    days_left: int | None = None
    deadline: date | None = None


def _commented(facts: Facts, values: dict) -> str:
    if facts.question:
        values["question"] = " ".join(filter(None, (facts.question_number, localized(facts.question, current_locale()))))
        if facts.is_reply:
            return _("%(person)s replied to a comment on the question “%(question)s” (%(state)s, reporting "
                     "cycle %(cycle)s).", **values)
        return _("%(person)s commented on the question “%(question)s” (%(state)s, reporting cycle %(cycle)s).",
                 **values)
    if facts.is_reply:
        return _("%(person)s replied to a comment on the response of %(state)s (reporting cycle %(cycle)s).",
                 **values)
    return _("%(person)s commented on the response of %(state)s (reporting cycle %(cycle)s).", **values)


def _deadline(facts: Facts, values: dict) -> str:
    if facts.days_left is not None and facts.days_left < 0:
        return _("The response of %(state)s for reporting cycle %(cycle)s was due on %(date)s and has not been "
                 "submitted yet.", date=format_date(facts.deadline, "long"), **values)
    if facts.days_left == 0:
        return _("The response of %(state)s for reporting cycle %(cycle)s is due today.", **values)
    return ngettext("The response of %(state)s for reporting cycle %(cycle)s is due in %(num)d day, on %(date)s.",
                    "The response of %(state)s for reporting cycle %(cycle)s is due in %(num)d days, on %(date)s.",
                    facts.days_left, date=format_date(facts.deadline, "long"), **values)


def notification_text(facts: Facts) -> str:
    """One sentence saying what happened, in the current language."""
    values = {"state": state_name(facts.state_alpha2, current_locale()), "cycle": facts.cycle_name,
              "person": person_label(*facts.actor) if facts.actor else ""}
    if facts.kind == "submitted":
        return _("%(state)s submitted its response (reporting cycle %(cycle)s).", **values)
    if facts.kind == "returned":
        return _("The secretariat returned the response of %(state)s (reporting cycle %(cycle)s) for "
                 "clarification.", **values)
    if facts.kind == "accepted":
        return _("The secretariat accepted the response of %(state)s (reporting cycle %(cycle)s).", **values)
    if facts.kind == "commented":
        return _commented(facts, values)
    return _deadline(facts, values)


def notification_subject(facts: Facts) -> str:
    state = state_name(facts.state_alpha2, current_locale())
    subjects = {
        "submitted": _("Response submitted: %(state)s", state=state),
        "returned": _("Response returned for clarification: %(state)s", state=state),
        "accepted": _("Response accepted: %(state)s", state=state),
        "commented": _("New comment: %(state)s", state=state),
        "deadline": _("Deadline approaching: %(state)s", state=state),
    }
    if facts.kind == "deadline" and facts.days_left is not None and facts.days_left < 0:
        return _("Deadline passed: %(state)s", state=state)
    return subjects[facts.kind]
