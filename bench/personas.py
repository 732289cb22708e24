"""The three people of DESIGN.md as answer plans, shared by the browser journeys, the budget
tests and the benchmark.

A plan names only the answers that make the persona who they are; every other question gets
"I don't know" (bench.respondent). Ids a questionnaire does not have are simply never asked, so
one plan fits the test fixture (`relative_detained`) and the shipped content (`detained`).
"""

from bench.respondent import Plan

AFFECTED: Plan = {"who": "self", "detained": "no", "goals": ["citizenship"]}
FAMILY: Plan = {"who": "family", "detained": "yes", "relative_detained": "yes"}
OUTREACH: Plan = {"who": "community", "helper_mode": "with_person", "detained": "no"}
PLANS: dict[str, Plan] = {"affected": AFFECTED, "family": FAMILY, "outreach": OUTREACH}
