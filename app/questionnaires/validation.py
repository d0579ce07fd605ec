"""What every part of the definition loader shares: the problems it collects (each naming the
file, where in it and what is wrong) and the checker that collects them while walking a file."""
import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from app.questionnaires.texts import LANGUAGES

#: Ids of questions, sections and options: stored, so kept simple and stable.
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
#: The placeholders a text may hold, filled from the cycle's reference period
#: (app/questionnaires/scope.py).
PLACEHOLDERS = ("first_year", "last_year")
PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")


@dataclass(frozen=True)
class Problem:
    file: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}" if self.where else f"{self.file}: {self.message}"


class DefinitionError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class Checker:
    """Collects problems while walking one definition (``within`` for a file it includes)."""

    def __init__(self, file: str, within: "Checker | None" = None):
        self.file = file
        self.problems: list[Problem] = []
        #: The declared document codes (None: the definition declares none), and the codes cited.
        self.documents: set[str] | None = within.documents if within else None
        self.cited: set[str] = within.cited if within else set()

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, where, message))

    def texts(self, value: Any, where: str, name: str, optional: bool = False) -> dict | None:
        if value is None and optional:
            return None
        if not isinstance(value, dict):
            self.problem(where, _("%(name)s must map each language code to a text.", name=name))
            return None
        for language in value:
            if language not in LANGUAGES:
                self.problem(where, _("%(name)s has an unknown language %(language)s.",
                                      name=name, language=language))
        for language in LANGUAGES:
            text = value.get(language)
            if not isinstance(text, str) or not text.strip():
                self.problem(where, _("%(name)s is missing the language %(language)s.",
                                      name=name, language=language))
        texts = {language: str(value.get(language, "")).strip() for language in LANGUAGES}
        self._placeholders(texts, where, name)
        return texts

    def _placeholders(self, texts: dict[str, str], where: str, name: str) -> None:
        """Only known placeholders, and the same ones in every language."""
        found = {language: set(PLACEHOLDER.findall(text)) for language, text in texts.items() if text}
        for unknown in sorted(set().union(*found.values()) - set(PLACEHOLDERS)) if found else ():
            self.problem(where, _("%(name)s has an unknown placeholder {%(placeholder)s}; use %(known)s.",
                                  name=name, placeholder=unknown,
                                  known=", ".join("{%s}" % p for p in PLACEHOLDERS)))
        if len({frozenset(names) for names in found.values()}) > 1:
            self.problem(where, _("%(name)s must use the same placeholders in every language.", name=name))


def scalar(value: Any) -> Any:
    """YAML 1.1 reads unquoted yes/no as booleans and years as integers; ids are strings."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, int):
        return str(value)
    return value
