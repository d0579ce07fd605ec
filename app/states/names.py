"""State names: the UN official short names of the 193 Member States in the six UN languages
(``un_official_names.yaml``, from UN M49 and UNTERM). CLDR, through Babel, gives colloquial
names ("Russia", "North Korea", 英国); it serves only codes, and names of territories outside
the 193."""
from functools import lru_cache
from pathlib import Path

import yaml
from babel import Locale
from babel.core import get_global

MEMBER_STATES_FILE = Path(__file__).with_name("un_member_states.txt")
OFFICIAL_NAMES_FILE = Path(__file__).with_name("un_official_names.yaml")


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


@lru_cache(maxsize=1)
def official_names() -> dict[str, dict[str, str]]:
    """alpha-3 code -> {language: UN official short name}, as in the data file."""
    return yaml.safe_load(OFFICIAL_NAMES_FILE.read_text(encoding="utf-8"))["names"]


@lru_cache(maxsize=1)
def _official_by_alpha2() -> dict[str, dict[str, str]]:
    aliases = get_global("territory_aliases")
    return {aliases[code][0]: names for code, names in official_names().items()}


@lru_cache(maxsize=16)
def _territories(locale: str) -> dict[str, str]:
    return dict(Locale.parse(locale).territories)


def cldr_name(alpha2: str, locale: str) -> str:
    """CLDR's name of a territory in ``locale``, falling back to English, then to the code."""
    return _territories(str(locale)).get(alpha2) or _territories("en").get(alpha2, alpha2)


def state_name(alpha2: str, locale: str) -> str:
    """The UN official short name of a Member State in ``locale`` (one of the six UN
    languages); CLDR's name for any other territory or language."""
    official = _official_by_alpha2().get(alpha2, {})
    return official.get(str(locale).replace("-", "_").split("_")[0]) or cldr_name(alpha2, locale)
