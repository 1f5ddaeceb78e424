"""Packages of options: each criterion combined by its package rule, then ranked with the options.

The errors a package or a cost can raise are cross-file rules, tested in
tests/inputs/test_rules.py; the money itself in test_money.py.
"""

from __future__ import annotations

import pytest

from briefgen.analysis.packages import rank_with_packages
from briefgen.analysis.scores import analyse
from tests.helpers.mcda import brief, criterion, option


def test_package_rules_best_worst_and_capped_sum():
    b = brief([criterion("gain", 2), criterion("risk", 1, "cost"),
               criterion("money", 1, "cost", {"kind": "quantity", "unit": "bn", "min": 0,
                                              "max": 10}, package_rule="sum")],
              packages=[{"id": "p", "title": "P", "options": ["o0", "o1"]}])
    opts = {"o0": option("o0", {"gain": 4, "risk": 1, "money": 3}),
            "o1": option("o1", {"gain": 2, "risk": 3, "money": 9})}
    result = analyse(b, list(opts.values()))
    entries = {e.id: e for e in rank_with_packages(b, result, opts)}
    p = entries["p"]
    assert p.is_package and p.members == ("o0", "o1")
    assert p.cells["gain"].value == pytest.approx(80.0)  # best member: 4 of 5
    assert p.cells["risk"].value == pytest.approx(40.0)  # worst member: 3 on a cost scale
    assert p.cells["money"].value == 0.0  # 3 + 9 = 12 bn, capped at the scale's worst end
    # V = 0.5 x 80 + 0.25 x 40 + 0.25 x 0 = 50
    assert p.total == pytest.approx(50.0)
    assert sorted(e.rank for e in entries.values()) == [1, 2, 3]
