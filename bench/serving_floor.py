"""What serving a request costs before the app does anything: the floor under bench.cpu's figures.

    python -m bench.serving_floor --requests 2000

Two servers, started the same way (bench.server: gunicorn's master, one uvicorn worker with
uvloop and httptools, the production flags), one after the other:

* **bare**: an ASGI app of a few lines that answers every request with the stylesheet's bytes,
  already in memory: what uvicorn, the event loop and the kernel's loopback sockets cost;
* **Puente**: the app itself, asked for the same stylesheet (no database, no template: the
  edge layer, FastAPI's layers and the static mount) and for the safety page (a page rendered
  in full, with its session-less guards).

Each is asked `--requests` times in a row on one kept-alive connection, after a warm-up, and
the worker's own CPU clock is read around the whole series (bench.cpu's clock). Warm figures:
caches and branch predictors primed by the same request again and again. bench.cpu measures each
request of a questionnaire once, between others, where the same stylesheet costs about twice
as much; compare the two servers of one run, not runs.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.cpu import process_cpu_clock
from bench.http import Client
from bench.server import LOOPBACK, Server, migrated_sqlite, start_server

STYLESHEET = "css/puente.css"


def bare_app() -> Any:
    """The bare server's app (a factory, as `app.cli serve --app` expects one)."""
    from app import paths
    from app.web.static_files import manifest

    body = manifest(paths.STATIC).bodies[STYLESHEET]
    start = {
        "type": "http.response.start",
        "status": 200,
        "headers": [(b"content-type", b"text/css"), (b"content-length", str(len(body)).encode())],
    }

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            await send(start)
            await send({"type": "http.response.body", "body": body})

    return app


async def cpu_per_request(server: Server, path: str, count: int) -> float:
    """Milliseconds of the worker's CPU per request, `count` requests in a row, warm."""
    clock = process_cpu_clock(server.worker_pids()[0])
    client = Client(LOOPBACK, server.port, default_headers={"X-Forwarded-For": "192.0.2.10"})
    try:
        for _ in range(max(count // 10, 20)):
            await client.get(path)
        started = time.clock_gettime(clock)
        for _ in range(count):
            response = await client.get(path)
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status}")
        return (time.clock_gettime(clock) - started) * 1000 / count
    finally:
        await client.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.serving_floor", description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    from app import paths
    from app.web.static_files import manifest

    stylesheet = manifest(paths.STATIC).url(STYLESHEET)
    rows: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="puente-floor-") as directory:
        folder = Path(directory)
        database = migrated_sqlite(folder)
        bare = start_server(database, folder / "bare.log", factory="bench.serving_floor:bare_app")
        try:
            rows.append(
                (
                    "bare ASGI app, the stylesheet",
                    asyncio.run(cpu_per_request(bare, "/", args.requests)),
                )
            )
        finally:
            bare.stop()
        puente = start_server(database, folder / "puente.log")
        try:
            for label, path in (
                ("Puente, the stylesheet", stylesheet),
                ("Puente, the safety page", "/safety"),
            ):
                rows.append((label, asyncio.run(cpu_per_request(puente, path, args.requests))))
        finally:
            puente.stop()
    print(
        f"Measured {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, {args.requests} "
        "requests each, one kept-alive connection, worker CPU per request.\n"
    )
    print("| server, request | ms per request | / bare |\n|---|--:|--:|")
    for label, value in rows:
        print(f"| {label} | {value:.3f} | {value / rows[0][1]:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
