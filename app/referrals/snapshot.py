"""The directory as matching reads it, kept in memory by each process.

Loading every visible service with its organization, phones, languages, areas, courts,
facilities and offices was most of a result page's CPU (docs/benchmarks.md). The directory
changes a few times a day, so each process keeps one copy and reloads it when the directory's
revision has moved (app/referrals/revision.py): one small read per result page instead of
eight queries. The copy holds detached ORM objects that are only ever read.
"""

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from app.db import relation
from app.referrals.cards import ReferralCard, build_card
from app.referrals.courts import place_key
from app.referrals.models import (
    Attribute,
    Court,
    Facility,
    Location,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from app.referrals.revision import read_revision
from app.referrals.vocabulary import ServiceStatus


@dataclass(frozen=True)
class Directory:
    revision: int | None
    services: tuple[Service, ...]  # active and with a review date, in id order
    terms: Mapping[str, frozenset[str]]  # service id -> its term codes and their ancestors'
    facilities: Mapping[str, Facility]
    courts: Mapping[str, Court] = field(default_factory=dict)  # by code, retired ones too
    # The cards of one day, by service id (`card`); a new day starts afresh.
    _cards: dict[date, dict[str, ReferralCard]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def visible(self, today: date) -> list[Service]:
        """The services whose review is not overdue on `today`."""
        return [s for s in self.services if s.next_review_due and s.next_review_due >= today]

    def card(self, service: Service, today: date) -> ReferralCard:
        """`service`'s card on `today`, built once per copy and day (it is the same for
        everyone; `ReferralCard.placed` adds a person's distance): building one, a validated
        model with its translations, was a fifth of a result page's CPU (docs/benchmarks.md).
        Safe from several threads: at worst two build the same card, and one is kept."""
        cards = self._cards.get(today)
        if cards is None:
            self._cards.clear()  # yesterday's: a number's check may have expired overnight
            cards = self._cards[today] = {}
        card = cards.get(service.id)
        if card is None:
            card = cards[service.id] = build_card(service, today)
        return card

    # The courts as the questionnaire reads them, worked out once per copy (the copy is only
    # ever read): the ZIP answer and each court question asked for them again, and going
    # through every code and its address was most of the ZIP answer's CPU
    # (docs/benchmarks.md).

    @cached_property
    def active_courts(self) -> tuple[Court, ...]:
        """The real courts in session, one per place: of two codes at one address (the
        source's re-coded courts, app/referrals/courts.py), the most recently updated."""
        best: dict[str, Court] = {}
        for court in self.courts.values():
            if not court.active or court.is_sample:
                continue
            key = place_key(court.address, court.postal_code)
            kept = best.get(key)
            if kept is None or (court.record_modified_on or date.min) > (
                kept.record_modified_on or date.min
            ):
                best[key] = court
        return tuple(best.values())

    @cached_property
    def placed_courts(self) -> tuple[tuple[Court, float, float], ...]:
        """The active courts that have coordinates, with their latitude and longitude."""
        return tuple(
            (court, court.latitude, court.longitude)
            for court in self.active_courts
            if court.latitude is not None and court.longitude is not None
        )


def load_directory(db: Session) -> Directory:
    revision = read_revision(db)
    services = _active_services(db)
    return Directory(
        revision=revision,
        services=tuple(services),
        terms=_terms_by_service(db),
        facilities={facility.id: facility for facility in db.exec(select(Facility)).all()},
        courts={court.code: court for court in db.exec(select(Court)).all()},
    )


class DirectoryCache:
    """One process's copy of the directory, reloaded when the revision has moved."""

    def __init__(self) -> None:
        self._current: Directory | None = None
        self._loading = threading.Lock()

    @property
    def latest(self) -> Directory | None:
        """The copy this process holds, without asking the database whether it moved."""
        return self._current

    def at(self, revision: int | None) -> Directory | None:
        """The copy this process holds if it is of `revision`, else None (load it with `get`)."""
        current = self._current
        if current is not None and revision is not None and current.revision == revision:
            return current
        return None

    def get(self, db: Session) -> Directory:
        revision = read_revision(db)
        current = self.at(revision)
        if current is not None:
            return current
        with self._loading:  # one thread loads; the others wait for its copy
            current = self._current
            if current is None or revision is None or current.revision != revision:
                current = load_directory(db)
                self._current = current
        return current


def _active_services(db: Session) -> list[Service]:
    """Active services with a review date, with everything cards and filters read."""
    statement = (
        select(Service)
        .where(Service.status == ServiceStatus.active)
        .where(col(Service.next_review_due).is_not(None))
        .options(
            selectinload(relation(Service.organization)),
            selectinload(relation(Service.phones)),
            selectinload(relation(Service.languages)),
            selectinload(relation(Service.areas)),
            selectinload(relation(Service.courts)),
            selectinload(relation(Service.facilities)),
            selectinload(relation(Service.translations)),
            selectinload(relation(Service.at_locations))
            .selectinload(relation(ServiceAtLocation.location))
            .selectinload(relation(Location.addresses)),
        )
        .order_by(Service.id)
    )
    return list(db.exec(statement).all())


def _terms_by_service(db: Session) -> dict[str, frozenset[str]]:
    """Each service's term codes, with every ancestor's code added (a service tagged with a
    narrower term also does the broader one)."""
    all_terms = {t.id: t for t in db.exec(select(TaxonomyTerm)).all()}
    links = db.exec(
        select(Attribute.link_id, Attribute.taxonomy_term_id).where(
            Attribute.link_entity == "service"
        )
    ).all()
    codes: dict[str, set[str]] = {}
    for service_id, term_id in links:
        seen: set[str] = set()
        term = all_terms.get(term_id)
        while term is not None and term.id not in seen:  # guard against a cycle in bad data
            seen.add(term.id)
            if term.code:
                codes.setdefault(service_id, set()).add(term.code)
            term = all_terms.get(term.parent_id) if term.parent_id else None
    return {service_id: frozenset(found) for service_id, found in codes.items()}
