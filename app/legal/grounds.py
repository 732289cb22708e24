"""Findings about the grounds a drug record may trigger: deportability, inadmissibility, the
aggravated felony, conduct without a conviction and the Mellouli question.

Sources: shared/reference/legal-facts.md §1.
"""

from app.flow.vocabulary import (
    CANNABIS_PRODUCTS,
    NON_CONVICTION_DISPOSITIONS,
    POSSESSION_KINDS,
    UNNAMED_DRUGS,
)
from app.legal.analysis import (
    FelonyLevel,
    aggravated_felony,
    controlled_substance_conviction,
    deportable_for_drugs,
    small_marijuana_exception,
)
from app.legal.facts import UNKNOWN, Facts, Tri


def not_a_conviction_for_immigration(facts: Facts) -> bool:
    """The case ended in a way that is not a conviction for immigration law.

    Juvenile court (Matter of Devison-Charles, 22 I&N Dec. 1362 (BIA 2000)), pretrial diversion
    with no plea, the Federal First Offender Act (18 U.S.C. 3607), a vacatur for a legal defect
    (Matter of Pickering, 23 I&N Dec. 621 (BIA 2003)), a dismissal or acquittal.
    Citations: INA 101(a)(48)(A), 8 U.S.C. 1101(a)(48)(A); legal-facts.md §1.8, §4.1.
    """
    return facts.is_noncitizen and facts.disposition in NON_CONVICTION_DISPOSITIONS - {"still_open"}


def deportable_cs(facts: Facts) -> bool:
    """An admitted person with a federal controlled-substance conviction may be deportable.

    Only people who were admitted (green card, visa) face deportability grounds; the single
    30 g marijuana possession is excepted; an unknown amount, drug or admission is left to a
    lawyer. Citations: INA 237(a)(2)(B)(i), 8 U.S.C. 1227(a)(2)(B)(i); Mellouli v. Lynch,
    575 U.S. 798 (2015); legal-facts.md §0 rule 2, §1.1.
    """
    return facts.is_noncitizen and deportable_for_drugs(facts) is Tri.YES


def deportable_marijuana_exception(facts: Facts) -> bool:
    """One conviction for possessing 30 g or less of marijuana for own use: not deportable for it.

    Inadmissibility and travel still matter (no exception there). Citations: INA 237(a)(2)(B)(i)
    (exception clause); Matter of Davey, 26 I&N Dec. 37 (BIA 2012); Matter of
    Dominguez-Rodriguez, 26 I&N Dec. 408 (BIA 2014); legal-facts.md §1.1.
    """
    return (
        facts.is_noncitizen
        and facts.admitted is Tri.YES
        and small_marijuana_exception(facts) is Tri.YES
    )


def inadmissible_cs(facts: Facts) -> bool:
    """A drug conviction makes any noncitizen inadmissible; there is no 30 g exception here.

    It matters for people never admitted, for green cards and visas, and for a green-card holder
    coming back from a trip. Citations: INA 212(a)(2)(A)(i)(II), 8 U.S.C. 1182(a)(2)(A)(i)(II);
    Pereida v. Wilkinson, 592 U.S. ___ (2021) (an unclear record counts against the applicant);
    legal-facts.md §1.3. A reported admission to an officer is not treated as a formal admission
    here (its legal requirements are a lawyer's check; see admission_risk_warning).
    """
    return facts.is_noncitizen and controlled_substance_conviction(facts) is Tri.YES


def possible_aggravated_felony(facts: Facts) -> bool:
    """The conviction MAY be a drug-trafficking aggravated felony; a lawyer must analyse it.

    Citations: INA 101(a)(43)(B), 8 U.S.C. 1101(a)(43)(B); 18 U.S.C. 924(c)(2); Lopez v.
    Gonzales, 549 U.S. 47 (2006); Carachuri-Rosendo v. Holder, 560 U.S. 563 (2010);
    legal-facts.md §1.5.
    """
    return facts.is_noncitizen and aggravated_felony(facts) is FelonyLevel.POSSIBLE


