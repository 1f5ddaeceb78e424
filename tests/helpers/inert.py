"""What "inert" HTML means for the security and fuzz tests: nothing from the data
can run script, load a remote resource or open markup of its own."""

from __future__ import annotations

from html.parser import HTMLParser


class Collector(HTMLParser):
    """Every element and attribute of an HTML document, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        self.tags.append((tag, dict(attrs)))


def assert_inert(html: str) -> None:
    parser = Collector()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag not in {"script", "iframe", "object", "embed", "form"}, tag
        # briefgen's own charts are inline SVG labelled by their chart id; nothing from the
        # data may open an <svg> of its own.
        if tag == "svg":
            assert (attrs.get("aria-labelledby") or "").startswith("chart-"), attrs
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, value)
            if name in {"href", "src", "action", "formaction", "xlink:href"} and value:
                low = value.strip().lower()
                assert low.startswith(("http://", "https://", "mailto:", "#", "data:image/")), \
                    (tag, name, value)
                assert not low.startswith(("http://evil", "https://evil")), (tag, name, value)
        if tag == "img":
            assert attrs["src"].startswith("data:image/png;base64,")  # type: ignore[union-attr]
