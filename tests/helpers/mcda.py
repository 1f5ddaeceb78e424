"""Helpers that build briefs and options in memory for the analysis tests."""

from __future__ import annotations

from collections.abc import Sequence

from briefgen.inputs.models import Brief, Criterion, Option


def criterion(cid: str, weight: float, direction: str = "benefit", scale: dict | None = None,
              **extra: object) -> dict:
    return {"id": cid, "name": cid.title(), "description": f"About {cid}.", "weight": weight,
            "direction": direction, "scale": scale or {"kind": "ordinal", "min": 0, "max": 5},
            **extra}


def brief(criteria: Sequence[dict], **extra: object) -> Brief:
    data = {"id": "b", "title": "B", "date": "2025-06-05", "author": "Office",
            "classification": "OFFICIAL", "audience": "Minister", "question": "Which?",
            "context": "Context.", "baseline": "o0", "criteria": list(criteria), **extra}
    return Brief.model_validate(data)


def option(oid: str, scores: dict[str, float | tuple[float, float, float]],
           **extra: object) -> Option:
    out = {}
    for cid, s in scores.items():
        if isinstance(s, tuple):
            low, value, high = s
            out[cid] = {"value": value, "low": low, "high": high, "rationale": "r"}
        else:
            out[cid] = {"value": s, "rationale": "r"}
    return Option.model_validate({"id": oid, "title": oid.upper(), "summary": "S.",
                                  "description": "D.", "lead": "L", "actions": ["A"],
                                  "scores": out, **extra})


def with_zero_weight(b: Brief, cid: str) -> Brief:
    """The brief plus a criterion of weight 0 (files forbid it; the functions must not care)."""
    zero = Criterion.model_construct(**{**Criterion.model_validate(criterion(cid, 1)).__dict__,
                                        "weight": 0.0})
    return b.model_copy(update={"criteria": [*b.criteria, zero]})
