"""The six languages of a definition's texts, and how a text is read in one of them."""

LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")
FALLBACK_LANGUAGE = "en"


def localized(texts: dict[str, str] | None, locale: str) -> str:
    """The text in ``locale``, falling back to English for a gap."""
    if not texts:
        return ""
    return texts.get(str(locale)) or texts.get(FALLBACK_LANGUAGE, "")
