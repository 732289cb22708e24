"""Scenario files (tests/scenarios/*.yaml): answers a person gives, and the findings expected.

Each file holds `reason` (the legal reason in one line), `answers` (ordered [question, value]
pairs from the start node, exactly as typed or tapped), `expect` (codes that must appear) and
`forbid` (codes that must not), and optionally `edge: true` for a fact pattern chosen to break
the rules (a lawyer's edge case, such as two convictions decades apart) rather than a common
path: edge cases are checked like every scenario but left out of the path-length budget, which
is about common paths (DESIGN.md); and `directory: courts` when the answers choose from the
court questions' lists (app/flow/places.py), which only the real courts make: the test loads
them first (without them, those questions are not asked). Years are absolute: scenarios that
depend on "years ago" are written for the 2026 fact base and stay valid until at least 2028.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

SCENARIO_DIR = Path(__file__).parent


@dataclass(frozen=True)
class Scenario:
    name: str
    reason: str
    answers: list[tuple[str, Any]]
    expect: list[str]
    forbid: list[str]
    edge: bool = False
    courts: bool = False


def load_scenarios() -> list[Scenario]:
    scenarios = []
    for path in sorted(SCENARIO_DIR.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        scenarios.append(
            Scenario(
                name=path.stem,
                reason=raw["reason"],
                answers=[(str(question), value) for question, value in raw["answers"]],
                expect=list(raw["expect"]),
                forbid=list(raw.get("forbid") or []),
                edge=bool(raw.get("edge", False)),
                courts=raw.get("directory") == "courts",
            )
        )
    return scenarios
