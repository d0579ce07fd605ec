"""The wording of the shipped Protocol questionnaire follows the official texts of the Protocol and
the Convention and United Nations editorial practice in each language. Each rule below caught a
mistake in version 2 (questionnaires/archive/tip-protocol-v2 still has them) and keeps it from
coming back.

Chinese uses 人口贩运, the term the Protocol defines in article 3(a) and uses in its operative
articles ("人口贩运活动被害人"); 贩运人口 appears only inside names that officially use it: the
Protocol's title, the Working Group on Trafficking in Persons (贩运人口问题工作组), the World Day
against Trafficking in Persons and the titles of the Secretary-General's reports."""
import functools
import re
from pathlib import Path

import pytest

from app.questionnaires.loader import canonical, load_definition
from app.questionnaires.schema import LANGUAGES

TIP_PROTOCOL = Path(__file__).parent.parent / "questionnaires" / "tip-protocol" / "questionnaire.yaml"
#: Names in which Chinese keeps 贩运人口.
ZH_NAMES_WITH_TRAFFICKING_IN_PERSONS = (
    "贩运人口问题工作组", "惩治贩运人口特别是妇女和儿童", "世界打击贩运人口行为日", "改进工作协调，打击贩运人口")
FULL_WIDTH = "，。：；？！、）》」』”"


def texts(node, where="definition"):
    """Every six-language text of a canonical definition, with where it is."""
    if isinstance(node, dict) and set(node) == set(LANGUAGES):
        yield where, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from texts(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            name = (item.get("id") or item.get("value") or index) if isinstance(item, dict) else index
            yield from texts(item, f"{where}[{name}]")


def _forbidden(language, pattern):
    def rule(where, text):
        found = re.search(pattern, text[language])
        return f"{where}: {language} has {found[0]!r}" if found else None
    return rule


def _wherever(source_language, source_pattern, language, required):
    """Where ``source_language`` says ``source_pattern``, ``language`` must say ``required``."""
    def rule(where, text):
        if re.search(source_pattern, text[source_language], re.I) and not re.search(required, text[language]):
            return f"{where}: {language} lacks {required!r}: {text[language][:80]!r}"
        return None
    return rule


def _zh_trafficking_in_persons(where, text):
    rest = text["zh"]
    for name in ZH_NAMES_WITH_TRAFFICKING_IN_PERSONS:
        rest = rest.replace(name, "")
    return f"{where}: zh writes 贩运人口 outside an official name" if "贩运人口" in rest else None


RULES = {
    # Arabic
    "ar: المتجرين, not المتاجرين": _forbidden("ar", r"متاجر"),
    "ar: جزئيًا written one way": _forbidden("ar", r"جزئياً"),
    "ar: art. 8(1) without undue or unreasonable delay":
        _wherever("en", r"undue or unreasonable delay", "ar", r"دون إبطاء لا مسوّغ له أو غير معقول"),
    # Chinese
    "zh: no space after full-width punctuation or between characters":
        _forbidden("zh", rf"[{FULL_WIDTH}]\s|[\u4e00-\u9fff]\s+[\u4e00-\u9fff]"),
    "zh: physical, psychological and social recovery":
        _wherever("en", r"physical, psychological and social recovery", "zh", r"身体、心理和社会康复"),
    "zh: no 身心康复": _forbidden("zh", r"身心康复"),
    "zh: art. 3(b) consent 并不相干": _wherever("zh", r"所表示的同意", "zh", r"并不相干"),
    "zh: 人口贩运, except in official names": _zh_trafficking_in_persons,
    # French
    "fr: art. 10(1)(a) auteurs ou victimes de la traite des personnes": _forbidden("fr", r"trafiquants ou (des )?victimes"),
    "fr: one wording for voluntary return": _forbidden("fr", r"plein gré|base volontaire|rapatriement volontaire"),
    "fr: voluntary return is retour volontaire": _wherever("en", r"voluntary return", "fr", r"retour volontaire"),
    # Russian
    "ru: art. 3(b) запланированную эксплуатацию": _forbidden("ru", r"предполагаемую эксплуатацию"),
    "ru: эксплуатацию проституции других лиц": _forbidden("ru", r"проституци\w* третьи\w* лиц"),
    "ru: prostitution of others": _wherever("en", r"prostitution of others", "ru", r"проституции других лиц"),
    "ru: е, not ё": _forbidden("ru", r"[ёЁ]"),
    # Spanish
    "es: Estados partes": _forbidden("es", r"\bEstados parte\b"),
    "es: niños varones for boys": _wherever("en", r"\bboys?\b", "es", r"(?i)niños varones|niño varón"),
}


@functools.lru_cache(maxsize=4)
def _texts_of(path: Path) -> tuple:
    """Every text of a definition, read once for all the rules."""
    return tuple(texts(canonical(load_definition(path))))


def problems(path: Path, rule) -> list[str]:
    return [problem for where, text in _texts_of(path) if (problem := rule(where, text))]


@pytest.mark.parametrize("name", RULES)
def test_the_protocol_questionnaire_keeps_to_the_official_wording(name):
    found = problems(TIP_PROTOCOL, RULES[name])
    assert not found, "\n".join(found[:10])
