"""The English catalogue is complete and compiled: every message has a translation, and the committed
.mo holds every message of the .po (regenerate with `make messages`)."""

import gettext
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "magnet" / "locale" / "en" / "LC_MESSAGES"


def _entries():
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    for block in text.split("\n\n")[1:]:
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if msgid is None:
            continue
        yield block, "".join(re.findall(r'"(.*)"', msgid.group(1)))


def test_every_message_is_translated_and_none_is_fuzzy():
    def translated(block: str) -> bool:
        strings = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M)
        return bool(strings) and all("".join(re.findall(r'"(.*)"', s)) for s in strings)

    missing = [msgid for block, msgid in _entries() if "#, fuzzy" in block or not translated(block)]
    assert not missing, missing


def test_compiled_catalogue_is_current():
    with (LOCALE / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog
    compiled = {key[0] if isinstance(key, tuple) else key for key in catalogue}
    messages = [msgid.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
             for _, msgid in _entries()]
    assert not [m for m in messages if m not in compiled]
