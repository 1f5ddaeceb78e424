"""Stage 4d: a brief as JSON for other tools: the validated data and every computed figure.

The inputs come from pydantic's ``model_dump(mode="json")`` (the models' field order,
then each mapping in the order of its YAML file), the figures from the analysis
dataclasses. Nothing depends on the clock or the machine, so the same inputs give
the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any

from briefgen import __version__
from briefgen.analysis.scores import Analysis, analyse
from briefgen.inputs.models import Brief
from briefgen.inputs.workspace import Workspace
from briefgen.present.editions import WithheldFigures

FORMAT_VERSION = 1


_CELL_FIGURES = ("value", "low", "high", "contribution")


def _withhold(row: dict[str, Any], figures: WithheldFigures) -> None:
    """Null every figure of ``row`` that the edition withholds (see present.editions):
    the keys stay, so a reader of the JSON sees what is withheld, never a recomputed
    number."""
    option = row["option"]
    if figures.ranking:
        row["rank"] = row["tied_with"] = None
    if option in figures.totals:
        row["total"] = row["total_low"] = row["total_high"] = None
        for cell in row["cells"]:
            cell.update(dict.fromkeys(_CELL_FIGURES))
    for cell in row["cells"]:
        if (option, cell["criterion"]) in figures.scores:
            cell.update(dict.fromkeys((*_CELL_FIGURES, "raw", "not_scored")))


def brief_data(ws: Workspace, brief: Brief, analysis: Analysis | None = None,
               withheld: WithheldFigures | None = None) -> dict[str, Any]:
    """``withheld``: an edition's withheld figures, null in the result, and the options
    in the brief's order (give the analysis of ``present.editions.edition_analysis``)."""
    option_ids = ws.option_ids(brief)
    analysis = analysis or analyse(brief, [ws.options[i] for i in option_ids])
    recommended = brief.recommendation.option if brief.recommendation else None
    ranking = []
    for result in analysis.ranking:
        row = asdict(result)
        row["cells"] = [row["cells"][c.id] for c in brief.criteria]  # criteria order
        row["tied_with"] = list(result.tied_with)
        row["is_baseline"] = result.option == brief.baseline
        row["is_recommended"] = result.option == recommended
        if withheld is not None:
            _withhold(row, withheld)
        ranking.append(row)
    inputs = []
    parsed = ws.parsed()  # the bytes the brief was made from, not the files as they are now
    for path in ws.input_paths(brief):
        rel = path.relative_to(ws.root).as_posix()
        if rel in parsed:
            sha, size = parsed[rel]
        else:
            data = path.read_bytes()
            sha, size = hashlib.sha256(data).hexdigest(), len(data)
        inputs.append({"path": rel, "sha256": sha, "bytes": size})
    return {
        "format": "briefgen-brief",
        "format_version": FORMAT_VERSION,
        "generator": f"briefgen {__version__}",
        "brief": brief.model_dump(mode="json"),
        "options": {i: ws.options[i].model_dump(mode="json") for i in option_ids},
        "analysis": {
            "method": "normalised weighted sum",
            "weights": {c.id: None if withheld and withheld.weights
                        else analysis.weights[c.id] for c in brief.criteria},
            "ranking": ranking,
            "leader": None if withheld and withheld.ranking else analysis.leader.option,
        },
        "inputs": inputs,
    }


def to_json(ws: Workspace, brief: Brief, analysis: Analysis | None = None,
            withheld: WithheldFigures | None = None) -> str:
    return json.dumps(brief_data(ws, brief, analysis, withheld), ensure_ascii=False, indent=2,
                      allow_nan=False) + "\n"
