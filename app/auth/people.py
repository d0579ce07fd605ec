"""How a person is named to colleagues: "Amina Diallo (Ministry of Justice)"."""
from flask_babel import gettext as _

from app.auth.models import User


def person_label(name: str, email: str, organisation: str = "") -> str:
    """The person's name (or e-mail address, before they chose a name) and organisation."""
    who = name or email
    return _("%(name)s (%(organisation)s)", name=who, organisation=organisation) if organisation else who


def person(user: User | None) -> str:
    return person_label(user.name, user.email, user.organisation) if user else ""
