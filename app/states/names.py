"""State names in any language, from CLDR (Babel) rather than typed by hand."""
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.core import get_global

MEMBER_STATES_FILE = Path(__file__).with_name("un_member_states.txt")


@lru_cache(maxsize=1)
def member_state_codes() -> tuple[str, ...]:
    """The 193 UN Member States' alpha-3 codes, in the order of the data file."""
    lines = MEMBER_STATES_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(code for line in lines if not line.startswith("#") for code in line.split())


def cldr_codes(alpha3: str) -> tuple[str, str]:
    """(alpha-2, M49) for an alpha-3 code, from CLDR's territory aliases."""
    aliases = get_global("territory_aliases")
    alpha2 = aliases[alpha3][0]
    m49 = next(code for code, target in aliases.items() if code.isdigit() and target == [alpha2])
    return alpha2, m49


@lru_cache(maxsize=16)
def _territories(locale: str) -> dict[str, str]:
    return dict(Locale.parse(locale).territories)


def state_name(alpha2: str, locale: str) -> str:
    """The State's name in ``locale``, falling back to English, then to the code."""
    return _territories(str(locale)).get(alpha2) or _territories("en").get(alpha2, alpha2)
