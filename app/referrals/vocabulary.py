"""Fixed vocabularies of the directory: enums stored as plain strings, and our taxonomy.

Values are stable codes (they are stored, exported and matched on); the words people read
are translated in the templates, keyed on these codes. Never rename a value.
"""

from enum import StrEnum


class ServiceStatus(StrEnum):
    """HSDS 3.0 `service.status`."""

    active = "active"
    inactive = "inactive"
    defunct = "defunct"
    temporarily_closed = "temporarily closed"


class Cost(StrEnum):
    free = "free"
    sliding_scale = "sliding_scale"
    low_cost = "low_cost"
    paid = "paid"
    unknown = "unknown"


class ProviderKind(StrEnum):
    nonprofit = "nonprofit"
    public_defender = "public_defender"
    law_school_clinic = "law_school_clinic"
    pro_bono_attorney = "pro_bono_attorney"
    referral_service = "referral_service"
    government = "government"
    directory = "directory"  # a list of providers, not a provider (EOIR list, IAN)


class Scope(StrEnum):
    """Where a service takes clients from (one `service_area` row each; HSDS has no such field)."""

    national = "national"
    state = "state"
    county = "county"
    zip = "zip"
    radius = "radius"


class VerificationMethod(StrEnum):
    phone_call = "phone_call"  # a person called the number and reached the service
    owner_website = "owner_website"  # read on the owner's own page
    email = "email"  # the service answered an email
    source_list = "source_list"  # taken from a published list (EOIR, R&A roster)
    third_party = "third_party"  # only a third party describes it: NOT verified
    sample = "sample"  # fictional demonstration data


# Methods that count as verification of a phone number (the card's `tel:` button).
PHONE_VERIFYING_METHODS = frozenset(
    {
        VerificationMethod.phone_call,
        VerificationMethod.owner_website,
        VerificationMethod.email,
        VerificationMethod.source_list,
        VerificationMethod.sample,
    }
)


class Need(StrEnum):
    """What a respondent needs, derived from the findings (see `needs.py`)."""

    detained = "detained"
    crim_imm = "crim_imm"
    post_conviction = "post_conviction"
    hearing_soon = "hearing_soon"
    pending_case = "pending_case"
    general = "general"


# ---- Taxonomy. Our own terms, each under a LIST (taxonomy.legal) parent where one is known.
# The LIST codes come from a public LIST/NSMI file seen in a third-party repository
# (shared/reference/referrals.md §4): verify them against taxonomy.legal before relying on them.

PUENTE_TAXONOMY_ID = "5b0f5a0e-6a53-5a2b-9d55-7075656e7465"
LIST_TAXONOMY_ID = "6c1e6b1f-7b64-5b3c-8e66-4c4953547478"


class Term(StrEnum):
    """Codes of our taxonomy terms (`taxonomy_term.code`)."""

    removal_defense = "puente:removal_defense"
    detained_defense = "puente:detained_defense"
    bond = "puente:bond"
    crim_imm_advice = "puente:crim_imm_advice"
    post_conviction_relief = "puente:post_conviction_relief"
    hotline = "puente:hotline"
    detention_information = "puente:detention_information"
    case_status = "puente:case_status"
    provider_directory = "puente:provider_directory"


LIST_DEPORTATION = "IM-01-00-00-00"
LIST_DETENTION = "IM-02-00-00-00"
LIST_CRIMINAL_LAWYER = "CR-04-00-00-00"
LIST_CRIMINAL_RECORDS = "CR-06-00-00-00"

# For each need: the terms that meet it exactly, then the broader ones that still meet it
# (ranked after exact matches). LIST parents count as broader, so data imported with LIST
# codes alone still matches.
NEED_TERMS: dict[Need, tuple[frozenset[str], frozenset[str]]] = {
    Need.crim_imm: (
        frozenset({Term.crim_imm_advice}),
        frozenset({Term.removal_defense, LIST_DEPORTATION}),
    ),
    Need.pending_case: (
        frozenset({Term.crim_imm_advice}),
        frozenset({Term.removal_defense, LIST_DEPORTATION, LIST_CRIMINAL_LAWYER}),
    ),
    Need.post_conviction: (
        frozenset({Term.post_conviction_relief}),
        frozenset({Term.crim_imm_advice, LIST_CRIMINAL_RECORDS}),
    ),
    Need.detained: (
        frozenset({Term.detained_defense, Term.bond, Term.detention_information}),
        frozenset({Term.removal_defense, LIST_DETENTION, LIST_DEPORTATION}),
    ),
    Need.hearing_soon: (
        frozenset({Term.removal_defense, Term.case_status}),
        frozenset({Term.detained_defense, Term.crim_imm_advice, LIST_DEPORTATION}),
    ),
    Need.general: (
        frozenset({Term.removal_defense, Term.crim_imm_advice, Term.provider_directory}),
        frozenset(
            {Term.detained_defense, Term.post_conviction_relief, LIST_DEPORTATION, LIST_DETENTION}
        ),
    ),
}
