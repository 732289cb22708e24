"""Page items that the December 2026 legal review asked for show where they apply."""

from tests.legal.page_items import shown_codes, shown_items, shown_pages


def test_d15_an_admitted_person_held_by_ice_is_told_to_ask_for_bond():
    # INA 236(a); 8 CFR 1236.1(d): admitted people are outside Matter of Yajure Hurtado.
    assert "bond_hearing" in shown_items("lpr_small_marijuana_held_by_ice", "act_now")
    assert "bond_hearing" not in shown_items("family_relative_held_unknowns", "act_now")


def test_d39_papers_to_leave_for_people_not_held():
    assert "papers_to_leave" in shown_items("old_order_never_left", "rights")
    assert "papers_to_leave" not in shown_items("lpr_small_marijuana_held_by_ice", "rights")
    assert "papers_to_leave" not in shown_items("citizen_by_birth", "rights")


def test_d44_pages_show_only_in_their_context():
    # The family page is about a person who is held; documents are not for learners or
    # citizens by birth.
    assert "family" in shown_pages("family_relative_in_jail_plea_offer")
    assert "family" not in shown_pages("old_order_never_left_family")
    assert "documents" not in shown_pages("learner_only")
    assert "documents" not in shown_pages("citizen_by_birth")
    assert "documents" in shown_pages("lpr_small_marijuana_held_by_ice")


def test_d33_someone_who_already_told_an_officer_learns_what_to_write_down():
    # Matter of K-, 7 I&N Dec. 594 (BIA 1957): an admission needs formalities.
    assert "already_told" in shown_items("no_conviction_told_officer", "rights")
    assert "already_told" not in shown_items("no_conviction_told_doctor", "rights")


def test_d30_d31_family_plan_and_how_immigration_learns():
    assert "plan_for_the_family" in shown_items("family_relative_in_jail_plea_offer", "family")
    assert "how_immigration_learns" in shown_items("lpr_small_marijuana_held_by_ice", "rights")
    assert "how_immigration_learns" not in shown_items("old_order_never_left", "rights")


def test_the_consulate_is_not_offered_for_a_citizen():
    # Consular rights belong to foreign nationals (legal-facts §5.4; second legal walk P12).
    # For a foreign national it is said once: by the consular_notification finding when that
    # shows, else by the family section's item (the page budget: nothing said twice).
    foreign = "family_relative_in_jail_plea_offer"
    said_by_finding = "consular_notification" in shown_codes(foreign)
    assert said_by_finding != ("consulate" in shown_items(foreign, "family"))
    assert "consulate" not in shown_items("family_naturalized_relative_in_jail", "family")
    assert "consular_notification" not in shown_codes("family_naturalized_relative_in_jail")
