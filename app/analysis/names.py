"""States as the analysis pages list them: a code, a name in the reader's language, and the one
place where lists of States are put in alphabetical order."""
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

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


def name_key(name: str) -> str:
    """How names are compared when sorting. Case-insensitive code-point order until the
    interface offers a locale collation; replace it here and every list follows."""
    return name.casefold()


def by_name(items: Iterable[T], name: Callable[[T], str] = lambda item: item.name) -> list[T]:
    return sorted(items, key=lambda item: name_key(name(item)))
