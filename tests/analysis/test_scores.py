"""Stage 3: weighted sums and ranks, checked against numbers worked out by hand."""

from __future__ import annotations

import pytest

from briefgen.analysis.scores import analyse, normalise, rank
from briefgen.inputs.models import Brief, Criterion, Option
from tests.helpers import mcda


def criterion(cid: str, weight: float, direction: str = "benefit", **scale) -> Criterion:
    data = {"id": cid, "name": cid.title(), "description": "d", "weight": weight,
            "direction": direction}
    if scale:
        data["scale"] = scale
    return Criterion.model_validate(data)


def option(oid: str, **scores) -> Option:
    return Option.model_validate({
        "id": oid, "title": oid.upper(), "summary": "s", "description": "d", "lead": "l",
        "actions": ["a"],
        "scores": {k: (v if isinstance(v, dict) else {"value": v, "rationale": "r"})
                   for k, v in scores.items()},
    })


def brief(*criteria: Criterion) -> Brief:
    return Brief.model_validate({
        "id": "b", "title": "t", "date": "2025-06-05", "author": "a", "classification": "c",
        "audience": "a", "question": "q", "context": "c", "baseline": "a",
        "criteria": [c.model_dump() for c in criteria],
    })


def test_hand_computed_example() -> None:
    # leverage: weight 3 of 4, 0-5 benefit; cost: weight 1 of 4, 0-5 cost.
    # A: 0.75 * 100 * 4/5 + 0.25 * 100 * (5-2)/5 = 60 + 15 = 75
    # B: 0.75 * 100 * 2/5 + 0.25 * 100 * (5-1)/5 = 30 + 20 = 50
    # C: 0.75 * 100 * 5/5 + 0.25 * 100 * (5-5)/5 = 75 +  0 = 75 -> ties with A: 1=, 1=, 3
    b = brief(criterion("leverage", 3), criterion("cost", 1, "cost"))
    result = analyse(b, [option("b", leverage=2, cost=1), option("c", leverage=5, cost=5),
                         option("a", leverage=4, cost=2)])
    assert result.weights == {"leverage": 0.75, "cost": 0.25}
    assert [(r.option, r.rank, round(r.total, 9)) for r in result.ranking] == [
        ("a", 1, 75.0), ("c", 1, 75.0), ("b", 3, 50.0)]
    assert result.result("a").tied_with == ("c",)
    assert result.result("b").tied_with == ()
    assert result.result("a").cells["cost"].contribution == pytest.approx(15.0)


def test_quantity_scale_is_normalised_and_clipped() -> None:
    months = criterion("time", 1, "cost", kind="quantity", unit="months", min=0, max=60)
    assert normalise(15, months) == pytest.approx(75.0)
    assert normalise(90, months) == 0.0  # beyond the worst end: clipped
    assert normalise(-5, months) == 100.0


def test_not_scored_contributes_nothing() -> None:
    b = brief(criterion("x", 1), criterion("y", 1))
    result = analyse(b, [option("a", x=5, y={"not_scored": "no data"}), option("b", x=3, y=3)])
    a = result.result("a")
    assert a.total == pytest.approx(50.0)
    assert a.cells["y"].value is None
    assert a.cells["y"].not_scored == "no data"
    assert result.result("b").total == pytest.approx(60.0)
    assert [r.option for r in result.ranking] == ["b", "a"]


def test_low_high_give_a_range_and_cost_direction_flips_it() -> None:
    b = brief(criterion("x", 1), criterion("c", 1, "cost"))
    a = analyse(b, [option("a", x={"value": 3, "low": 2, "high": 5, "rationale": "r"},
                             c={"value": 2, "low": 1, "high": 4, "rationale": "r"})]).leader
    # x: 60 (40..100); c: 60 (20..80, the high cost is the pessimistic end)
    assert a.total == pytest.approx(60.0)
    assert a.total_low == pytest.approx(0.5 * 40 + 0.5 * 20)
    assert a.total_high == pytest.approx(0.5 * 100 + 0.5 * 80)


def test_scaling_every_weight_changes_nothing() -> None:
    opts = [option("a", x=1, y=5), option("b", x=4, y=2), option("c", x=3, y=3)]
    small = analyse(brief(criterion("x", 2), criterion("y", 1)), opts)
    large = analyse(brief(criterion("x", 200), criterion("y", 100)), opts)
    assert [(r.option, round(r.total, 9)) for r in small.ranking] == \
        [(r.option, round(r.total, 9)) for r in large.ranking]


def test_rank_orders_by_total_then_id() -> None:
    assert rank({"b": 1.0, "a": 1.0, "c": 2.0}) == [
        ("c", 1, ()), ("a", 2, ("b",)), ("b", 2, ("a",))]


# --- worked examples with published answers, built with tests/helpers/mcda.py ------

PERCENT = {"kind": "quantity", "unit": "points", "min": 0, "max": 100}


def test_weighted_sum_textbook_example():
    """Wikipedia, 'Weighted sum model', example: A1 21.50, A2 22.00, A3 22.00 (A2, A3 tie).

    Values are already on a common 0-100 scale, so a quantity scale 0-100 leaves them as given.
    """
    b = mcda.brief([mcda.criterion("c1", 0.20, scale=PERCENT),
                    mcda.criterion("c2", 0.15, scale=PERCENT),
                    mcda.criterion("c3", 0.40, scale=PERCENT),
                    mcda.criterion("c4", 0.25, scale=PERCENT)],
                   baseline="a1")
    opts = [mcda.option("a1", {"c1": 25, "c2": 20, "c3": 15, "c4": 30}),
            mcda.option("a2", {"c1": 10, "c2": 30, "c3": 20, "c4": 30}),
            mcda.option("a3", {"c1": 30, "c2": 10, "c3": 30, "c4": 10})]
    result = analyse(b, opts)
    totals = {r.option: round(r.total, 6) for r in result.ranking}
    assert totals == {"a1": 21.5, "a2": 22.0, "a3": 22.0}
    assert [(r.option, r.rank, r.tied_with) for r in result.ranking] == [
        ("a2", 1, ("a3",)), ("a3", 1, ("a2",)), ("a1", 3, ())]


def test_cost_criterion_and_quantity_scale_are_normalised_between_min_and_max():
    b = mcda.brief([mcda.criterion("months", 1, "cost", {"kind": "quantity", "unit": "months",
                                                          "min": 0, "max": 36})],
                   baseline="o0")
    result = analyse(b, [mcda.option("o0", {"months": 9}), mcda.option("o1", {"months": 40})])
    assert result.result("o0").cells["months"].value == pytest.approx(75.0)  # 100 (36-9)/36
    assert result.result("o1").cells["months"].value == 0.0  # clipped
