"""The three people of DESIGN.md as answer plans, shared by the browser journeys, the budget
tests and the benchmark.

A plan names only the answers that make the persona who they are; every other question gets
"I don't know" (bench.respondent). Ids a questionnaire does not have are simply never asked, so
one plan fits the test fixture (`relative_detained`) and the shipped content (`detained`).
"""

from bench.respondent import Plan

# ZIP codes in the sample directory's region (Illinois), so that local help can be found.
AFFECTED: Plan = {
    "who": "self",
    "detained": "not_detained",
    "goals": ["citizenship"],
    "zip": "60601",
}
FAMILY: Plan = {"who": "family", "detained": "ice", "relative_detained": "yes", "zip": "62701"}
# The helper does not know the person's ZIP code, so names the state instead.
OUTREACH: Plan = {
    "who": "community",
    "helper_mode": "with_person",
    "detained": "not_detained",
    "home_state": "il",
}
PLANS: dict[str, Plan] = {"affected": AFFECTED, "family": FAMILY, "outreach": OUTREACH}
