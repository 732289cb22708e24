"""The threads that run a process's database work off the event loop: respondents' writes
everywhere, and their reads on PostgreSQL (`AppState.read`).

Starlette's `run_in_threadpool` goes through anyio: a capacity limiter, run variables, and a
worker queue built on `threading.Condition`, about a sixth of an answer's CPU in a profile
(docs/benchmarks.md). A plain `ThreadPoolExecutor` hands work over on a C queue, and
`loop.run_in_executor` takes the result back with one wake-up of the loop.

On SQLite the pool has one thread: SQLite admits one writer at a time anyway, so the writes of
a process queue here instead of at the turn lock (app/db/, which stays for writes made
elsewhere); reads there run inline (`AppState.read`). On PostgreSQL, whose writers run side by
side, it has as many threads as the connection pool can hand out.
"""

import asyncio
import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

Args = ParamSpec("Args")
Result = TypeVar("Result")


class DatabaseThreads:
    def __init__(self, threads: int) -> None:
        self.threads = threads
        self._executor: ThreadPoolExecutor | None = None

    async def __call__(
        self, function: Callable[Args, Result], *args: Args.args, **kwargs: Args.kwargs
    ) -> Result:
        """`function(*args)` on one of these threads, with the request's context variables
        (its locale), as run_in_threadpool would run it."""
        if self._executor is None:
            # Made at the first write, in the process that serves (never before a fork).
            self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix="db")
        context = contextvars.copy_context()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self._executor, lambda: context.run(function, *args, **kwargs)
        )

    def shutdown(self) -> None:
        """Lets the work in flight finish (at the app's shutdown)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
