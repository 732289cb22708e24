"""Finding texts that the December 2026 legal review found wrong say the corrected thing.

A scenario checks which codes appear; these check what a code says where the review's
correction was to the words alone (legal-review-2026-12.md, cited per test).
"""

from pathlib import Path

import yaml

FINDINGS = yaml.safe_load(
    (Path(__file__).parents[2] / "app" / "content" / "findings.yaml").read_text(encoding="utf-8")
)


def _text(code: str, field: str = "summary") -> str:
    value = FINDINGS[code][field]
    return " ".join(value.values()) if isinstance(value, dict) else value


def test_d05_the_30_gram_exception_carries_over_to_citizenship():
    # INA 101(f)(3) excepts a single 30 g possession from the good-moral-character bar.
    text = _text("deportable_marijuana_exception")
    assert "becoming a citizen" not in text
    assert "citizenship rules make the same exception" in text


def test_d10_inadmissibility_is_not_the_main_charge_for_people_without_papers():
    # They are charged under INA 212(a)(6)(A)(i); the drug ground bars relief and brings 236(c).
    text = _text("inadmissible_cs")
    assert "main reason the government uses" not in text
    assert "blocks most ways to get papers" in text


def test_d16_the_seven_years_run_from_admission_not_entry():
    # INA 240A(a)(2); Barton v. Barr: admission in any status starts the clock.
    text = _text("lpr_cancellation_barred")
    assert "after entry" not in text
    assert "let in with papers, in any status" in text


def test_d12_withholding_is_not_promised_for_a_drug_conviction():
    # A drug offense short of an aggravated felony can still be a particularly serious crime
    # (Matter of N-A-M-; Matter of M-H-).
    text = _text("withholding_possible")
    assert "does not seem to block it" not in text
    assert "a judge looks at the facts" in text


PAGES = Path(__file__).parents[2] / "app" / "content" / "pages"


def _page_item(page: str, item_id: str) -> str:
    items = yaml.safe_load((PAGES / f"{page}.yaml").read_text(encoding="utf-8"))["items"]
    text = next(item["text"] for item in items if item["id"] == item_id)
    return " ".join(text.values()) if isinstance(text, dict) else text


def test_d09_silence_is_a_right_with_police_not_a_plan_for_an_interview():
    # The applicant carries the burden of proof (INA 291, 8 U.S.C. 1361): plan with a lawyer.
    text = _text("admission_risk_warning")
    assert "With police or ICE" in text
    assert 'refusing to answer can mean a "no"' in text
    assert "plan with them what to say" in _text("admission_risk_warning", "next_steps")
    interview = _page_item("rights", "interview_or_border")
    assert "refusing to answer can also mean a refusal" in interview


def test_d11_tps_may_forgive_one_small_marijuana_possession():
    # INA 244(c)(2)(A)(iii); 8 CFR 244.3(c).
    assert "30 grams or less of marijuana for own use may be forgiven" in _text("daca_tps_risk")


def test_d13_the_nationwide_expedited_removal_is_date_stamped():
    # 90 FR 8139 (Jan. 24, 2025) was challenged in court; the text says it may have changed.
    text = _text("expedited_removal_risk")
    assert "This applies anywhere in the country." not in text
    assert "may have changed since this page was written (December 2026)" in text


def test_d17_the_ice_locator_is_not_for_people_in_a_local_jail():
    assert "county jail's or sheriff's inmate search" in _page_item("act_now", "detained")


def test_d18_a_pre_1997_plea_changes_the_travel_rule():
    # Vartelas v. Holder, 566 U.S. 257 (2012).
    assert "short trip abroad may not count" in _text("former_212c_relief_possible")


def test_d32_a_change_of_address_has_its_forms_and_days():
    # 8 CFR 1003.15(d)(2) (EOIR-33, 5 days); INA 265 (AR-11, 10 days).
    text = _page_item("act_now", "court_case")
    assert "within 5 days (form EOIR-33)" in text
    assert "within 10 days (form AR-11)" in text


def test_d39_papers_to_leave_are_explained_to_people_who_are_not_held():
    # INA 240B(d): failing to leave under voluntary departure brings a fine and a 10-year bar.
    assert "cannot get most kinds of relief for 10 years" in _page_item("rights", "papers_to_leave")


def test_d28_adults_with_papers_carry_them():
    # INA 264(e), 8 U.S.C. 1304(e).
    assert "the law says to carry them" in _page_item("rights", "if_stopped")