def aggravated_felony_likely(facts: Facts) -> bool:
    """A sale, possession-with-intent or trafficking conviction (or a proven repeat possession).

    Citations: INA 101(a)(43)(B); Lopez v. Gonzales, 549 U.S. 47 (2006); Carachuri-Rosendo v.
    Holder, 560 U.S. 563 (2010); Moncrieffe v. Holder, 569 U.S. 184 (2013) (social sharing is
    not one); legal-facts.md §1.5.
    """
    return facts.is_noncitizen and aggravated_felony(facts) is FelonyLevel.LIKELY


def drug_abuser_addict_ground(facts: Facts) -> bool:
    """Telling an immigration doctor about drug use, or treatment, may raise the drug-use grounds.

    No conviction is needed. Citations: INA 237(a)(2)(B)(ii), 8 U.S.C. 1227(a)(2)(B)(ii);
    INA 212(a)(1)(A)(iv), 8 U.S.C. 1182(a)(1)(A)(iv); Matter of K-C-B- (BIA 1954)
    (a mere user is not an addict); legal-facts.md §1.2.
    """
    return facts.is_noncitizen and facts.conduct_use_or_treatment


def reason_to_believe_trafficker_risk(facts: Facts) -> bool:
    """A case about sale or trafficking, or cannabis-industry work, can support a "reason to
    believe" finding with no conviction at all (juvenile and dismissed cases included).

    Citations: INA 212(a)(2)(C), 8 U.S.C. 1182(a)(2)(C); Wilson v. Ashcroft
    (3d Cir. 2003) (212(h) does not waive it); legal-facts.md §1.4, §1.9.
    """
    return facts.is_noncitizen and (facts.any_trafficking_case or facts.cannabis_work)


def federal_law_controls_marijuana(facts: Facts) -> bool:
    """State legal marijuana does not protect against immigration consequences.

    Citations: 21 U.S.C. 802; 9 FAM 302.4; USCIS Policy Alert PA-2019-02 (April 19, 2019);
    91 FR 22714 (April 28, 2026: partial move to Schedule III, still controlled);
    legal-facts.md §1.9, §1.10.
    """
    return facts.is_noncitizen and (facts.involves_marijuana or facts.cannabis_work)


def mellouli_mismatch_argument(facts: Facts) -> bool:
    """The record may not tie the conviction to a federally listed drug: a possible defense.

    For a drug the papers do not name, one the person is not sure of, one a lawyer said only
    the state lists, and THC products (a state law that still reaches hemp may be broader than
    the federal list). Never for a drug known to be federally listed, such as ecstasy or LSD.
    Citations: Mellouli v. Lynch, 575 U.S. 798 (2015); 21 U.S.C. 802(6), 802(16)(B);
    Pereida v. Wilkinson, 592 U.S. 224 (2021) (weaker for relief); legal-facts.md §1.6;
    legal-review-2026-12.md D01, D37.
    """
    return (
        facts.is_noncitizen
        and facts.main_conviction is Tri.YES
        and facts.drug in UNNAMED_DRUGS | {UNKNOWN}
    )


def admission_risk_warning(facts: Facts) -> bool:
    """Warn against telling officials or the immigration doctor about drug conduct.

    Shown to every noncitizen, to anyone learning, and to helpers: an admission alone can make a
    person inadmissible. Citations: INA 212(a)(2)(A)(i)(II) ("admits having committed");
    Matter of K-, 7 I&N Dec. 594 (BIA 1957); 9 FAM 302.4; legal-facts.md §1.3, §5.3, §8.2.
    """
    return facts.is_noncitizen or not facts.about_a_person


def deportability_depends_on_amount(facts: Facts) -> bool:
    """One marijuana possession of unknown amount: whether an admitted person is deportable turns
    on whether it was 30 g or less, a question of the facts on which DHS carries the burden.

    Only for people who were (or may have been) admitted, since the exception is part of the
    deportability ground alone; a second conviction rules it out. Citations: INA 237(a)(2)(B)(i)
    (exception clause); Matter of Dominguez-Rodriguez, 26 I&N Dec. 408 (BIA 2014);
    legal-facts.md §1.1; legal-review-2026-12.md D27.
    """
    return (
        facts.is_noncitizen
        and facts.admitted is not Tri.NO
        and facts.main_conviction is Tri.YES
        and facts.offense_kind in POSSESSION_KINDS
        and facts.drug in {"marijuana_amount_unknown"} | CANNABIS_PRODUCTS
        and facts.other_conviction is not Tri.YES
    )
