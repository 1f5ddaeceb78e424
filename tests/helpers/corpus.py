"""A seeded corpus of varied workspaces: briefs nobody tuned by hand, for the layout check.

``corpus()`` lists the specs (seeded, so the same list every run); ``write_workspace``
writes one as options/*.yaml, briefs/*.yaml and briefgen.toml. The specs vary what broke
briefs before: 2-30 options, 2-12 criteria of both directions and both scale kinds, ties at
the top and in the middle, missing scores, long titles, one and several currencies,
packages, options set aside, dissent, English and Japanese, A4 and letter paper.

Every workspace is valid (``briefgen check`` passes); the tests assert that.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

WORDS = ["tariff", "supply", "chain", "investment", "offtake", "semiconductor", "shipbuilding",
         "energy", "agreement", "negotiation", "partner", "export", "control", "stockpile",
         "procurement", "financing", "capacity", "market", "access", "quota", "safeguard",
         "review", "timetable", "commitment", "fisheries", "aviation", "pharmaceutical",
         "logistics", "standards", "customs"]
JA_WORDS = ["関税", "供給網", "投資", "半導体", "造船", "エネルギー", "協定", "交渉", "輸出管理",
            "備蓄", "調達", "融資", "市場", "数量枠", "見直し", "工程表", "約束", "物流", "基準"]
CRITERIA_NAMES = ["Tariff leverage", "Fiscal cost", "Speed of effect", "Domestic support",
                  "Economic security", "Retaliation risk", "Legal feasibility",
                  "Effect on the trade balance", "Industry support", "Alliance value",
                  "Administrative burden", "Reversibility"]
JA_CRITERIA = ["関税交渉力", "財政負担", "効果発現の速さ", "国内の支持", "経済安全保障",
               "報復のリスク", "法的な実現可能性", "貿易収支への効果", "産業界の支持",
               "同盟上の価値", "事務負担", "可逆性"]
LIKELIHOOD = ["rare", "unlikely", "possible", "likely", "almost-certain"]
IMPACT = ["minimal", "minor", "moderate", "major", "severe"]
RATES = {"USD": 145.0, "EUR": 160.0, "GBP": 185.0}


@dataclass(frozen=True)
class Spec:
    """One generated workspace and how to lay it out."""

    name: str
    seed: int
    options: int  # compared options, the baseline among them
    criteria: int
    lang: str = "en"
    paper: str = "a4"
    tie: str = "none"  # none, top, middle
    missing: bool = False  # some scores not_scored
    long_titles: bool = False
    currencies: int = 1  # 1: all JPY; more: each option in one of several
    packages: bool = False
    set_aside: int = 0
    dissent: bool = False
    quantity: bool = False  # one criterion on a quantity scale
    record: bool = True  # version, status, bluf, objectives, changes


def corpus(count: int = 26, seed: int = 13) -> list[Spec]:
    """``count`` specs drawn from ``seed``; the first few pin the extremes."""
    rng = random.Random(seed)
    pinned = [
        Spec("c00-two-options", 1, options=2, criteria=2, record=False),
        Spec("c01-thirty-options", 2, options=30, criteria=12, tie="middle", missing=True,
             currencies=3, packages=True, set_aside=2, dissent=True, quantity=True),
        Spec("c02-tie-top-ja", 3, options=5, criteria=6, lang="ja", tie="top", dissent=True,
             packages=True, paper="letter"),
        Spec("c03-long-titles", 4, options=8, criteria=9, long_titles=True, tie="middle",
             currencies=2, paper="letter", set_aside=1),
        Spec("c04-twelve-criteria-ja", 5, options=12, criteria=12, lang="ja", missing=True,
             quantity=True, currencies=2),
    ]
    specs = list(pinned)
    for i in range(len(pinned), count):
        specs.append(Spec(
            f"c{i:02d}", rng.randrange(1_000_000),
            options=rng.choice([2, 3, 4, 5, 6, 7, 8, 10, 14, 20, 30]),
            criteria=rng.randint(2, 12), lang=rng.choice(["en", "en", "ja"]),
            paper=rng.choice(["a4", "letter"]), tie=rng.choice(["none", "top", "middle"]),
            missing=rng.random() < 0.4, long_titles=rng.random() < 0.3,
            currencies=rng.choice([1, 1, 2, 3]), packages=rng.random() < 0.4,
            set_aside=rng.choice([0, 0, 1, 3]), dissent=rng.random() < 0.4,
            quantity=rng.random() < 0.5, record=rng.random() < 0.8))
    return specs


class _Text:
    def __init__(self, rng: random.Random, lang: str) -> None:
        self.rng, self.lang = rng, lang

    def words(self, n: int) -> str:
        if self.lang == "ja":
            return "の".join(self.rng.choice(JA_WORDS) for _ in range(max(1, n // 3)))
        return " ".join(self.rng.choice(WORDS) for _ in range(n))

    def sentence(self, n: int = 12) -> str:
        if self.lang == "ja":
            return self.words(n) + "を進める。"
        return self.words(n).capitalize() + "."

    def paragraph(self, sentences: int = 3) -> str:
        return ("" if self.lang == "ja" else " ").join(
            self.sentence(self.rng.randint(8, 18)) for _ in range(sentences))


def _criteria(spec: Spec, rng: random.Random, text: _Text) -> list[dict[str, Any]]:
    names = JA_CRITERIA if spec.lang == "ja" else CRITERIA_NAMES
    found = []
    for k in range(spec.criteria):
        direction = "cost" if k % 3 == 1 else "benefit"
        crit: dict[str, Any] = {
            "id": f"crit{k:02d}", "name": names[k % len(names)],
            "description": text.sentence(14), "weight": rng.choice([5, 10, 10, 15, 20, 25]),
            "direction": direction}
        if spec.quantity and k == 2:
            crit["scale"] = {"kind": "quantity", "unit": "months", "min": 0, "max": 60}
        else:
            crit["scale"] = {"kind": "ordinal", "min": 0, "max": 5,
                             "labels": {p: text.words(4) for p in range(6)}}
        found.append(crit)
    return found


def _title(i: int, spec: Spec, text: _Text) -> str:
    if spec.lang == "ja":
        base = f"選択肢{i}: {text.words(6)}"
        return base + ("を含む" + text.words(9) + "の包括的な対応" if spec.long_titles else "")
    base = f"Option {i}: {text.words(3)}"
    if spec.long_titles:  # 100-140 characters: twice the example's longest
        base += f", with {text.words(5)} and a review of {text.words(2)} after two years"
    return base


def _scores(spec: Spec, rng: random.Random, criteria: list[dict[str, Any]],
            n: int) -> list[dict[str, Any]]:
    rows = []
    for _ in range(n):
        row = {}
        for crit in criteria:
            scale = crit["scale"]
            row[crit["id"]] = (rng.randint(0, 60) if scale["kind"] == "quantity"
                               else rng.randint(0, 5))
        rows.append(row)
    # Ties: the same scores on every criterion tie the totals exactly.
    if spec.tie == "top" and n >= 2:
        best = max(range(n), key=lambda j: sum(rows[j].values()))
        other = next(j for j in range(n) if j != best)
        rows[other] = dict(rows[best])
        for crit in criteria:  # make the pair clearly best
            top = crit["scale"]["max"] if crit["direction"] == "benefit" \
                else crit["scale"]["min"]
            rows[best][crit["id"]] = rows[other][crit["id"]] = top
    elif spec.tie == "middle" and n >= 4:
        rows[n // 2] = dict(rows[n // 2 + 1])
    return rows


def write_workspace(root: Path, spec: Spec) -> Path:
    """Write the workspace of ``spec`` into ``root`` (created) and return ``root``."""
    rng = random.Random(spec.seed)
    text = _Text(rng, spec.lang)
    (root / "options").mkdir(parents=True, exist_ok=True)
    (root / "briefs").mkdir(exist_ok=True)
    (root / "briefgen.toml").write_text("# generated by tests/helpers/corpus.py\n",
                                        encoding="utf-8")
    criteria = _criteria(spec, rng, text)
    total = spec.options + spec.set_aside
    ids = ["status-quo"] + [f"option-{i:02d}" for i in range(1, total)]
    scores = _scores(spec, rng, criteria, total)
    currencies = ["JPY", *list(RATES)][:max(1, spec.currencies)]
    source = {"id": "working-paper", "title": text.sentence(6),
              "publisher": "Trade Policy Unit", "date": "2025-06"}
    for i, oid in enumerate(ids):
        missing = spec.missing and i % 3 == 2
        option: dict[str, Any] = {
            "id": oid,
            "title": ("現状維持" if spec.lang == "ja" else "Continue without new offers")
            if i == 0 else _title(i, spec, text),
            "summary": text.sentence(14), "description": text.paragraph(rng.randint(2, 6)),
            "status": "proposed", "kind": "business-as-usual" if i == 0 else "option",
            "lead": "Ministry of Economy, Trade and Industry",
            "counterparts": ["US Department of Commerce"],
            "actions": [text.sentence(10) for _ in range(rng.randint(1, 5))],
            "benefits": [text.sentence(8) for _ in range(rng.randint(0, 4))],
            "risks": [{"risk": text.sentence(9), "likelihood": rng.choice(LIKELIHOOD),
                       "impact": rng.choice(IMPACT), "mitigation": text.sentence(10)}
                      for _ in range(rng.randint(0, 4))],
            "cost": {"amount": 0 if i == 0 else rng.choice([1, 5, 20, 300]) * 10 ** 8,
                     "currency": currencies[i % len(currencies)],
                     "period": rng.choice(["one-off", "per-year"]),
                     "basis": text.sentence(8)},
            "timeline": {"start": "2025-07", "months_to_effect": rng.choice([0, 3, 12, 36])},
            "scores": {}, "sources": [source],
        }
        for k, crit in enumerate(criteria):
            if missing and k == len(criteria) - 1:
                option["scores"][crit["id"]] = {"not_scored": text.sentence(6)}
            else:
                option["scores"][crit["id"]] = {
                    "value": scores[i][crit["id"]], "rationale": text.sentence(16),
                    "sources": ["working-paper"]}
        if spec.record and i < 6:
            option["positions"] = [{"stakeholder": "Ministry of Finance",
                                    "stance": rng.choice(["supports", "opposes", "neutral"]),
                                    "note": text.sentence(10)}]
        if spec.record:
            option["objectives"] = {"obj1": {"contribution": rng.choice(
                ["meets", "partly", "does-not-meet"]), "note": text.sentence(8)}}
        _dump(root / "options" / f"{oid}.yaml", option)

    compared = ids[:spec.options]
    brief: dict[str, Any] = {
        "id": "generated", "title": _title(0, spec, text).replace("Option 0: ", "Offers on ")
        if spec.lang == "en" else f"{text.words(6)}に関する提案",
        "date": "2025-06-05", "author": "Trade Policy Unit",
        "classification": "OFFICIAL-SENSITIVE", "audience": "The Minister",
        "question": text.sentence(20), "context": text.paragraph(4) + "\n\n" + text.paragraph(3),
        "language": spec.lang, "options": compared, "baseline": "status-quo",
        "criteria": criteria, "currency": "JPY",
        "analysis": {"draws": 500},
        "sources": [source],
    }
    if spec.currencies > 1:
        brief["exchange_rates"] = [{"currency": c, "rate": RATES[c], "date": "2025-06-04",
                                    "source": "Planning rate"} for c in currencies[1:]]
        brief["horizon_years"] = 5
    if spec.packages and len(compared) >= 3:
        brief["packages"] = [{"id": "pair", "title": "The first two offers together",
                              "options": compared[1:3], "note": text.sentence(8)}]
    if spec.set_aside:
        brief["set_aside"] = [{"option": oid, "reason": text.sentence(10)}
                              for oid in ids[spec.options:]]
    recommended = compared[1] if len(compared) > 1 else compared[0]
    brief["recommendation"] = {"option": recommended,
                               "text": text.paragraph(2) + "\n\n" + text.paragraph(2)}
    if spec.dissent:
        brief["recommendation"]["dissent"] = [
            {"who": "Ministry of Finance", "note": text.sentence(16)},
            {"who": "Ministry of Foreign Affairs", "note": text.sentence(12)}]
    if spec.record:
        brief.update({
            "version": "1.0", "status": "final",
            "changes": [{"version": "1.0", "date": "2025-06-05", "summary": text.sentence(12)}],
            "bluf": "\n".join(text.sentence(9) for _ in range(3)),
            "objectives": [{"id": "obj1", "name": text.words(4), "threshold": text.sentence(8)}],
        })
    _dump(root / "briefs" / "generated.yaml", brief)
    return root


def _dump(path: Path, data: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=88),
                    encoding="utf-8")
