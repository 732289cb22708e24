"""`puente directory export|import`: the directory to and from an HSDS 3.0 file.

Only the command line's side lives here (does the path fit the format, what to print, the exit
status); exporter.py and importer.py do the work. `app/cli.py` builds the arguments and opens
the database.
"""

import argparse
import sys
from pathlib import Path

from app.db import Database
from app.referrals.hsds.exporter import ExportFormat, export_hsds
from app.referrals.hsds.importer import import_hsds


def run(args: argparse.Namespace, database: Database) -> int:
    if args.action == "export":
        return export_directory(database, args.format, args.out)
    return import_directory(database, args.format, args.source)


def export_directory(database: Database, format: ExportFormat, out: Path) -> int:
    try:
        with database.read() as session:
            counts = export_hsds(out, format, db=session)
    except OSError as error:  # a folder where the JSON file should go, no permission, ...
        print(f"Nothing exported: {error}", file=sys.stderr)
        return 1
    print(
        f"Exported {counts['service']} services ({sum(counts.values())} records) "
        f"as HSDS {format} to {out}"
    )
    return 0


def import_directory(database: Database, format: ExportFormat, source: Path) -> int:
    """All or nothing, in one transaction: validation reads and the writes share it."""
    problem = _format_problem(format, source)
    if problem:
        print(f"Nothing imported: {problem}", file=sys.stderr)
        return 1
    with database.write() as session:
        report = import_hsds(source, db=session)
    print(report.summary(), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1


def _format_problem(format: ExportFormat, source: Path) -> str | None:
    if not source.exists():
        return f"{source} does not exist"
    is_package = source.is_dir() or source.name == "datapackage.json"
    if format == "json" and is_package:
        return f"{source} is a tabular package; use --format tabular"
    if format == "tabular" and not is_package:
        return (
            f"{source} is not a tabular package (a folder of CSV files with datapackage.json, "
            "or that datapackage.json); use --format json for a JSON file"
        )
    return None
