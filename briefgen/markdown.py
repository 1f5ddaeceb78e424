"""Markdown fields to safe HTML.

markdown-it-py parses CommonMark with raw HTML switched off; nh3 (the Ammonia
sanitiser) then keeps only a small set of tags and http(s)/mailto/#anchor
links, so no script, event handler or javascript: URL can reach any output.
"""

from __future__ import annotations

from functools import cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "hr", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"style"}, "td": {"style"}}
URL_SCHEMES = {"http", "https", "mailto"}


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(
        ["table", "strikethrough", "replacements", "smartquotes"])
    # Markdown headings inside a field sit below the brief's own h1-h3.
    md.add_render_rule("heading_open", _demote_heading)
    md.add_render_rule("heading_close", _demote_heading)
    return md


def _demote_heading(self, tokens, idx, options, env):  # type: ignore[no-untyped-def]
    token = tokens[idx]
    level = min(6, int(token.tag[1]) + 3)
    token.tag = f"h{level}"
    return self.renderToken(tokens, idx, options, env)


def to_html(text: str | None) -> Markup:
    """Render a Markdown field to sanitised HTML, ready for a template."""
    if not text:
        return Markup("")
    html = _parser().render(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        filter_style_properties={"text-align"},
        strip_comments=True,
    )
    return Markup(clean)
