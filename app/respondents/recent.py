"""The positions this worker saved last, so that the next change of the same session need not
replay its answers, nor on PostgreSQL read them first.

Each answer read the session's row and replayed every answer so far through the engine (about
65 µs, a twelfth of an answer's own work at fourteen answers, and more with each), then saved
the new list; on PostgreSQL the read is a round trip of its own. But the worker that saved an answer
already holds what the next one needs: the position it reached, and the row's version. A copy
is only ever used where the database proves it current:

- SQLite reads the row in its write transaction (a lookup in the file, no round trip) and uses
  the copy only when the stored answers are the ones the copy was saved with.
- PostgreSQL saves straight away with `xmin` as it was after the copy's save
  (`_SAVE_IF_UNCHANGED`): no row changes if anything wrote the session since, on any worker
  or instance, and then the answer is read and replayed as before.
- Either way, only while the court lists the engine consults are the same copy of the
  directory (`CourtPlaces.revision`): a court question may appear or go when staff edit it.

The copies are the answers as the database holds them, in this worker's memory only: at most
`capacity` sessions, each dropped `max_idle` seconds after its last change, and at once when
this worker deletes the session or gives it a new id (docs/privacy-and-security.md).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.flow.engine import Position

# About 2 KB a session of 15 answers: 4.1 MB at this bound, measured (docs/benchmarks.md),
# against the 60 MB a worker may peak at.
CAPACITY = 2048
MAX_IDLE_SECONDS = 300.0  # longer than most pauses between two answers, short for memory


@dataclass(frozen=True)
class Recent:
    """A session as this worker saved it."""

    stored: str  # the answers column as written (JSON text)
    position: Position
    counted: Any  # what the statistics read of the row (sessions._Counted); it never changes
    version: str | None  # PostgreSQL's xmin after the save; SQLite has none
    revision: object  # the directory copy the court lists came from (CourtPlaces.revision)
    saved_at: float

    def holds(self, stored: Any) -> bool:
        """The database's answers are the ones this copy was saved with: the text on SQLite,
        the parsed JSON on PostgreSQL."""
        held: Any = self.stored if isinstance(stored, str | bytes) else self.position.stored
        return bool(stored == held)


class RecentPositions:
    """A bounded copy per session, least recently saved dropped first; safe across the event
    loop and the database threads."""

    def __init__(
        self,
        capacity: int = CAPACITY,
        max_idle: float = MAX_IDLE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.capacity = capacity
        self.max_idle = max_idle
        self.clock = clock
        self._copies: OrderedDict[str, Recent] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._copies)

    def get(self, session_id: str, revision: object) -> Recent | None:
        with self._lock:
            self._drop_idle()
            recent = self._copies.get(session_id)
        if recent is None or recent.revision != revision:
            return None
        return recent

    def put(
        self,
        session_id: str,
        stored: str,
        position: Position,
        counted: Any,
        version: str | None,
        revision: object,
    ) -> None:
        recent = Recent(stored, position, counted, version, revision, self.clock())
        with self._lock:
            self._copies[session_id] = recent
            self._copies.move_to_end(session_id)
            while len(self._copies) > self.capacity:
                self._copies.popitem(last=False)
            self._drop_idle()

    def forget(self, *session_ids: str) -> None:
        with self._lock:
            for session_id in session_ids:
                self._copies.pop(session_id, None)

    def _drop_idle(self) -> None:
        """The oldest first, so this stops at the first copy still fresh."""
        oldest_kept = self.clock() - self.max_idle
        while self._copies:
            session_id, recent = next(iter(self._copies.items()))
            if recent.saved_at >= oldest_kept:
                return
            del self._copies[session_id]
