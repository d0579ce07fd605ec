"""Readable names of the audit events this platform records; other types show as recorded."""
from flask_babel import lazy_gettext as _l

EVENT_LABELS = {
    "login_succeeded": _l("Logged in"),
    "login_failed": _l("Failed login"),
    "login_locked": _l("Login locked after failures"),
    "logout": _l("Logged out"),
    "password_changed": _l("Password changed"),
    "password_reset_requested": _l("Password reset requested"),
    "password_reset_link_sent": _l("Password reset link sent"),
    "password_reset": _l("Password reset"),
    "two_factor_enabled": _l("Two-factor authentication turned on"),
    "two_factor_disabled": _l("Two-factor authentication turned off"),
    "two_factor_reset": _l("Two-factor authentication reset by an administrator"),
    "recovery_code_used": _l("Recovery code used"),
    "recovery_codes_replaced": _l("Recovery codes replaced"),
    "invitation_sent": _l("Invitation sent"),
    "invitation_accepted": _l("Invitation accepted"),
    "account_disabled": _l("Account disabled"),
    "account_enabled": _l("Account enabled"),
    "backup_created": _l("Backup created"),
    "backup_restored": _l("Backup restored"),
    "response_create": _l("Response started"),
    "response_save": _l("Answers saved"),
    "response_restore": _l("Earlier answers restored"),
    "response_submit": _l("Response submitted"),
    "response_return": _l("Response returned for clarification"),
    "response_accept": _l("Response accepted"),
    "response_publish": _l("Response published"),
    "comment_posted": _l("Comment posted"),
    "comment_replied": _l("Reply to a comment posted"),
    "comment_resolved": _l("Comment marked resolved"),
    "comment_reopened": _l("Comment reopened"),
    "sections_assigned": _l("Sections assigned"),
    "reminder_sent": _l("Deadline reminder sent"),
    "cycle_opened": _l("Reporting cycle opened"),
    "cycle_closed": _l("Reporting cycle closed"),
    "cycle_reopened": _l("Reporting cycle reopened"),
}


def event_label(event_type: str) -> str:
    label = EVENT_LABELS.get(event_type)
    return str(label) if label is not None else event_type
