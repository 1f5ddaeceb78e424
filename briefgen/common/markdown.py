"""Markdown fields to safe HTML.

markdown-it-py parses CommonMark with raw HTML switched off; nh3 (the Ammonia
sanitiser) then keeps only a small set of tags and http(s)/mailto/#anchor
links, so no script, event handler or javascript: URL can reach any output.

Links and images follow the same rules as everything WeasyPrint may fetch:

* links are kept only when they go to http(s), mailto or a #anchor; any other
  link (javascript:, data:, file:, a relative path) is shown as its text;
* images are shown only when they are a relative path to a PNG, JPEG or GIF
  file inside the workspace (no hidden files, no ``..``, no symlink out of it),
  at most MAX_IMAGE_BYTES; they are embedded as data: URIs, so the HTML output
  is self-contained and the PDF renderer fetches nothing for them. Any other
  image (http(s), file:, data:, outside the workspace) is shown as its alt text.

``refusals`` lists what a field's Markdown loses under these rules, so
``briefgen check`` can warn with the file, line and field.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup, escape

from briefgen.common.paths import read_resolved_file

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "hr", "sup", "sub",
    "img",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"style"}, "td": {"style"},
                      "img": {"src", "alt", "title"}}
URL_SCHEMES = {"http", "https", "mailto", "data"}  # data: only for images, see _attribute
LINK_SCHEMES = {"http", "https", "mailto"}
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif"}
MAX_IMAGE_BYTES = 1_000_000

# The workspace whose files Markdown images may show; None: no images at all.
_image_root: ContextVar[Path | None] = ContextVar("briefgen_image_root", default=None)


@contextmanager
def images_from(root: Path | None) -> Iterator[None]:
    """Let Markdown rendered inside this block embed images from ``root``."""
    token = _image_root.set(root.resolve() if root is not None else None)
    try:
        yield
    finally:
        _image_root.reset(token)


@dataclass(frozen=True)
class Refusal:
    """A link or image a Markdown field holds that briefgen will not output."""

    kind: str  # "link" or "image"
    url: str
    reason: str

    def message(self) -> str:
        shown = self.url if len(self.url) <= 80 else self.url[:77] + "..."
        what = "shown as its text" if self.kind == "link" else "shown as its alt text"
        return f"{self.kind} {shown!r} is not allowed and is {what}: {self.reason}"


def link_problem(url: str) -> str | None:
    """Why a link may not be output, or None when it may."""
    if url.startswith("#"):
        return None
    scheme = urlsplit(url).scheme.lower()
    if scheme in LINK_SCHEMES:
        return None
    return "links may go to http(s), mailto or a #anchor only"


def resolve_image(src: str, root: Path | None) -> tuple[Path | None, str | None]:
    """The workspace file an image refers to, or None and why it is refused."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc:
        return None, "images must be files inside the workspace (no http(s), file: or data:)"
    if root is None:
        return None, "images are shown only when building from a workspace"
    raw = unquote(parts.path)
    pure = PurePosixPath(raw)
    if not raw or pure.is_absolute() or "\\" in raw or ":" in raw:
        return None, "give the image as a path relative to the workspace folder"
    if any(part.startswith(".") for part in pure.parts):
        return None, "the path may not use '..' or hidden files and folders"
    suffix = pure.suffix.lower()
    if suffix not in IMAGE_TYPES:
        return None, "images must be .png, .jpg, .jpeg or .gif files"
    target = (root / raw).resolve()
    if not target.is_relative_to(root):
        return None, "the path leads outside the workspace (through a symlink)"
    if not target.is_file():
        return None, f"no such file in the workspace: {raw}"
    if target.stat().st_size > MAX_IMAGE_BYTES:
        return None, f"the image is over {MAX_IMAGE_BYTES:,} bytes"
    return target, None


