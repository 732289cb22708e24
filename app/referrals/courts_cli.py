"""`puente places import-courts|import-facilities FILE`: EOIR's court and facility tables.

Only the command line's side lives here (what to print, the exit status); courts.py and
facilities.py do the work. `app/cli.py` builds the arguments and opens the database. Each
import is one transaction: all of the file or nothing.
"""

import argparse
import sys
from datetime import date

from app.db import Database
from app.referrals.courts import (
    EOIR_SOURCE,
    EOIR_SOURCE_URL,
    CourtFileError,
    CourtRelease,
    import_courts,
    read_court_file,
)


def run(args: argparse.Namespace, database: Database) -> int:
    if args.action == "import-courts":
        return import_court_file(database, args)
    return import_facility_file(database, args)


def import_court_file(database: Database, args: argparse.Namespace) -> int:
    if not args.file.is_file():
        print(f"Nothing imported: {args.file} is not a file", file=sys.stderr)
        return 1
    try:
        source_date = args.source_date or _newest_record_date(args)
        release = CourtRelease(
            args.file,
            source_date,
            source_name=args.source_name or EOIR_SOURCE,
            source_url=args.source_url or EOIR_SOURCE_URL,
        )
        with database.write() as session:
            report = import_courts(session, release)
            if report.refused:
                session.rollback()
            else:
                session.commit()
    except (CourtFileError, UnicodeDecodeError) as error:
        print(f"Nothing imported: {error}", file=sys.stderr)
        return 1
    print(report.summary(), file=sys.stderr if report.refused else sys.stdout)
    return 1 if report.refused else 0


def _newest_record_date(args: argparse.Namespace) -> date:
    """Without --source-date: the newest record date in the file (a fact of the file)."""
    dates = [row.get("record_modified_on", "")[:10] for row in read_court_file(args.file)]
    known = sorted(d for d in dates if d)
    if not known:
        raise CourtFileError("the file has no record dates; give --source-date")
    print(f"No --source-date given: using the newest record date, {known[-1]}")
    return date.fromisoformat(known[-1])


def import_facility_file(database: Database, args: argparse.Namespace) -> int:
    from app.referrals.facilities import FacilityFileError, import_facilities

    if not args.file.is_file():
        print(f"Nothing imported: {args.file} is not a file", file=sys.stderr)
        return 1
    try:
        with database.write() as session:
            report = import_facilities(session, args.file, retrieved_at=args.source_date)
            session.commit()
    except (FacilityFileError, UnicodeDecodeError) as error:
        print(f"Nothing imported: {error}", file=sys.stderr)
        return 1
    print(report.summary())
    return 0
