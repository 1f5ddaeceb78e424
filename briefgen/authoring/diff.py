"""Review: what changed between two versions of a workspace.

``briefgen diff OLD NEW`` compares two workspace folders; ``briefgen diff --rev
REV`` compares a git revision of the workspace with the working tree. For each
option it lists the fields added, removed or changed and the scores that
moved; for each brief, the fields that changed and how the ranking moved.
The report prints as text, or as Markdown to paste into a pull request.

Files that do not validate on a side are left out of the comparison and
counted in a note, so a diff of a half-edited workspace still works.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Set
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.analysis.scores import analyse
from briefgen.common.environment import EnvironmentProblem
from briefgen.common.fieldpath import FieldPath, format_path
from briefgen.inputs.loader import load_workspace
from briefgen.inputs.workspace import Kind, Workspace

_MISSING = object()


class DiffError(Exception):
    """The comparison cannot be made (not a git repository, unknown revision...)."""


@dataclass(frozen=True)
class FieldChange:
    path: str
    old: Any = _MISSING
    new: Any = _MISSING

    @property
    def kind(self) -> str:
        if self.old is _MISSING:
            return "added"
        if self.new is _MISSING:
            return "removed"
        return "changed"


@dataclass(frozen=True)
class ScoreMove:
    criterion: str
    old: str  # "4", "4 (3-5)", "not scored" or "none"
    new: str


@dataclass
class FileDiff:
    id: str
    status: str  # added, removed, changed
    fields: list[FieldChange] = field(default_factory=list)
    scores: list[ScoreMove] = field(default_factory=list)


@dataclass(frozen=True)
class RankRow:
    option: str
    rank: int | None  # None: not in this version of the brief
    total: float | None
    old_rank: int | None
    old_total: float | None


@dataclass
class BriefDiff(FileDiff):
    ranking: list[RankRow] = field(default_factory=list)

    @property
    def ranking_changed(self) -> bool:
        return any(r.rank != r.old_rank or _moved(r.old_total, r.total) for r in self.ranking)


@dataclass
class WorkspaceDiff:
    options: list[FileDiff] = field(default_factory=list)
    briefs: list[BriefDiff] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.options and not any(
            b.status != "changed" or b.fields or b.ranking_changed for b in self.briefs)


def _moved(a: float | None, b: float | None) -> bool:
    return (a is None) != (b is None) or (a is not None and b is not None and abs(a - b) > 1e-9)


def _leaves(data: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, Any]]:
    if isinstance(data, dict) and data:
        for key, value in data.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(data, list) and data and any(isinstance(v, dict | list) for v in data):
        for i, value in enumerate(data):
            yield from _leaves(value, (*path, i))
    else:
        yield path, data


def field_changes(old: dict[str, Any], new: dict[str, Any],
                  skip: Set[FieldPath] = frozenset()) -> list[FieldChange]:
    """Leaf-by-leaf changes between two files' data (lists of text compare whole)."""
    a, b = dict(_leaves(old)), dict(_leaves(new))
    out = []
    for path in [*a, *(p for p in b if p not in a)]:
        if path in skip:
            continue
        before, after = a.get(path, _MISSING), b.get(path, _MISSING)
        if before != after or type(before) is not type(after):
            out.append(FieldChange(format_path(path), before, after))
    return out


def _score_text(ws: Workspace, option_id: str, criterion: str) -> str:
    score = ws.options[option_id].scores.get(criterion)
    if score is None:
        return "none"
    if score.value is None:
        return "not scored"
    text = f"{score.value:g}"
    if score.low is not None or score.high is not None:
        low = score.low if score.low is not None else score.value
        high = score.high if score.high is not None else score.value
        text += f" ({low:g}-{high:g})"
    return text


def _score_paths(ws: Workspace, option_id: str) -> set[FieldPath]:
    return {("scores", c, part) for c in ws.options[option_id].scores
            for part in ("value", "low", "high", "not_scored")}


def _data(ws: Workspace, kind: Kind, ident: str) -> dict[str, Any]:
    return ws.source(kind, ident).data


def _rankings(ws: Workspace, brief_id: str) -> dict[str, tuple[int, float]]:
    brief = ws.briefs[brief_id]
    options = [ws.options[i] for i in ws.option_ids(brief) if i in ws.options]
    if not options:
        return {}
    return {r.option: (r.rank, r.total) for r in analyse(brief, options).ranking}


def _incomplete(ws: Workspace, brief_id: str) -> bool:
    """Whether an option the brief compares failed to validate on this side."""
    if brief_id not in ws.briefs:
        return False
    listed = ws.briefs[brief_id].options
    broken = {i for k, i in ws.broken if k == "option"}
    return bool(broken if listed is None else broken & set(listed))


