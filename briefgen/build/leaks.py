"""The leak check (issue 16): no text of a part above an edition's level in any of its files.

The edition filter (briefgen.present.editions) removes those parts before anything is
presented; this check does not trust it. After an edition is rendered, and before any of
its files is written, every output is read back as its reader or a tool would read it:
the PDF's text, metadata (document info and XMP) and attachments; the HTML's text and
every attribute (alt texts, titles, data- attributes); the Markdown; every string of the
JSON; every part of the Word file (text and attributes such as image descriptions). A
hit fails the build with the part's file:line and the output it was found in.

What counts as the text of a part: every string the part holds, in every language. Text
is compared after NFKC normalisation, case folding and removing everything but letters
and digits (so line breaks, hyphenation points, Markdown escapes, HTML tags and PDF word
spacing do not hide a copy). A string is looked for as windows of ``WINDOW`` words (a
sentence copied into another field, or a title reused inside a sentence, is found), or
whole when shorter, if it keeps at least ``MIN_CHARS`` letters and digits; text without
spaces (Japanese) as windows of ``CJK_WINDOW`` characters. Shorter values, such as
numbers, a likelihood or a one-word name, cannot be told apart from ordinary words and are
not looked for: the filter keeps them out, and the derived-figure rule (totals and ranks
resting on them are withheld or recomputed) keeps out what they would show. A short value
(under ``WINDOW`` words) that a released part holds as its whole value, such as a
stakeholder named in a withheld position and in a released one, is not a leak: the edition
may show it. A sentence is always a leak, even when a released part holds a copy of it:
that copy is the leak.
"""

from __future__ import annotations

import html
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from briefgen.common.diagnostics import Diagnostic, InputError
from briefgen.common.fieldpath import format_path
from briefgen.inputs.levels import Portion, texts
from briefgen.inputs.models import Bilingual
from briefgen.inputs.workspace import Workspace

WINDOW = 8  # words: a run this long is a copied phrase, not a shared turn of phrase
MIN_CHARS = 16  # letters and digits a phrase must keep to be looked for
CJK_WINDOW = 10  # characters of text written without spaces
_TAG = re.compile(r"<[^>]*>")
_ATTR = re.compile(r"""[\w:-]+\s*=\s*("([^"]*)"|'([^']*)')""")
_SENTENCE = re.compile(r"(?<=[.;:!?。；：！？])\s+|\n+")


def normalise(text: str) -> str:
    """Letters and digits only, case-folded: what a copy keeps through any format."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def phrases(text: str) -> Iterator[str]:
    """The normalised phrases of ``text`` the check looks for (see the module's note)."""
    for sentence in _SENTENCE.split(text):
        words = sentence.split()
        if len(words) >= WINDOW:
            chunks = [" ".join(words[i:i + WINDOW]) for i in range(len(words) - WINDOW + 1)]
        elif len(words) > 1:
            chunks = [sentence]
        else:  # one word, or a script written without spaces
            flat = normalise(sentence)
            if len(flat) > CJK_WINDOW and not flat.isascii():
                step = CJK_WINDOW // 2
                chunks = [flat[i:i + CJK_WINDOW]
                          for i in range(0, max(1, len(flat) - CJK_WINDOW + 1), step)]
            else:
                chunks = [sentence]
        for chunk in chunks:
            flat = normalise(chunk)
            if len(flat) >= MIN_CHARS or (not flat.isascii() and len(flat) >= CJK_WINDOW):
                yield flat


# --- what each output says, as text ------------------------------------------------


def html_text(source: str) -> str:
    attributes = " ".join(html.unescape(m.group(2) or m.group(3) or "")
                          for m in _ATTR.finditer(source))
    return html.unescape(_TAG.sub("", source)) + "\n" + attributes


def json_text(source: str) -> str:
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                found.append(str(key))
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(source))
    return "\n".join(found)


def docx_text(data: bytes) -> str:
    parts = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                parts.append(html_text(package.read(name).decode("utf-8", "replace")))
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    """The PDF's text as a text extractor reads it, its metadata and its attachments."""
    import pikepdf
    from pypdf import PdfReader

    parts = [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        parts.extend(str(value) for value in pdf.docinfo.values())
        if "/Metadata" in pdf.Root:
            parts.append(html_text(pdf.Root.Metadata.read_bytes().decode("utf-8", "replace")))
        for name, attached in pdf.attachments.items():
            parts.append(name)
            parts.append(attached.get_file().read_bytes().decode("utf-8", "replace"))
    return "\n".join(parts)


def output_text(fmt: str, content: bytes | str) -> str:
    if fmt == "pdf":
        assert isinstance(content, bytes)
        return pdf_text(content)
    if fmt == "docx":
        assert isinstance(content, bytes)
        return docx_text(content)
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    if fmt == "html":
        return html_text(text)
    if fmt == "json":
        return json_text(text)
    return text


# --- the check -----------------------------------------------------------------------


def find_leaks(ws: Workspace, withheld: list[Portion], released: list[Portion],
               files: Mapping[str, str], level: str, edition: str) -> list[Diagnostic]:
    """A diagnostic for each withheld part whose text is found in one of ``files`` (a file
    name -> its text as output_text reads it), at the part's file:line."""
    shown = {normalise(t) for p in released
             if isinstance(p.value, str | Bilingual) for t in texts(p.value)}
    flat = {name: normalise(text) for name, text in files.items()}
    problems: list[Diagnostic] = []
    for part in withheld:
        hit = _first_hit(part, shown, flat)
        if hit is None:
            continue
        name, phrase = hit
        where = format_path(part.path) or f"{part.kind} {part.ident}"
        problems.append(ws.problem(
            part.kind, part.ident, part.path,
            f"leak: {where} is {part.level}, above edition {edition!r} ({level}), but its "
            f"text appears in {name} (\u201c{phrase[:60]}\u201d, letters and digits only)",
            code="leak", hint="the edition is not written; find where the text was copied "
                              "into a part of a lower level and mark that part too"))
    return problems


def _first_hit(part: Portion, shown: set[str], files: Mapping[str, str]
               ) -> tuple[str, str] | None:
    for text in texts(part.value):
        if len(text.split()) < WINDOW and normalise(text) in shown:
            continue  # a name a released part holds as its whole value: the edition shows it
        for phrase in phrases(text):
            for name, flat in files.items():
                if phrase in flat:
                    return name, phrase
    return None


def check_edition(ws: Workspace, brief_id: str, publish: Any,
                  files: Mapping[str, bytes | str], name_of: Callable[[str], str]) -> None:
    """Raise InputError naming every leak of the edition ``publish.edition`` into
    ``files`` (format -> content); ``ws`` is the full workspace."""
    from briefgen.present.editions import plan_edition

    plan = plan_edition(ws, brief_id, publish.edition, publish.lang)
    texts_by_name = {name_of(fmt): output_text(fmt, content) for fmt, content in files.items()}
    problems = find_leaks(ws, plan.withheld, plan.released, texts_by_name,
                          plan.edition.level, plan.edition.name)
    if problems:
        raise InputError(problems)
