"""Generate synthetic briefgen workspaces for benchmarks (and tests).

Every file is valid and deterministic (seeded), with the shape of real briefs:
six criteria, options with a description of several paragraphs, actions,
benefits, risks, a cost, a timeline, relations and sources.
"""

from __future__ import annotations

import random
from pathlib import Path

CRITERIA = [
    ("leverage", "Tariff leverage", "benefit", 25),
    ("cost", "Fiscal cost", "cost", 15),
    ("speed", "Speed of effect", "benefit", 15),
    ("domestic", "Domestic support", "benefit", 15),
    ("security", "Economic security", "benefit", 20),
    ("risk", "Retaliation risk", "cost", 10),
]
WORDS = [
    "tariff", "supply", "chain", "investment", "offtake", "semiconductor", "shipbuilding",
    "energy", "ministry", "agreement", "negotiation", "partner", "allied", "export", "control",
    "stockpile", "procurement", "financing", "capacity", "reciprocal", "market", "access", "quota",
    "safeguard", "review", "timetable", "commitment",
]


def criteria_list(count: int = len(CRITERIA)) -> list[tuple[str, str, str, int]]:
    """The six criteria above, then as many more as asked (alternately benefit and cost)."""
    extra = [(f"extra{k:02d}", f"Extra criterion {k}", "benefit" if k % 2 else "cost", 5)
             for k in range(1, max(0, count - len(CRITERIA)) + 1)]
    return (CRITERIA + extra)[:count]


LIKELIHOOD = ["rare", "unlikely", "possible", "likely", "almost-certain"]
IMPACT = ["minimal", "minor", "moderate", "major", "severe"]


def _sentence(rng: random.Random, n: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, sentences: int = 4) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def option_yaml(i: int, rng: random.Random, full: bool = True, total: int = 1000,
                paragraphs: int = 4, criteria: int = len(CRITERIA)) -> str:
    oid = f"opt-{i:04d}"
    lines = [f"id: {oid}", f"title: Option {i} on {rng.choice(WORDS)} {rng.choice(WORDS)}",
             f"summary: {_sentence(rng, 10)}", "description: |"]
    paragraphs = paragraphs if full else 1
    for p in range(paragraphs):
        lines.append(f"  {_paragraph(rng)}")
        if p < paragraphs - 1:
            lines.append("")
    lines += ["status: proposed", "lead: Ministry of Economy, Trade and Industry",
              "counterparts: [US Department of Commerce]", "actions:"]
    lines += [f"  - {_sentence(rng, 9)}" for _ in range(paragraphs + 1 if full else 1)]
    lines += ["cost:", f"  amount: {rng.randint(1, 90) * 100_000_000}", "  currency: USD",
              "  period: one-off", "  basis: Analysts' estimate from announced plans",
              "timeline:", "  start: On agreement", f"  months_to_effect: {rng.randint(1, 36)}"]
    if full:
        lines.append("benefits:")
        lines += [f"  - {_sentence(rng, 8)}" for _ in range(min(3, paragraphs))]
        lines.append("risks:")
        for _ in range(max(1, paragraphs - 1)):
            lines += [f"  - risk: {_sentence(rng, 8)}",
                      f"    likelihood: {rng.choice(LIKELIHOOD)}",
                      f"    impact: {rng.choice(IMPACT)}",
                      f"    mitigation: {_sentence(rng, 8)}"]
    lines.append("scores:")
    for cid, *_ in criteria_list(criteria):
        lines.append(f"  {cid}: {{value: {rng.randint(0, 5)}, rationale: {_sentence(rng, 9)}}}")
    if full and i > 0:
        lines += ["relations:", f"  depends_on: [opt-{(i - 1) % total:04d}]"]
    lines += ["sources:",
              f"  - {{title: Report {i} on {rng.choice(WORDS)}, publisher: Agency, "
              f"date: 2025-06-05, url: \"https://example.org/r/{i}\"}}"]
    return "\n".join(lines) + "\n"


def brief_yaml(bid: str, option_ids: list[str], title: str | None = None,
               criteria: int = len(CRITERIA)) -> str:
    lines = [f"id: {bid}", f"title: {title or 'Brief ' + bid}", "date: 2025-06-05",
             "author: Economic Security Policy Office", "classification: CONFIDENTIAL",
             "audience: Minister", "question: Which offers should Japan table?",
             "context: |", "  Washington asked for offers before the next round. "
             "This brief compares them.", "criteria:"]
    for cid, name, direction, weight in criteria_list(criteria):
        lines += [f"  - id: {cid}", f"    name: {name}", f"    description: How the option "
                  f"does on {name.lower()}.", f"    weight: {weight}",
                  f"    direction: {direction}"]
    lines.append("options:")
    lines += [f"  - {o}" for o in option_ids]
    lines.append(f"baseline: {option_ids[0]}")
    return "\n".join(lines) + "\n"


def make_workspace(root: Path, options: int, briefs: list[tuple[str, list[int]]],
                   full: bool = True, seed: int = 7, paragraphs: int = 4,
                   criteria: int = len(CRITERIA)) -> Path:
    """Write options opt-0000.. and the given briefs (id, option numbers) under root."""
    rng = random.Random(seed)
    (root / "options").mkdir(parents=True, exist_ok=True)
    (root / "briefs").mkdir(parents=True, exist_ok=True)
    for i in range(options):
        (root / "options" / f"opt-{i:04d}.yaml").write_text(
            option_yaml(i, rng, full, options, paragraphs, criteria), encoding="utf-8")
    for bid, numbers in briefs:
        ids = [f"opt-{n:04d}" for n in numbers]
        (root / "briefs" / f"{bid}.yaml").write_text(brief_yaml(bid, ids, criteria=criteria),
                                                     encoding="utf-8")
    return root


def many_briefs(count: int, per_brief: int, options: int) -> list[tuple[str, list[int]]]:
    """``count`` briefs, each over a different run of ``per_brief`` consecutive options."""
    return [(f"brief-{b:03d}", [(b * per_brief + j) % options for j in range(per_brief)])
            for b in range(count)]
