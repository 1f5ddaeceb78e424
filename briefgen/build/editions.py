"""Build editions (issue 16): ``briefgen build --edition NAME`` and ``--edition all``.

Each edition is an ordinary build (briefgen.build.pipeline.build) of the briefs that
declare it, with ``Publish.edition`` set: the pipeline filters the workspace for it
(briefgen.present.editions), names its files BRIEF.NAME.* and gives it a manifest entry
of its own, and checks every output for leaks before writing any (briefgen.build.leaks).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from briefgen.build.pipeline import BuildResult, Publish, build, select_briefs
from briefgen.inputs.workspace import Workspace
from briefgen.present.editions import find_edition

ALL = "all"


def edition_groups(ws: Workspace, brief_ids: Sequence[str], names: Sequence[str]
                   ) -> list[tuple[str, str, list[str]]]:
    """(edition, template, briefs) for each build to run, in a stable order.

    ``all`` stands for every edition of the selected briefs. A named edition is built for
    each selected brief that declares it; KeyError when none does, or when a brief named
    on the command line does not.
    """
    selected = select_briefs(ws, brief_ids)
    wanted: dict[tuple[str, str], list[str]] = {}
    for name in dict.fromkeys(names):
        found = False
        for brief_id in selected:
            brief = ws.briefs[brief_id]
            if name == ALL:
                editions = list(brief.editions)
            else:
                try:
                    editions = [find_edition(brief, name)]
                except KeyError:
                    if brief_ids:
                        raise
                    continue
            for edition in editions:
                found = True
                wanted.setdefault((edition.name, edition.template), []).append(brief_id)
        if not found and name != ALL:
            raise KeyError(f"no brief declares an edition {name!r}")
    return [(name, template, briefs) for (name, template), briefs in sorted(wanted.items())]


def build_editions(ws: Workspace, brief_ids: Sequence[str], names: Sequence[str],
                   formats: Sequence[str], out_dir: Path, *, publish: Publish | None = None,
                   **options: Any) -> BuildResult:
    """Build the editions ``names`` of the selected briefs; one result for all of them."""
    total = BuildResult()
    for name, template, briefs in edition_groups(ws, brief_ids, names):
        result = build(ws, briefs, formats, out_dir,
                       publish=replace(publish or Publish(), edition=name,
                                       template=template), **options)
        total.written.extend(result.written)
        total.warnings.extend(result.warnings)
        total.built.extend(f"{b}.{name}" for b in result.built)
        total.skipped.extend(f"{b}.{name}" for b in result.skipped)
        total.manifest = result.manifest or total.manifest
    return total
