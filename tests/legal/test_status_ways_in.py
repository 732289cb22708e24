"""Every status has a way in (issue 11), and what a lawyer trying edge cases found next (the
second legal walk, Dec. 2026): a pending green-card application and a U, T, VAWA or SIJS case
are statuses a person can give, and what such facts change is said on the finding they change
(app/content/notes.yaml)."""

from typing import Any

from tests.scenarios.loader import load_scenarios

SCENARIOS = {scenario.name: scenario for scenario in load_scenarios()}


def _summaries(client: Any, name: str) -> dict[str, str]:
    created = client.post("/api/v1/sessions", json={"locale": "en"})
    headers = {"Authorization": f"Bearer {created.json()['token']}"}
    for question, value in SCENARIOS[name].answers:
        answered = client.post(
            "/api/v1/session/answers", json={"question": question, "value": value}, headers=headers
        )
        assert answered.status_code == 200, answered.text
    findings = client.get("/api/v1/session/result", headers=headers).json()["findings"]
    return {finding["code"]: finding["summary"] for finding in findings}


def test_a_pending_green_card_application_is_said_to_turn_on_admissibility(real_client):
    summaries = _summaries(real_client, "green_card_pending_possession")
    assert "Your green-card application is decided by these rules" in summaries["inadmissible_cs"]
    assert "green-card application" not in summaries["deportable_cs"]


def test_a_victims_case_names_how_far_each_kind_forgives(real_client):
    summary = _summaries(real_client, "u_visa_case_possession")["humanitarian_waiver_possible"]
    assert "You said you have a U visa, T visa, VAWA or SIJS case" in summary
    assert "VAWA and SIJS can forgive only one small marijuana possession" in summary


def test_an_open_case_of_a_naturalized_citizen_is_about_citizenship(real_client):
    summaries = _summaries(real_client, "naturalized_open_case_conduct_before")
    plea = summaries["pending_charges_consult_before_plea"]
    assert "You are a citizen, so this is not about deportation" in plea
    assert "take your citizenship away" in plea


def test_the_notes_stay_off_other_paths(real_client):
    summaries = _summaries(real_client, "daca_possession")
    assert not any("green-card application is decided" in text for text in summaries.values())
    assert not any("You are a citizen" in text for text in summaries.values())


def test_sijs_is_said_to_forgive_only_one_small_marijuana_possession(real_client):
    # legal-facts §3.8; second legal walk P17 (a juvenile sale case read as hope).
    summary = _summaries(real_client, "sijs_minor_juvenile_sale")["humanitarian_waiver_possible"]
    assert "only one small marijuana possession can be forgiven" in summary


def test_the_old_waiver_is_said_to_reach_only_the_old_plea(real_client):
    # legal-facts §2.7, §3.12; second legal walk P01 (a 2015 conviction beside a 1995 plea).
    summaries = _summaries(real_client, "lpr_pre1997_plea_and_later_conviction")
    assert "Another drug conviction from later is not" in summaries["former_212c_relief_possible"]
