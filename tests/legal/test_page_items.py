"""Page items that the December 2026 legal review asked for show where they apply."""

from tests.legal.page_items import shown_items


def test_d15_an_admitted_person_held_by_ice_is_told_to_ask_for_bond():
    # INA 236(a); 8 CFR 1236.1(d): admitted people are outside Matter of Yajure Hurtado.
    assert "bond_hearing" in shown_items("lpr_small_marijuana_held_by_ice", "act_now")
    assert "bond_hearing" not in shown_items("family_relative_held_unknowns", "act_now")


def test_d39_papers_to_leave_for_people_not_held():
    assert "papers_to_leave" in shown_items("old_order_never_left", "rights")
    assert "papers_to_leave" not in shown_items("lpr_small_marijuana_held_by_ice", "rights")
    assert "papers_to_leave" not in shown_items("citizen_by_birth", "rights")
