"""The outcome of a finished session for the statistics: findings, urgency, kinds of referral.

Computed from the answers alone (with the day the session started as "today"), so the same
answers always give the same outcome; a failure here never blocks an answer.
"""

import logging
from datetime import date

from app.flow.content import Content
from app.flow.engine import Position
from app.flow.vocabulary import Urgency
from app.stats.counts import Outcome, OutcomeOf

log = logging.getLogger("puente.stats")


def outcome_for(content: Content) -> OutcomeOf:
    from app.legal.facts import Facts
    from app.legal.findings import evaluate
    from app.referrals.needs import needs_from_findings

    def outcome_of(position: Position, started_on: date) -> Outcome:
        try:
            facts = Facts.from_answers(position.values, started_on)
            codes = list(evaluate(facts))
            needs = needs_from_findings(
                codes,
                detained=facts.held_now,
                hearing_soon=facts.hearing_within_30_days,
                case_pending=facts.criminal_case_open,
            )
        except Exception as error:  # the type only: never an answer in a log
            log.error("no outcome for the statistics: %s", type(error).__name__)
            return Outcome()
        urgency: dict[str, str] = {
            code: text.urgency if (text := content.findings.get(code)) else Urgency.good_to_know
            for code in codes
        }
        return Outcome(urgency, tuple(sorted(str(getattr(n, "value", n)) for n in needs)))

    return outcome_of
