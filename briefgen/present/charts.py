"""Charts as inline SVG, drawn with matplotlib's SVG backend.

matplotlib is imported inside ``_figure`` only, so nothing pays for it until a
chart is drawn. Output is deterministic: the same inputs give the same bytes
(fixed ``svg.hashsalt``, no date or creator in the metadata). Text stays
``<text>`` in DejaVu Sans (see FONT_STACK): drawn as paths, every letter was an
element of its own, and the letters of five charts were most of the HTML and a
third of WeasyPrint's time for the whole brief. Element ids are prefixed per chart so
several charts can share one HTML page.

A chart is a pure function of its data, its style and the drawing library, so
each is kept in the briefgen cache (briefgen.common.filecache) under a hash of
all of them (see ``_cached``): an unchanged chart is read back, and matplotlib
(about 0.9 s to import) is not even imported.

Each function takes plain data (already formatted labels) and returns a Chart:
the SVG markup plus a one-line text alternative; the templates add a caption
and a table with the same numbers. Inside ``rasters()`` each chart is also
drawn as a PNG from the same figure, for formats that cannot hold SVG (Word).
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import textwrap
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache, wraps
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from briefgen import __version__
from briefgen.common import filecache
from briefgen.language import formatting
from briefgen.language.formatting import fixed, points, rank_label
from briefgen.language.labels import current_catalogue
from briefgen.language.labels import label as _t
from briefgen.present import sentences
from briefgen.present.columns import wide

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not before
    from matplotlib.typing import RcKeyType

# Okabe-Ito, readable by colour-blind readers and in greyscale print order.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000")
HATCHES = ("", "//", "..", "xx")
INK = "#1b1f24"
MUTED = "#5b6470"
NAVY = "#14365d"
WIDTH_IN = 6.6  # fits the A4 text block (174 mm) with a little room

_RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "briefgen",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": MUTED,
    "ytick.color": INK,
    "legend.frameon": False,
    "path.simplify": False,
}


@dataclass(frozen=True)
class Chart:
    id: str
    svg: str  # markup generated here; labels went in as escaped text, out as <text>
    alt: str  # one-line text alternative for aria-label
    png: bytes | None = None  # drawn only inside rasters(): the Word output embeds it


PNG_DPI = 200  # sharp in print at the chart's width, small enough to mail
_RASTERS: ContextVar[bool] = ContextVar("briefgen_chart_rasters", default=False)


@contextmanager
def rasters() -> Iterator[None]:
    """Charts drawn inside this block also carry a PNG of the same figure."""
    token = _RASTERS.set(True)
    try:
        yield
    finally:
        _RASTERS.reset(token)


def short(text: str, width: int = 26) -> str:
    """A title cut to fit beside a bar: at its first comma, else at a word boundary."""
    head = text.split(",")[0].strip()
    if len(head) <= width:
        return head
    return textwrap.shorten(head, width, placeholder="…")


def label(text: str, width: int = 30, lines: int = 3) -> str:
    """A label safe for matplotlib: mathtext '$' escaped, long names wrapped onto at most
    ``lines`` lines, the last cut with an ellipsis: a row of a bar chart holds three lines,
    and a 180-character title ran over its neighbours' labels."""
    text = text.replace("\\", "\\\\").replace("$", r"\$")
    if sum(wide(ch) for ch in text) > len(text) / 2:
        width = max(1, width // 2)  # CJK characters are about twice as wide as Latin ones
    wrapped = textwrap.wrap(text, width)
    if len(wrapped) > lines:
        last = " ".join(wrapped[lines - 1:])
        wrapped = [*wrapped[:lines - 1], textwrap.shorten(last, width, placeholder="…")
                   if " " in last[:width] else last[:width - 1] + "…"]
    return "\n".join(wrapped) or " "


# Japanese option and criterion names are drawn with Noto Sans CJK JP where the system has
# it (.ci/run installs fonts-noto-cjk): matplotlib falls back to it glyph by glyph, so
# Latin text keeps DejaVu Sans and English charts do not change. It is named only when
# installed, so machines without it get no "font not found" noise.
CJK_FAMILY = "Noto Sans CJK JP"


# What the SVG's <text> asks for. matplotlib measures and places every label in DejaVu
# Sans (and Noto Sans CJK JP for Japanese), so the PDF looks as it did when text was drawn
# as paths: WeasyPrint finds both through fontconfig (Debian's fonts-dejavu-core is a
# dependency of fontconfig itself; .ci/run installs fonts-noto-cjk). A browser without
# DejaVu takes Verdana, whose letters are about as wide, then any sans-serif: labels are
# placed at their anchors (right-aligned tick labels end where the axis starts), and the
# theme lets the SVG overflow its box, so a wider fallback font cannot cut a label off.
FONT_STACK = f"'DejaVu Sans', Verdana, '{CJK_FAMILY}', sans-serif"
_FONT_FAMILY = re.compile(r"font-family: [^;\"]*")


@cache
def _families() -> list[str]:
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return ["DejaVu Sans", CJK_FAMILY] if CJK_FAMILY in names else ["DejaVu Sans"]


@contextmanager
def _figure(height_in: float) -> Iterator[Any]:
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    with matplotlib.rc_context({**_RC, "font.family": _families()}):
        fig = Figure(figsize=(WIDTH_IN, height_in))
        FigureCanvasSVG(fig)
        yield fig


_GLYPH = re.compile(r"Glyph (\d+) .*missing from font")
_missing: set[str] = set()  # characters no font could draw, since take_missing_glyphs()


def take_missing_glyphs() -> list[str]:
    """The characters charts drawn since the last call could not find in any font, sorted;
    the build reports them as one located warning instead of matplotlib's raw lines."""
    found = sorted(_missing)
    _missing.clear()
    return found


def _savefig(fig: Any, buf: io.BytesIO, **kwargs: Any) -> None:
    """fig.savefig, keeping matplotlib's missing-glyph warnings for the build to report."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(buf, **kwargs)
    for warning in caught:
        match = _GLYPH.search(str(warning.message))
        if match:
            _missing.add(chr(int(match.group(1))))
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename,
                                   warning.lineno)


def _svg(fig: Any, chart_id: str) -> str:
    buf = io.BytesIO()
    _savefig(fig, buf, format="svg", metadata={"Date": None, "Creator": None},
             bbox_inches="tight", pad_inches=0.05)
    svg = _FONT_FAMILY.sub(f"font-family: {FONT_STACK}", buf.getvalue().decode("utf-8"))
    return _inline(svg, chart_id)


_ID = re.compile(r'\bid="([^"]+)"')


def _inline(svg: str, chart_id: str) -> str:
    """Strip the XML prologue, prefix every id, and check nothing active slipped in."""
    start = svg.index("<svg")
    svg = svg[start:]
    ids = set(_ID.findall(svg))
    for ident in sorted(ids, key=len, reverse=True):
        new = f"{chart_id}-{ident}"
        svg = svg.replace(f'id="{ident}"', f'id="{new}"')
        svg = svg.replace(f'"#{ident}"', f'"#{new}"')
        svg = svg.replace(f"url(#{ident})", f"url(#{new})")
    svg = svg.replace("<svg ", f'<svg role="img" aria-labelledby="{chart_id}-title" ', 1)
    _check_inert(svg)
    return svg


def _check_inert(svg: str) -> None:
    lowered = svg.lower()
    if "<script" in lowered or "foreignobject" in lowered or "javascript:" in lowered:
        raise ValueError("chart SVG holds active content")  # never from matplotlib


def _finish(fig: Any, chart_id: str, alt: str) -> Chart:
    svg = _svg(fig, chart_id)
    title = alt.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    svg = re.sub(r"(<svg[^>]*>)", rf'\1<title id="{chart_id}-title">{title}</title>', svg,
                 count=1)
    png = None
    if _RASTERS.get():
        buf = io.BytesIO()  # Agg's PNG has no date; Software is the only text chunk
        _savefig(fig, buf, format="png", dpi=PNG_DPI, metadata={"Software": None},
                 bbox_inches="tight", pad_inches=0.05, facecolor="white")
        png = buf.getvalue()
    return Chart(chart_id, svg, alt, png)


_F = TypeVar("_F", bound=Callable[..., Chart])
CACHE_KIND = "charts"
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",
              "/Library/Fonts", "/System/Library/Fonts", "~/Library/Fonts")


@cache
def _context_digest() -> str:
    """What every chart depends on besides its arguments: the code that draws and words it,
    briefgen's and matplotlib's versions, and which fonts the machine has (matplotlib measures
    labels in them, and a CJK font installed later changes the layout of Japanese charts)."""
    code = [filecache.digest(Path(path).read_text(encoding="utf-8"))
            for path in (__file__, sentences.__file__ or "", formatting.__file__ or "")]
    fonts = []
    for top in _FONT_DIRS:
        for folder, _dirs, _files in os.walk(os.path.expanduser(top)):
            try:  # a font added or removed changes its folder's modification time
                fonts.append((folder, os.stat(folder).st_mtime_ns))
            except OSError:
                continue
    try:
        mpl = metadata.version("matplotlib")
    except metadata.PackageNotFoundError:
        mpl = "missing"
    return filecache.digest(__version__, mpl, code, sorted(fonts))


def _key(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    words = current_catalogue()  # the language, and the wording of axis titles
    return filecache.digest(name, args, kwargs, _RASTERS.get(), words.language,
                            dict(words.labels), dict(words.joiners), _context_digest())


def _cached(draw: _F) -> _F:
    """Read the chart from the cache when the same one was drawn before; else draw, store."""

    @wraps(draw)
    def wrapper(*args: Any, **kwargs: Any) -> Chart:
        key = _key(draw.__name__, args, kwargs)
        stored = filecache.get(CACHE_KIND, key)
        if stored is not None:
            try:
                data = json.loads(stored)
                chart = Chart(data["id"], data["svg"], data["alt"],
                              base64.b64decode(data["png"]) if data["png"] else None)
                _check_inert(chart.svg)  # the cache is a file anyone with the account can edit
                missing = data.get("missing", [])
                if not all(isinstance(c, str) and len(c) == 1 for c in missing):
                    raise TypeError(missing)
                # A chart read back still cannot draw what it could not draw the first
                # time: the build's warning must not depend on the cache.
                _missing.update(missing)
                return chart
            except (ValueError, KeyError, TypeError):
                pass  # torn or edited: draw it again
        before = set(_missing)
        _missing.clear()
        chart = draw(*args, **kwargs)
        mine = sorted(_missing)
        _missing.update(before)
        filecache.put(CACHE_KIND, key, json.dumps({
            "id": chart.id, "svg": chart.svg, "alt": chart.alt,
            "png": base64.b64encode(chart.png).decode() if chart.png else None,
            "missing": mine}).encode())
        return chart

    return wrapper  # type: ignore[return-value]


@_cached
def totals_chart(options: Sequence[str], criteria: Sequence[str],
                 contributions: Sequence[Sequence[float]],
                 low: Sequence[float], high: Sequence[float], alt: str,
                 chart_id: str = "chart-totals") -> Chart:
    """Weighted totals stacked by criterion, best at the top, with low-high whiskers."""
    n = len(options)
    with _figure(0.9 + 0.42 * n) as fig:
        ax = fig.add_subplot()
        ys = list(range(n))[::-1]
        left = [0.0] * n
        for j, name in enumerate(criteria):
            widths = [row[j] for row in contributions]
            ax.barh(ys, widths, left=left, height=0.62, color=PALETTE[j % len(PALETTE)],
                    hatch=HATCHES[(j // len(PALETTE)) % len(HATCHES)], edgecolor="white",
                    linewidth=0.6, label=label(name, 24, lines=2))
            left = [a + b for a, b in zip(left, widths, strict=True)]
        for y, total, lo, hi in zip(ys, left, low, high, strict=True):
            if hi - lo > 1e-9:
                ax.errorbar([total], [y], xerr=[[total - lo], [hi - total]], fmt="none",
                            ecolor=INK, elinewidth=1.0, capsize=3)
            ax.text(max(total, hi) + 1.2, y, points(total), va="center", fontsize=8,
                    color=INK, fontweight="bold")
        ax.set_yticks(ys, [label(o) for o in options])
        ax.set_xlim(0, 105)
        ax.set_xlabel(_t("Weighted total (0–100); whiskers: every score at its low or high end"))
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=min(len(criteria), 4),
                  fontsize=7)
        ax.grid(axis="x", color="#e4e8ec", linewidth=0.6)
        ax.set_axisbelow(True)
        return _finish(fig, chart_id, alt)


@_cached
def stability_chart(criteria: Sequence[str], weights: Sequence[float],
                    intervals: Sequence[tuple[float, float]],
                    end_labels: Sequence[tuple[str | None, str | None]],
                    flagged: Sequence[bool], alt: str,
                    chart_id: str = "chart-stability") -> Chart:
    """Per criterion, the weight range (0-100 %) over which the leader stays first."""
    n = len(criteria)
    with _figure(0.8 + 0.5 * n) as fig:
        ax = fig.add_subplot()
        ys = list(range(n))[::-1]
        for y, w, (lo, hi), (lo_name, hi_name), flag in zip(
                ys, weights, intervals, end_labels, flagged, strict=True):
            ax.barh([y], [100 * (hi - lo)], left=[100 * lo], height=0.5,
                    color="#E69F00" if flag else "#9ecae1", edgecolor=NAVY, linewidth=0.5)
            ax.plot([100 * w], [y], marker="D", color=NAVY, markersize=5, linestyle="none")
            if lo_name:
                ax.text(100 * lo - 1, y + 0.34, label(short(lo_name)) + " ←",
                        ha="right", va="bottom", fontsize=6.5, color=MUTED)
            if hi_name:
                ax.text(100 * hi + 1, y + 0.34, "→ " + label(short(hi_name)),
                        ha="left", va="bottom", fontsize=6.5, color=MUTED)
        ax.set_yticks(ys, [label(c) for c in criteria])
        ax.set_xlim(0, 100)
        ax.set_ylim(-0.6, n - 0.1)
        ax.set_xlabel(_t("Weight of the criterion (%); ◆ stated weight; orange: under 10 "
                         "points from a change of leader"))
        ax.grid(axis="x", color="#e4e8ec", linewidth=0.6)
        ax.set_axisbelow(True)
        return _finish(fig, chart_id, alt)


@_cached
def acceptability_chart(options: Sequence[str], shares: Sequence[Sequence[float]], alt: str,
                        chart_id: str = "chart-acceptability") -> Chart:
    """Stacked bars: the share of draws in which each option takes rank 1, 2, ...

    The tail of many ranks is one band (see ``rank_groups``): n x n bands are
    unreadable and cost n x n shapes (a 120-option brief drew 14,400).
    """
    from matplotlib import colormaps

    from briefgen.analysis.acceptability import grouped_shares, rank_groups

    n = len(options)
    groups = rank_groups(len(shares[0]) if shares else 0)
    shares = [grouped_shares(row, groups) for row in shares]
    legend = [rank_label(a, b) for a, b in groups]
    ranks = len(groups)
    cmap = colormaps["Blues_r"]
    with _figure(0.9 + 0.42 * n) as fig:
        ax = fig.add_subplot()
        ys = list(range(n))[::-1]
        left = [0.0] * n
        for r in range(ranks):
            widths = [100 * row[r] for row in shares]
            color = cmap(0.1 + 0.75 * r / max(ranks - 1, 1))
            ax.barh(ys, widths, left=left, height=0.62, color=color, edgecolor="white",
                    linewidth=0.6, label=legend[r])
            for y, x0, wd in zip(ys, left, widths, strict=True):
                if wd >= 7:
                    ax.text(x0 + wd / 2, y, fixed(wd, 0), ha="center", va="center", fontsize=7,
                            color="white" if r < ranks / 2 else INK)
            left = [a + b for a, b in zip(left, widths, strict=True)]
        ax.set_yticks(ys, [label(o) for o in options])
        ax.set_xlim(0, 100)
        ax.set_xlabel(_t("Share of weightings (%) in which the option takes each rank"))
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=min(ranks, 8),
                  fontsize=7)
        return _finish(fig, chart_id, alt)


@_cached
def timeline_chart(options: Sequence[str], months: Sequence[float | None], alt: str,
                   chart_id: str = "chart-timeline") -> Chart:
    """Months from the start to the effect, per option (no bar when unknown)."""
    n = len(options)
    with _figure(0.8 + 0.36 * n) as fig:
        ax = fig.add_subplot()
        ys = list(range(n))[::-1]
        # Every option at 0 months ('Effect at once') still needs an axis of some length.
        top = max([m for m in months if m is not None] or [1.0]) or 1.0
        for y, m in zip(ys, months, strict=True):
            if m is None:
                ax.text(0.5, y, _t("no timeline given"), va="center", fontsize=7, color=MUTED,
                        style="italic")
                continue
            ax.barh([y], [m], height=0.55, color=PALETTE[0])
            ax.text(m + top * 0.01, y, sentences.months(m), va="center", fontsize=7, color=INK)
        ax.set_yticks(ys, [label(o) for o in options])
        ax.set_xlim(0, top * 1.18)
        ax.set_xlabel(_t("Months from the start of work until the effect is felt"))
        ax.grid(axis="x", color="#e4e8ec", linewidth=0.6)
        ax.set_axisbelow(True)
        return _finish(fig, chart_id, alt)


RATING_COLOURS = {"low": "#dfe9d6", "medium": "#f6dfb5", "high": "#f1c0c0"}


@_cached
def risk_matrix_chart(points: Sequence[tuple[str, int, int]], likelihoods: Sequence[str],
                      impacts: Sequence[str], alt: str,
                      chart_id: str = "chart-risks") -> Chart:
    """A 5 x 5 likelihood x impact grid; each risk is a numbered marker in its cell.

    points: (marker text, likelihood 1-5, impact 1-5). Cells are shaded by the
    brief's rating: likelihood x impact >= 12 high, >= 5 medium, else low.
    """
    from matplotlib.patches import Rectangle

    with _figure(3.6) as fig:
        ax = fig.add_subplot()
        for li in range(1, 6):
            for im in range(1, 6):
                product = li * im
                rating = "high" if product >= 12 else "medium" if product >= 5 else "low"
                ax.add_patch(Rectangle((im - 0.5, li - 0.5), 1, 1, facecolor=RATING_COLOURS[rating],
                                       edgecolor="white", linewidth=1.5))
        cells: dict[tuple[int, int], list[str]] = {}
        for text, li, im in points:
            cells.setdefault((li, im), []).append(text)
        for (li, im), texts in sorted(cells.items()):
            cols = 3
            for k, text in enumerate(texts[:9]):
                dx = ((k % cols) - (min(len(texts), cols) - 1) / 2) * 0.3
                dy = -((k // cols) - (min((len(texts) - 1) // cols, 2)) / 2) * 0.3
                ax.plot([im + dx], [li + dy], marker="o", markersize=11, color=NAVY,
                        linestyle="none")
                ax.text(im + dx, li + dy, label(text), ha="center", va="center", fontsize=6.5,
                        color="white", fontweight="bold")
            if len(texts) > 9:
                ax.text(im + 0.45, li - 0.45, f"+{len(texts) - 9}", ha="right", va="bottom",
                        fontsize=6, color=INK)
        ax.set_xlim(0.5, 5.5)
        ax.set_ylim(0.5, 5.5)
        ax.set_aspect("equal")
        ax.set_xticks(range(1, 6), [label(i, 12) for i in impacts], fontsize=7)
        ax.set_yticks(range(1, 6), [label(li, 12) for li in likelihoods], fontsize=7)
        ax.set_xlabel(_t("Impact"))
        ax.set_ylabel(_t("Likelihood"))
        ax.tick_params(length=0)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        return _finish(fig, chart_id, alt)
