"""Faults on demand for the fake Trello: 5xx, 429 bursts, answers that are no JSON,
slow answers and connections dropped after the write was made, armed one by one or
as chaos (a share of all requests failing at random)."""

from __future__ import annotations

import random
import threading
from collections import deque
from dataclasses import dataclass


@dataclass
class Fault:
    """A fault for the next matching requests."""

    kind: str  # "status", "delay", "drop", "garble"
    remaining: int
    status: int = 500
    seconds: float = 0.0
    retry_after: str | None = None
    skip: int = 0  # let this many matching requests through first
    method: str | None = None
    path: str | None = None

    def matches(self, method: str, path: str) -> bool:
        """Whether this fault applies to the request."""
        if self.method and self.method != method:
            return False
        return not self.path or path.startswith(self.path)


class FaultInjection:
    """The fault queue and chaos of a fake server (FakeTrello); guarded by its lock."""

    lock: threading.RLock

    def __init__(self) -> None:
        self.faults: deque[Fault] = deque()
        self.chaos_share, self.chaos_delay = 0.0, 0.0
        self.rng = random.Random(0)

    def fail_next(
        self, n: int, status: int = 500, *, skip: int = 0, **where: str
    ) -> None:
        """The next *n* matching requests (after *skip*) answer *status*, do nothing."""
        self.faults.append(Fault("status", n, status=status, skip=skip, **where))

    def rate_limit_next(self, n: int, retry_after: float | None = None) -> None:
        """A burst of 429s, as when another process used the token's window up."""
        after = None if retry_after is None else str(retry_after)
        self.faults.append(Fault("status", n, status=429, retry_after=after))

    def garble_next(self, n: int = 1, **where: str) -> None:
        """The next *n* matching requests answer 200 with a body that is no JSON."""
        self.faults.append(Fault("garble", n, **where))

    def delay_next(self, n: int, seconds: float, **where: str) -> None:
        """The next *n* matching requests are slow (a client timeout)."""
        self.faults.append(Fault("delay", n, seconds=seconds, **where))

    def drop_next(self, n: int = 1, **where: str) -> None:
        """Do the next *n* matching requests, then hang up without an answer."""
        self.faults.append(Fault("drop", n, **where))

    def chaos(self, share: float, *, delay: float = 0.0, seed: int = 0) -> None:
        """From now on about *share* of all requests fail, each in a random way.

        429 (with Retry-After: 0), 500/502/503 before anything was done, an answer
        slower than the client waits (*delay*; the write is still made), or the
        connection dropped after the write was made. share=0 ends it.
        """
        with self.lock:
            self.chaos_share, self.chaos_delay = share, delay
            self.rng = random.Random(seed)

    def take_fault(self, method: str, path: str) -> Fault | None:
        """The fault for this request, if one is armed."""
        with self.lock:
            for fault in self.faults:
                if fault.remaining > 0 and fault.matches(method, path):
                    if fault.skip > 0:
                        fault.skip -= 1
                        continue
                    fault.remaining -= 1
                    return fault
            if self.chaos_share and self.rng.random() < self.chaos_share:
                return self._random_fault()
        return None

    def _random_fault(self) -> Fault:
        kinds = ["429", "500", "502", "503", "drop"]
        if self.chaos_delay:
            kinds.append("delay")
        kind = self.rng.choice(kinds)
        if kind == "429":
            return Fault("status", 1, status=429, retry_after="0")
        if kind in ("drop", "delay"):
            return Fault(kind, 1, seconds=self.chaos_delay)
        return Fault("status", 1, status=int(kind))
