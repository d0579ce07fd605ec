"""The password policy (OWASP ASVS 2.1): long enough, not absurdly long, not a common password
(nor one dressed up with digits or repeated), and not the user's own e-mail address or name.
No composition rules: a long phrase of plain words is a good password."""
import re
from functools import lru_cache
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import ngettext

MIN_LENGTH = 12
#: Argon2 would hash more, but nobody types this much; a cap stops abuse of the hasher.
MAX_LENGTH = 128
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
#: Digits, punctuation and spaces people wrap around a common word ("Password2026!").
_DECORATION = re.compile(r"^[\W\d_]+|[\W\d_]+$")
#: The shortest name or e-mail part that counts as "contains your name".
_MIN_PERSONAL_PART = 3


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with COMMON_PASSWORDS_FILE.open(encoding="utf-8") as lines:
        return frozenset(line.rstrip("\n") for line in lines if not line.startswith("# "))


def _is_repetition(text: str) -> bool:
    """'aaaaaaaaaaaa', 'abcabcabcabc', 'monkeymonkey': one short or common unit, repeated."""
    match = re.fullmatch(r"(.+?)\1+", text)
    return bool(match) and (len(match.group(1)) <= 3 or match.group(1) in common_passwords())


def is_common(password: str) -> bool:
    lowered = password.lower()
    core = _DECORATION.sub("", lowered)
    return (lowered in common_passwords() or core in common_passwords() or len(core) < 4
            or _is_repetition(lowered) or _is_repetition(core))


def _personal_parts(email: str, name: str) -> set[str]:
    local_part = email.lower().partition("@")[0]
    parts = {local_part, *re.split(r"[\W_]+", local_part), *re.split(r"[\W_]+", name.lower())}
    return {part for part in parts if len(part) >= _MIN_PERSONAL_PART}


def password_problems(password: str, email: str = "", name: str = "") -> list[str]:
    """What is wrong with a new password, in the current language; empty when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return [ngettext("Use at least %(num)d character.", "Use at least %(num)d characters.", MIN_LENGTH)]
    if len(password) > MAX_LENGTH:
        return [ngettext("Use at most %(num)d character.", "Use at most %(num)d characters.", MAX_LENGTH)]
    problems = []
    if is_common(password):
        problems.append(_("This password is too common and easy to guess. A few unrelated words make "
                           "a strong password that is easy to remember."))
    lowered = password.lower()
    if any(part in lowered for part in _personal_parts(email, name)):
        problems.append(_("The password must not contain your e-mail address or name."))
    return problems
