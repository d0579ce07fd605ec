"""States as the analysis pages list them: a code, a name in the reader's language, and the one
place where lists of States are put in alphabetical order."""
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from app.i18n import collation_key
from app.states.names import state_name

T = TypeVar("T")


@dataclass(frozen=True)
class StateRef:
    code: str
    name: str
    #: The answer behind this mention was marked confidential by the State.
    confidential: bool = False


def state_ref(code: str, alpha2: str, locale: str, confidential: bool = False) -> StateRef:
    return StateRef(code, state_name(alpha2, locale), confidential)


def name_key(name: str) -> bytes:
    """How names compare when sorting: the collation of the reader's language."""
    return collation_key()(name)


def by_name(items: Iterable[T], name: Callable[[T], str] = lambda item: item.name,
            locale: str | None = None) -> list[T]:
    """Sorted by name in the collation order of ``locale``, the language the names are in
    (default: the reader's; Chinese by pinyin...)."""
    key = collation_key(locale)
    return sorted(items, key=lambda item: key(name(item)))
