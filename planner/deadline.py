"""A day's deadline: `--time-limit` bounds a day's whole search for a menu, not each model it solves."""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass
class DayClock:
    """A day's deadline for its search: each solve may take what is left of it, and `cut` records that the
    search was stopped by it (a menu found then is the best so far, not the best the rules allow)."""

    deadline: float
    seconds: float
    cut: bool = False

    @classmethod
    def start(cls, seconds: float) -> DayClock:
        return cls(time.perf_counter() + seconds, seconds)

    def up(self) -> bool:
        if time.perf_counter() >= self.deadline:
            self.cut = True
        return self.cut

    def left(self, limit: float) -> float:
        # Never nothing: a solve stopped before its first step has no menu to give.
        return max(min(limit, self.deadline - time.perf_counter()), min(limit, 0.1))

    def again(self) -> DayClock:
        """The loosest rules' one more search, when the day's time ran out with no menu."""
        if not self.up():
            return self
        return DayClock(time.perf_counter() + self.seconds, self.seconds, cut=True)
