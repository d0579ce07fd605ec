"""Fill in translations of new interface strings: ``python scripts/translate.py FILE.json``.

FILE.json maps each English msgid to {language: translation}; plural entries map to
{language: [form0, form1, ...]}. Only entries still untranslated (or fuzzy) are set, so running
it twice changes nothing. The catalogs' layout is kept as ``make translations-update`` writes it."""
import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent / "translations"


def fill(translations: dict[str, dict]) -> dict[str, int]:
    filled = {}
    for po_path in sorted(ROOT.glob("*/LC_MESSAGES/messages.po")):
        language = po_path.parts[-3]
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        count = 0
        for message in catalog:
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            wanted = translations.get(key, {}).get(language)
            if not key or wanted is None or (message.string and not message.fuzzy and any(message.string)):
                continue
            message.string = tuple(wanted) if isinstance(message.id, tuple) else wanted
            message.flags.discard("fuzzy")
            count += 1
        with po_path.open("wb") as handle:
            write_po(handle, catalog, width=0, omit_header=False, sort_output=True, include_previous=False,
                     no_location=True)
        filled[language] = count
    return filled


if __name__ == "__main__":
    print(fill(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))))