def diff_workspaces(old: Workspace, new: Workspace) -> WorkspaceDiff:
    result = WorkspaceDiff()
    broken = {i for _k, i in old.broken | new.broken if _k == "option"}
    for oid in sorted(set(old.options) | set(new.options)):
        if oid in broken:  # invalid on one side: not "added" or "removed", see the notes
            continue
        if oid not in old.options:
            result.options.append(FileDiff(oid, "added"))
            continue
        if oid not in new.options:
            result.options.append(FileDiff(oid, "removed"))
            continue
        skip = _score_paths(old, oid) | _score_paths(new, oid)
        changes = field_changes(_data(old, "option", oid), _data(new, "option", oid), skip)
        criteria = sorted(set(old.options[oid].scores) | set(new.options[oid].scores))
        moves = [ScoreMove(c, _score_text(old, oid, c), _score_text(new, oid, c))
                 for c in criteria]
        moves = [m for m in moves if m.old != m.new]
        if changes or moves:
            result.options.append(FileDiff(oid, "changed", changes, moves))
    for bid in sorted(set(old.briefs) | set(new.briefs)):
        status = ("added" if bid not in old.briefs else
                  "removed" if bid not in new.briefs else "changed")
        changes = field_changes(_data(old, "brief", bid), _data(new, "brief", bid)) \
            if status == "changed" else []
        before = _rankings(old, bid) if bid in old.briefs else {}
        after = _rankings(new, bid) if bid in new.briefs else {}
        if _incomplete(old, bid) or _incomplete(new, bid):
            before, after = {}, {}
            result.notes.append(f"ranking of brief {bid!r} not compared: some of its options "
                                "do not validate")
        rows = []
        for oid in [*after, *(o for o in before if o not in after)]:
            rank, total = after.get(oid, (None, None))
            old_rank, old_total = before.get(oid, (None, None))
            rows.append(RankRow(oid, rank, total, old_rank, old_total))
        diff = BriefDiff(bid, status, changes, ranking=rows)
        if status != "changed" or changes or diff.ranking_changed:
            result.briefs.append(diff)
    for label, ws in (("old", old), ("new", new)):
        if ws.broken:
            names = ", ".join(f"{k}s/{i}" for k, i in sorted(ws.broken))
            result.notes.append(f"left out on the {label} side because they do not validate: "
                                f"{names} (run briefgen check)")
    return result


def diff_folders(old_root: Path, new_root: Path) -> WorkspaceDiff:
    for root in (old_root, new_root):
        if not (root / "options").is_dir() and not (root / "briefs").is_dir():
            raise DiffError(f"{root} is not a briefgen workspace: no options/ or briefs/ folder")
    return diff_workspaces(_loaded(old_root), _loaded(new_root))


def _loaded(root: Path) -> Workspace:
    """A workspace whose files with an error, from any rule, count as broken: a score off
    its brief's scale or a missing score passes the models but must not be ranked."""
    ws, report = load_workspace(root)
    flawed = {Path(d.location.file).resolve() for d in report.errors}
    for key, path in ws.paths.items():
        if path.resolve() in flawed:
            ws.broken.add(key)
    return ws


def _git(root: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False,
                              timeout=120)
    except FileNotFoundError:  # the machine's to fix, not the command line's
        raise EnvironmentProblem("git is not installed: briefgen diff --rev needs it "
                                 "(or compare two folders: briefgen diff OLD NEW)") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DiffError(f"git {args[0]} failed: {message[-1] if message else 'unknown error'}")
    return done.stdout


