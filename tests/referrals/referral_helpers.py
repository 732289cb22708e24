"""Shared test data for the directory tests: a fixed day, a directory builder, and the CLI as an
operator runs it."""

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, SQLModel

from app.config import ROOT
from app.referrals import models as m
from app.referrals.revision import DirectoryRevision
from app.referrals.seed import stable_id

TODAY = date(2026, 12, 1)
FACILITY_ID = stable_id("t-facility", "one")


@dataclass
class Builder:
    """Adds services with the least ceremony: what a test does not say gets a neutral value."""

    db: Session
    count: int = 0

    def service(
        self,
        name: str,
        *,
        terms: tuple[str, ...] = ("puente:removal_defense",),
        state: str | None = "il",
        county: str | None = None,
        zip: str | None = None,
        radius: tuple[float, float, float] | None = None,  # (lat, lon, miles)
        national: bool = False,
        office: tuple[float, float] | None = None,
        languages: tuple[str, ...] = ("en",),
        interpretation: str | None = None,
        verified_days_ago: int | None = 30,
        review_in_days: int | None = 150,
        phone: str | None = "312-555-0199",
        phone_verified_days_ago: int | None = 30,
        phone_method: str = "phone_call",
        status: str = "active",
        courts: tuple[str, ...] = (),
        facilities: tuple[str, ...] = (),
        **flags: object,
    ) -> m.Service:
        self.count += 1
        key = f"{name}-{self.count}"
        org = m.Organization(id=stable_id("t-org", key), name=f"{name} org", description="Test.")
        service = m.Service(
            id=stable_id("t-service", key),
            organization_id=org.id,
            name=name,
            description=f"{name} description",
            status=status,
            source_name="Test source",
            verified_at=TODAY - timedelta(days=verified_days_ago)
            if verified_days_ago is not None
            else None,
            next_review_due=TODAY + timedelta(days=review_in_days)
            if review_in_days is not None
            else None,
            verification_method="phone_call",
            interpretation_services=interpretation,
            **flags,
        )
        rows: list = [org, service]
        for code in terms:
            rows.append(
                m.Attribute(
                    id=stable_id("t-attr", f"{key}:{code}"),
                    link_id=service.id,
                    link_entity="service",
                    taxonomy_term_id=stable_id("term", code),
                )
            )
        areas = []
        if national:
            areas.append(dict(scope="national"))
        elif zip:
            areas.append(dict(scope="zip", zip=zip))
        elif county:
            areas.append(dict(scope="county", state=state, county=county))
        elif radius:
            areas.append(
                dict(
                    scope="radius",
                    center_latitude=radius[0],
                    center_longitude=radius[1],
                    radius_miles=radius[2],
                )
            )
        elif state:
            areas.append(dict(scope="state", state=state))
        for i, area in enumerate(areas):
            rows.append(
                m.ServiceArea(id=stable_id("t-area", f"{key}:{i}"), service_id=service.id, **area)
            )
        for code in languages:
            rows.append(
                m.Language(
                    id=stable_id("t-lang", f"{key}:{code}"), service_id=service.id, code=code
                )
            )
        if phone:
            rows.append(
                m.Phone(
                    id=stable_id("t-phone", key),
                    service_id=service.id,
                    number=phone,
                    type="voice",
                    source_name="Test source",
                    verification_method=phone_method,
                    verified_at=TODAY - timedelta(days=phone_verified_days_ago)
                    if phone_verified_days_ago is not None
                    else None,
                    next_review_due=TODAY + timedelta(days=150),
                )
            )
        if office:
            location = m.Location(
                id=stable_id("t-loc", key),
                location_type="physical",
                organization_id=org.id,
                latitude=office[0],
                longitude=office[1],
            )
            rows += [
                location,
                m.Address(
                    id=stable_id("t-addr", key),
                    location_id=location.id,
                    address_1="1 Test St",
                    city="Testville",
                    state_province="IL",
                    postal_code="60608",
                ),
                m.ServiceAtLocation(
                    id=stable_id("t-sal", key), service_id=service.id, location_id=location.id
                ),
            ]
        for code in courts:
            rows.append(
                m.ServiceCourt(
                    id=stable_id("t-sc", f"{key}:{code}"), service_id=service.id, court_code=code
                )
            )
        for facility_id in facilities:
            rows.append(
                m.ServiceFacility(
                    id=stable_id("t-sf", f"{key}:{facility_id}"),
                    service_id=service.id,
                    facility_id=facility_id,
                )
            )
        for row in rows:
            self.db.add(row)
            self.db.flush()
        self.db.commit()
        return service


def create_directory_schema(engine: Any) -> None:
    """The directory's tables and its revision row, as the migrations make them."""
    tables = [t.__table__ for t in (*m.DIRECTORY_TABLES, DirectoryRevision)]
    SQLModel.metadata.create_all(engine, tables=tables)
    with Session(engine) as session:
        session.add(DirectoryRevision())
        session.commit()


def run_cli(database: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """`python -m app.cli ARGS` in a subprocess, with DATABASE_URL set for it alone."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    return subprocess.run(  # our own CLI, fixed arguments
        [sys.executable, "-m", "app.cli", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
