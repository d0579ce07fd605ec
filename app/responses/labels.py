"""Translated names of statuses and workflow actions, for pages and PDFs."""
from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "not_started": _l("Not started"),
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "returned": _l("Returned for clarification"),
    "accepted": _l("Accepted"),
    "published": _l("Published"),
}

ACTION_LABELS = {
    "create": _l("Started the response"),
    "save": _l("Saved answers"),
    "submit": _l("Submitted"),
    "return": _l("Returned for clarification"),
    "accept": _l("Accepted"),
    "publish": _l("Published"),
    "restore": _l("Restored earlier answers"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
