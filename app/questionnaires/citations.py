"""Citations of the documents a question comes from, such as ``Protocol art. 6(3)(a)``,
``000 §13(c)`` or ``004 rec. 31``, and how a reader sees them in their language.

A definition declares the documents it cites (``documents:`` maps a code to a short name and a
full title in six languages). Each citation is read once, when the definition is built, and
``format_citation`` writes it out: the document's name from the definition, the grammar words
(art., para., recommendation and their order) from the interface catalogs:

    Protocol art. 6(3)(a) -> Protocol, art. 6(3)(a) | Protocole, art. 6, par. 3 a) | 《议定书》第6条第3款(a)项
"""
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from app.i18n import current_locale
from app.questionnaires.texts import localized

#: A document code, then an article (with its paragraph and subparagraph), a paragraph (with its
#: subparagraph) or a recommendation. A letter right after an article is a subparagraph of the
#: article itself: "Protocol art. 3(a)".
CITATION = re.compile(
    r"^\s*(?P<code>[A-Za-z0-9][A-Za-z0-9_-]*)\s+(?:"
    r"art\.\s*(?P<article>\d+)(?:\((?P<article_paragraph>\d+)\))?(?:\((?P<article_sub>[a-z])\))?"
    r"|§\s*(?P<paragraph>\d+)(?:\((?P<paragraph_sub>[a-z])\))?"
    r"|rec\.\s*(?P<recommendation>\d+))(?!\d)"
)
#: What a citation may look like, for messages to authors.
EXAMPLES = "Protocol art. 6(3)(a), Protocol art. 3(a), 000 §13(c), 004 rec. 31"

#: One form per kind of locator. The catalogs decide the words, their order and punctuation.
FORMS = {
    ("article",): _l("%(document)s, art. %(article)s"),
    ("article", "paragraph"): _l("%(document)s, art. %(article)s(%(paragraph)s)"),
    ("article", "paragraph", "subparagraph"): _l("%(document)s, art. %(article)s(%(paragraph)s)(%(subparagraph)s)"),
    ("article", "subparagraph"): _l("%(document)s, art. %(article)s(%(subparagraph)s)"),
    ("paragraph",): _l("%(document)s, para. %(paragraph)s"),
    ("paragraph", "subparagraph"): _l("%(document)s, para. %(paragraph)s(%(subparagraph)s)"),
    ("recommendation",): _l("%(document)s, recommendation %(recommendation)s"),
}
#: Subparagraph letters as each language writes them; Arabic counts in the abjad order.
LETTERS = {"ar": dict(zip("abcdefghijklmnopqrstuvwxyz", (
    "أ", "ب", "ج", "د", "هـ", "و", "ز", "ح", "ط", "ي", "ك", "ل", "م", "ن", "س", "ع", "ف", "ص", "ق", "ر",
    "ش", "ت", "ث", "خ", "ذ", "ض")))}
#: Between two citations, as each language punctuates a list (like the quotes in reports/blank.py).
SEPARATORS = {"ar": "؛ ", "zh": "；"}


@dataclass(frozen=True)
class Document:
    """A document that a definition cites, declared under ``documents:``."""

    code: str
    name: dict[str, str]  # the short name a citation gives: "Protocol", "《议定书》"
    title: dict[str, str]  # the full title


@dataclass(frozen=True)
class Citation:
    text: str  # as written in the definition
    #: None when the citation is not in a form the platform reads or cites an undeclared
    #: document (definitions loaded before documents were declared): it is then shown as written.
    document: Document | None = None
    article: str | None = None
    paragraph: str | None = None  # of the article, or of a report
    subparagraph: str | None = None
    recommendation: str | None = None

    @property
    def parts(self) -> dict[str, str]:
        names = ("article", "paragraph", "subparagraph", "recommendation")
        return {name: getattr(self, name) for name in names if getattr(self, name)}


def locate(text: str) -> dict[str, str] | None:
    """The code and locator of a citation written in full in one of the forms; None otherwise."""
    match = CITATION.match(text or "")
    if match is None or match.end() != len(text.rstrip()):
        return None
    numbers = {"article": match["article"], "paragraph": match["article_paragraph"] or match["paragraph"],
               "recommendation": match["recommendation"]}
    parts = {"code": match["code"], "subparagraph": match["article_sub"] or match["paragraph_sub"],
             **{key: str(int(value)) for key, value in numbers.items() if value}}
    return {key: value for key, value in parts.items() if value}


def read_citation(text: str, documents: Mapping[str, Document]) -> Citation:
    parts = locate(text)
    if parts is None or parts["code"] not in documents:
        return Citation(text)
    return Citation(text, documents[parts.pop("code")], **parts)


def format_citation(citation: Citation, locale: str) -> str:
    """The citation as a reader of ``locale`` writes it: "《议定书》第6条第3款(a)项"."""
    if citation.document is None:
        return citation.text
    if current_locale() != locale:
        with force_locale(locale):
            return format_citation(citation, locale)
    parts = citation.parts
    if "subparagraph" in parts:
        parts["subparagraph"] = LETTERS.get(locale, {}).get(parts["subparagraph"], parts["subparagraph"])
    return FORMS[tuple(parts)] % {"document": localized(citation.document.name, locale), **parts}


def document_title(citation: Citation, locale: str) -> str:
    return localized(citation.document.title, locale) if citation.document else ""


def join_citations(citations: Iterable[Citation], locale: str) -> str:
    return SEPARATORS.get(locale, "; ").join(format_citation(citation, locale) for citation in citations)


def cited_documents(citations: Iterable[Citation], documents: Mapping[str, Document]) -> list[Document]:
    """The declared documents among those cited, in the order the definition declares them."""
    codes = {citation.document.code for citation in citations if citation.document}
    return [document for code, document in documents.items() if code in codes]
