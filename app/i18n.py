"""Interface language: the user's saved preference, then the choice made in the language
switcher (kept in the session), then the browser's Accept-Language, then English.

Text is sorted with ICU's CLDR collation (PyICU): Babel formats numbers and dates from CLDR
but has no collation, and a code point sort puts "Égypte" after "Zimbabwe" and orders
Chinese names by code point instead of by pinyin."""
from collections.abc import Callable
from functools import lru_cache

import icu
from flask import current_app, has_request_context, request, session
from flask_babel import get_locale, refresh
from flask_login import current_user, user_logged_out
from markupsafe import Markup

from app.extensions import babel

RTL_LANGUAGES = frozenset({"ar"})
#: Each language's name in itself, for the switcher.
LANGUAGE_NAMES = {
    "ar": "العربية",
    "zh": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and background work: English unless forced
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_locale() -> str:
    return str(get_locale() or "en")


def text_direction(locale: str | None = None) -> str:
    return "rtl" if (locale or current_locale()) in RTL_LANGUAGES else "ltr"


@lru_cache(maxsize=8)
def _collator(locale: str) -> icu.Collator:
    return icu.Collator.createInstance(icu.Locale(locale))


def collation_key(locale: str | None = None) -> Callable[[str], bytes]:
    """A sort key ordering text as readers of ``locale`` (default: the current one) expect:
    Chinese by pinyin, Russian and Arabic in alphabet order, French ignoring accents and case
    unless two names differ only by them."""
    return _collator(str(locale or current_locale())).getSortKey


def isolate(text: str) -> Markup:
    """Text of unknown direction (a name, an answer) set inside a translated sentence, so that
    a Latin name in an Arabic sentence, or the reverse, does not reorder its neighbours."""
    return Markup("<bdi>%s</bdi>") % text


def _keep_language_after_logout(sender, user) -> None:
    """The login page and the "logged out" message stay in the language the user worked in."""
    if getattr(user, "locale", None):
        session["lang"] = user.locale
    refresh()


def init_app(app) -> None:
    babel.init_app(app, locale_selector=select_locale)
    user_logged_out.connect(_keep_language_after_logout, app)
    app.jinja_env.filters["bdi"] = isolate

    @app.context_processor
    def language_context():
        locale = current_locale()
        return {
            "current_locale": locale,
            "text_direction": text_direction(locale),
            "language_names": LANGUAGE_NAMES,
        }