@contextmanager
def checkout_revision(workspace: Path, rev: str) -> Iterator[Path]:
    """The workspace folder as it was at git revision ``rev``, in a temporary folder."""
    workspace = workspace.resolve()
    if rev.startswith("-"):
        raise DiffError(f"{rev!r} is not a revision")
    top = Path(_git(workspace, "rev-parse", "--show-toplevel").decode().strip()).resolve()
    rel = workspace.relative_to(top).as_posix()
    try:
        commit = _git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode()
    except DiffError:
        raise DiffError(f"unknown git revision {rev!r}") from None
    commit = commit.strip()
    tree = commit if rel == "." else f"{commit}:{rel}"
    archive = _git(top, "archive", "--format=tar", tree)
    with tempfile.TemporaryDirectory(prefix="briefgen-diff-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            extract_files(tar, Path(tmp))
        yield Path(tmp)


def extract_files(tar: tarfile.TarFile, dest: Path) -> None:
    """The folders and regular files of a ``git archive`` under ``dest``; nothing else.

    Python's own extraction filters (``filter="data"``) arrived in 3.11.4, and Debian 12
    ships 3.11.2, so briefgen does their job for what a workspace holds: no member may
    land outside ``dest`` (absolute names, ``..``), and links, devices and the like are
    skipped rather than made, as briefgen never reads through them anyway (see
    briefgen.inputs.safety)."""
    root = dest.resolve()
    for member in tar.getmembers():
        target = (root / member.name).resolve()
        if not target.is_relative_to(root) or not (member.isdir() or member.isreg()):
            continue
        if member.isdir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        source = tar.extractfile(member)
        if source is None:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with source, open(target, "wb") as out:
            out.write(source.read())


def diff_revision(workspace: Path, rev: str) -> WorkspaceDiff:
    with checkout_revision(workspace, rev) as old_root:
        return diff_folders(old_root, workspace)


# --- formatting -----------------------------------------------------------------

def _value(value: Any) -> str:
    if value is _MISSING:
        return "-"
    if isinstance(value, str):
        text = " ".join(value.split())
        return repr(text if len(text) <= 60 else text[:57] + "...")
    if isinstance(value, list | dict):
        text = repr(value)
        return text if len(text) <= 60 else text[:57] + "..."
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    return f"{value:g}" if isinstance(value, float) else str(value)


def _change_text(c: FieldChange) -> str:
    if c.kind == "added":
        return f"{c.path}: added {_value(c.new)}"
    if c.kind == "removed":
        return f"{c.path}: removed (was {_value(c.old)})"
    return f"{c.path}: {_value(c.old)} -> {_value(c.new)}"


def _rank_text(r: RankRow) -> str:
    if r.rank is None:
        return f"{r.option}: dropped (was {r.old_rank}.)"
    total = f"{r.total:.1f}"
    if r.old_rank is None:
        return f"{r.rank}. {r.option} {total} (new)"
    moved = ""
    if r.rank != r.old_rank:
        moved = f", {'up' if r.rank < r.old_rank else 'down'} from {r.old_rank}."
    if _moved(r.old_total, r.total) or moved:
        return f"{r.rank}. {r.option} {total} (was {r.old_total:.1f}{moved})"
    return f"{r.rank}. {r.option} {total}"


def format_text(d: WorkspaceDiff) -> str:
    if d.empty:
        return "\n".join(["No changes to options, scores or rankings.", *d.notes])
    lines: list[str] = []
    if d.options:
        lines.append("Options:")
        for o in d.options:
            lines.append(f"  {o.id} ({o.status})")
            lines += [f"    score {m.criterion}: {m.old} -> {m.new}" for m in o.scores]
            lines += [f"    {_change_text(c)}" for c in o.fields]
    if d.briefs:
        lines.append("Briefs:")
        for b in d.briefs:
            lines.append(f"  {b.id} ({b.status})")
            lines += [f"    {_change_text(c)}" for c in b.fields]
            if b.ranking and (b.ranking_changed or b.status != "changed"):
                lines.append("    ranking:")
                lines += [f"      {_rank_text(r)}" for r in b.ranking]
    lines += [f"Note: {n}" for n in d.notes]
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_change(r: RankRow) -> str:
    if r.rank is None:
        return "dropped"
    if r.old_rank is None:
        return "new"
    if r.rank < r.old_rank:
        return f"▲ {r.old_rank - r.rank} (was {r.old_rank})"
    if r.rank > r.old_rank:
        return f"▼ {r.rank - r.old_rank} (was {r.old_rank})"
    return "="


def format_markdown(d: WorkspaceDiff) -> str:
    lines = ["## briefgen diff", ""]
    if d.empty:
        lines.append("No changes to options, scores or rankings.")
    for b in d.briefs:
        lines += [f"### Brief `{b.id}` ({b.status})", ""]
        if b.ranking and (b.ranking_changed or b.status != "changed"):
            lines += ["| Rank | Option | Total | Before | Change |",
                      "| ---: | --- | ---: | ---: | --- |"]
            for r in b.ranking:
                rank = str(r.rank) if r.rank is not None else "-"
                total = f"{r.total:.1f}" if r.total is not None else "-"
                was = f"{r.old_total:.1f}" if r.old_total is not None else "-"
                lines.append(f"| {rank} | `{r.option}` | {total} | {was} | {_md_change(r)} |")
            lines.append("")
        if b.fields:
            lines += [f"- `{c.path}` {_md(_change_text(c).split(': ', 1)[1])}" for c in b.fields]
            lines.append("")
    for o in d.options:
        lines += [f"### Option `{o.id}` ({o.status})", ""]
        if o.scores:
            lines += ["| Criterion | Old | New |", "| --- | --- | --- |"]
            lines += [f"| `{m.criterion}` | {m.old} | {m.new} |" for m in o.scores]
            lines.append("")
        if o.fields:
            lines += [f"- `{c.path}` {_md(_change_text(c).split(': ', 1)[1])}" for c in o.fields]
            lines.append("")
    lines += [f"> {n}" for n in d.notes]
    return "\n".join(lines).rstrip() + "\n"


FORMATS = {"text": format_text, "markdown": format_markdown}