def _image_uri(path: Path) -> str:
    mime = IMAGE_TYPES[path.suffix.lower()]
    data = read_resolved_file(path)  # resolved and checked by resolve_image
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(
        ["table", "strikethrough", "replacements", "smartquotes"])
    # Every link becomes a token so the rules below (and refusals) see it; the
    # render rules drop what is not allowed, and nh3 checks again after them. (mypy flags
    # any assignment to a method; this replaces it on this one parser, as intended.)
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    # Markdown headings inside a field sit below the brief's own h1-h3.
    md.add_render_rule("heading_open", _demote_heading)
    md.add_render_rule("heading_close", _demote_heading)
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("link_close", _link_close)
    md.add_render_rule("image", _image)
    return md


def _demote_heading(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict,
                    env: EnvType) -> str:
    token = tokens[idx]
    level = min(6, int(token.tag[1]) + 3)
    token.tag = f"h{level}"
    return self.renderToken(tokens, idx, options, env)


def _link_open(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict,
               env: EnvType) -> str:
    token = tokens[idx]
    refused = link_problem(str(token.attrGet("href") or "")) is not None
    env.setdefault("refused_links", []).append(refused)
    return "" if refused else self.renderToken(tokens, idx, options, env)


def _link_close(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict,
                env: EnvType) -> str:
    stack = env.get("refused_links") or [False]
    return "" if stack.pop() else self.renderToken(tokens, idx, options, env)


def _image(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict,
           env: EnvType) -> str:
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    path, _ = resolve_image(str(token.attrGet("src") or ""), _image_root.get())
    if path is None:
        return str(escape(alt))
    title = token.attrGet("title")
    title_attr = f' title="{escape(title)}"' if title else ""
    return f'<img src="{_image_uri(path)}" alt="{escape(alt)}"{title_attr}>'


def _attribute(tag: str, attribute: str, value: str) -> str | None:
    """nh3's last word on URLs: the same rules as above, whatever produced the HTML."""
    if tag == "a" and attribute == "href":
        return value if link_problem(value) is None else None
    if tag == "img" and attribute == "src":
        ok = any(value.startswith(f"data:{mime};base64,") for mime in IMAGE_TYPES.values())
        return value if ok else None
    return value


def to_html(text: str | None) -> Markup:
    """Render a Markdown field to sanitised HTML, ready for a template."""
    if not text:
        return Markup("")
    html = _parser().render(text, {})
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        filter_style_properties={"text-align"},
        strip_comments=True,
    )
    return Markup(clean)


def refusals(text: str | None, root: Path | None) -> list[Refusal]:
    """Every link and image in ``text`` that to_html will not output, and why."""
    if not text:
        return []
    out: list[Refusal] = []
    for block in _parser().parse(text):
        for token in block.children or []:
            if token.type == "link_open":
                href = str(token.attrGet("href") or "")
                if (why := link_problem(href)) is not None:
                    out.append(Refusal("link", href, why))
            elif token.type == "image":
                src = str(token.attrGet("src") or "")
                _, why = resolve_image(src, root)
                if why is not None:
                    out.append(Refusal("image", src, why))
    return out


def stray_emphasis(text: str | None) -> list[str]:
    """The text around the first ``**`` of each run of text that Markdown shows as
    literal asterisks.

    CommonMark closes ``**`` only where it is "right-flanking": after punctuation it must
    be followed by a space or more punctuation. So ``**25%**に`` (Japanese, no spaces) or
    ``**Japan's**offer`` prints its asterisks. Writers never mean that, and the reader of
    the brief sees it, so ``briefgen check`` warns with the text around it.
    """
    if not text:
        return []
    out: list[str] = []
    for block in _parser().parse(text):
        for token in block.children or []:
            if token.type != "text":
                continue
            content = token.content
            for found in re.finditer(r"\*\*+", content):
                start, end = found.span()
                left = content[start - 1:start]
                right = content[end:end + 1]
                if left.strip() or right.strip():  # a lone "**" between spaces is meant
                    # One report per run of text: an unclosed pair is one mistake.
                    out.append(content[max(0, start - 20):end + 20].strip())
                    break
    return out


def tokens(text: str | None) -> list[Any]:
    """The markdown-it token stream of a field, parsed as for HTML (raw HTML is text), for
    writers that are not HTML (Word): they keep what they know and show the rest as text,
    and apply ``link_problem`` to links as to_html does."""
    return _parser().parse(text) if text else []