def test_d24_court_arrests_after_a_motion_to_dismiss():
    assert "do not agree to closing it" in _page_item("rights", "in_court")


def test_d36_a_joseph_hearing_contests_mandatory_detention():
    # Matter of Joseph, 22 I&N Dec. 799 (BIA 1999); Jennings v. Rodriguez, 583 U.S. 281 (2018).
    assert '"Joseph hearing"' in _text("mandatory_detention_risk", "next_steps")


def test_d45_citations_name_the_source_that_says_it():
    citations = [c for finding in FINDINGS.values() for c in finding.get("citations", [])]
    assert not [c for c in citations if "Wilson v. Ashcroft" in c or "PA-2019-02" in c]


def test_d34_post_conviction_relief_names_more_defects_and_refiled_charges():
    # Matter of Thomas & Thompson, 27 I&N Dec. 674 (A.G. 2019); Cal. Penal Code 1016.5.
    assert "only if it fixes a legal mistake" in _text("post_conviction_relief_worth_exploring")
    steps = _text("post_conviction_relief_worth_exploring", "next_steps")
    assert "the charges can be brought again" in steps


def test_d38_sijs_and_u_visa_conditions_are_stated():
    # INA 101(a)(27)(J) (under 21, unmarried); Form I-918 Supplement B (certification).
    flow = yaml.safe_load(
        (Path(__file__).parents[2] / "app/content/flow/05-needs.yaml").read_text(encoding="utf-8")
    )
    victim = next(node for node in flow if node["id"] == "victim")
    labels = {option["value"]: option["label"] for option in victim["options"]}
    assert labels["child_abuse"].startswith("Under 21 now, not married")
    assert "U visa" in victim["help"]


def test_d40_the_212h_waiver_explains_itself_to_green_card_holders():
    # INA 212(h), last sentences (the LPR bar).
    assert "already has a green card" in _text("waiver_212h_possible")


def _item_field(page: str, item_id: str, field: str):
    items = yaml.safe_load((PAGES / f"{page}.yaml").read_text(encoding="utf-8"))["items"]
    return next(item[field] for item in items if item["id"] == item_id)


def test_d42_texts_read_on_both_paths_have_a_you_and_a_they_form():
    # legal-review-2026-12.md D42 (the full list of you/they mismatches).
    pages = [
        ("rights", "if_detained", "text"),
        ("rights", "in_court", "text"),
        ("rights", "citizen_held", "text"),
        ("act_now", "hearing_soon", "text"),
        ("act_now", "plea_pending", "text"),
        ("act_now", "court_case", "text"),
        ("options", "prove_citizenship", "title"),
        ("options", "prove_citizenship", "text"),
    ]
    for page, item_id, field in pages:
        assert set(_item_field(page, item_id, field)) == {"you", "they"}, (page, item_id, field)
    for code, field in [
        ("administrative_removal_238b_risk", "title"),
        ("reinstatement_risk", "next_steps"),
        ("pending_charges_consult_before_plea", "next_steps"),
    ]:
        assert set(FINDINGS[code][field]) == {"you", "they"}, (code, field)


FLOW = Path(__file__).parents[2] / "app" / "content" / "flow"


def _both(value) -> list[str]:
    return list(value.values()) if isinstance(value, dict) else [value]


def test_d43_terms_are_explained_where_they_first_appear():
    # legal-review-2026-12.md D43; the words from legal-facts.md §7. The glossary linked from the
    # result (/learn/words) has them all; these are the places a person meets them first.
    urgency = yaml.safe_load((FLOW / "01-urgency.yaml").read_text(encoding="utf-8"))
    detained_info = next(node for node in urgency if node["id"] == "detained_info")
    for text in _both(detained_info["help"]):
        assert "A-number (the A and 8 or 9 digits on" in text
    for text in _both(_item_field("act_now", "detained", "text"))[:1]:
        assert "A-number (the A and 8 or 9 digits on" in text
    for text in _both(_item_field("rights", "if_detained", "text")):
        assert '"stipulated removal" (agreeing to be deported without a hearing)' in text
    assert "advance parole (permission to travel and come back)" in _text(
        "daca_tps_risk", "next_steps"
    )
    assert "certified copies (copies the clerk stamps as true)" in _item_field(
        "documents", "court_dispositions", "text"
    )
