#!/usr/bin/env python3
"""Writes Tests/Fixtures/feeds/encodings/: one small RSS feed with Russian (and, where the
encoding has the letters, Ukrainian) text in each encoding the feed parser must read, encoded
with Python's codecs so the bytes are the real thing.

Run from the repository root:
    python3 scripts/generate-encoding-fixtures.py
"""
import pathlib

out = pathlib.Path("Tests/Fixtures/feeds/encodings")
out.mkdir(parents=True, exist_ok=True)

RUSSIAN_TITLE = "Выборы в Мажилис: кандидат провёл встречу"
RUSSIAN_TEXT = "Ёлки и палки, съешь же ещё этих мягких французских булок"
UKRAINIAN_TEXT = "Їжак і ґава: Євген пише про вибори"


def feed(declared, text=RUSSIAN_TEXT):
    declaration = f'<?xml version="1.0" encoding="{declared}"?>\n' if declared else '<?xml version="1.0"?>\n'
    return (
        declaration
        + "<rss version=\"2.0\"><channel><title>Новости штаба</title><link>http://example.kz/</link>\n"
        + f"<item><title>{RUSSIAN_TITLE}</title><link>http://example.kz/1</link>"
        + f"<description>{text}</description>"
        + "<pubDate>Sat, 28 Jan 2023 14:02:11 +0600</pubDate></item>\n"
        + "</channel></rss>\n"
    )


files = {
    # name: (bytes)
    "windows-1251.xml": feed("windows-1251").encode("cp1251"),
    "koi8-r.xml": feed("KOI8-R").encode("koi8_r"),
    "koi8-u.xml": feed("koi8-u", UKRAINIAN_TEXT).encode("koi8_u"),
    "iso-8859-5.xml": feed("ISO-8859-5").encode("iso8859_5"),
    "cp866.xml": feed("cp866").encode("cp866"),
    "utf-8.xml": feed("utf-8").encode("utf-8"),
    "utf-8-bom.xml": b"\xef\xbb\xbf" + feed("utf-8").encode("utf-8"),
    "utf-16le-bom.xml": b"\xff\xfe" + feed("utf-16").encode("utf-16-le"),
    "utf-16be-bom.xml": b"\xfe\xff" + feed("utf-16").encode("utf-16-be"),
    "utf-16le-nobom.xml": feed("utf-16").encode("utf-16-le"),
    "utf-16be-nobom.xml": feed("UTF-16BE").encode("utf-16-be"),
    "utf-32le-bom.xml": b"\xff\xfe\x00\x00" + feed("utf-32").encode("utf-32-le"),
    "utf-32be-nobom.xml": feed("utf-32").encode("utf-32-be"),
    # Declares windows-1251, is UTF-8: the bytes win.
    "utf-8-declared-windows-1251.xml": feed("windows-1251").encode("utf-8"),
    # No declaration at all, windows-1251 bytes: read by their letters.
    "windows-1251-undeclared.xml": feed(None).encode("cp1251"),
    # No declaration, koi8-r bytes: for the HTTP charset test (and the letter guess).
    "koi8-r-undeclared.xml": feed(None).encode("koi8_r"),
    # UTF-8 with two stray bytes that are not UTF-8.
    "utf-8-invalid-bytes.xml": feed("utf-8").encode("utf-8").replace("мягких".encode("utf-8"), b"\xff\xfe").replace("булок".encode("utf-8"), "бу".encode("utf-8") + b"\xd0" + "ок".encode("utf-8")),
}

for name, data in files.items():
    (out / name).write_bytes(data)
print(f"{out}: {len(files)} files")
