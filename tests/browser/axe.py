"""Run axe-core (pinned in package-lock.json) in a page and explain what it finds.

axe is injected as a script tag, which our strict CSP would block, so audits run in a browser
context created with `bypass_csp=True` (engineering.md, gotcha 6). Nothing else differs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

from app.config import ROOT

AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_script() -> Path:
    assert AXE_PATH.exists(), "axe-core is missing: run `npm ci` (make setup does)"
    package = json.loads((AXE_PATH.parent / "package.json").read_text())
    assert package["version"] == AXE_VERSION, f"axe-core {package['version']} is not the pin"
    return AXE_PATH


def run_axe(page: Page) -> list[dict[str, Any]]:
    """The violations axe finds in the page as it is now."""
    # At the top of the page: scrolled, any content under the sticky Exit bar counts as
    # "obscured" for target-size, though a person can scroll it back into view.
    page.evaluate("() => window.scrollTo(0, 0)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_script()))
    violations = _axe(page, "document", TAGS)
    return [kept for kept in (_unless_only_scrolled_under(page, v) for v in violations) if kept]


def _axe(page: Page, context: str, tags: list[str], rules: list[str] | None = None) -> Any:
    return page.evaluate(
        """async ([context, tags, rules]) => {
            const only = rules ? {type: 'rule', values: rules} : {type: 'tag', values: tags};
            const where = context === 'document' ? document : {include: context};
            const result = await axe.run(where, {runOnly: only});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({
                    target: n.target.join(' '), selector: n.target, summary: n.failureSummary
                }))
            }));
        }""",
        [context, tags, rules],
    )


def _unless_only_scrolled_under(page: Page, violation: dict[str, Any]) -> dict[str, Any] | None:
    """A target-size violation keeps only the targets still too small when scrolled into the
    middle of the screen. The sticky Continue bar at the foot of a question (P9) covers
    whichever option straddles the fold at the top of the page, and axe measures the page as
    it is scrolled; a person scrolls, and the browser keeps a focused option clear of the bar
    (scroll-padding, chat.css). A target covered wherever it is scrolled is still reported."""
    if violation["id"] != "target-size":
        return violation
    kept = []
    for node in violation["nodes"]:
        page.evaluate(
            "selector => document.querySelector(selector).scrollIntoView({block: 'center'})",
            node["selector"][-1],
        )
        if _axe(page, [node["selector"]], TAGS, ["target-size"]):
            kept.append(node)
    page.evaluate("() => window.scrollTo(0, 0)")
    return {**violation, "nodes": kept} if kept else None


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            summary = " ".join(str(node["summary"]).split())
            lines.append(f"    {node['target']}: {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page: Page, what: str) -> None:
    violations = run_axe(page)
    assert not violations, f"axe found problems on {what} ({page.url}):\n{describe(violations)}"
