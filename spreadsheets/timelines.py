"""What a deliverable said as of a date, for the status import to compare a
row with: its saved history, with the file's rows added as they are planned.
"""

import bisect
import datetime
import math
from dataclasses import dataclass, field

from deliverables.models import Status, StatusUpdate


@dataclass(frozen=True)
class StatusSnapshot:
    """What a status update says, for comparing a row with the history."""

    status: str
    progress: int | None
    narrative: str
    links: tuple[str, ...]

    @classmethod
    def of(cls, update: StatusUpdate | None) -> "StatusSnapshot":
        if update is None:
            return cls(Status.NOT_STARTED, None, "", ())
        return cls(
            update.status, update.progress_value, update.narrative.strip(), tuple(update.evidence_links)
        )


@dataclass(frozen=True)
class Statement:
    """A snapshot as of a date; `order` places statements of the same date."""

    as_of: datetime.date
    order: float
    snapshot: StatusSnapshot

    def key(self) -> tuple[datetime.date, float]:
        return (self.as_of, self.order)


@dataclass
class Timeline:
    """A deliverable's statements in "as of" order, with the rows of the file
    added as they are planned, to answer "what did it say as of this date?"."""

    entries: list[Statement] = field(default_factory=list)  # sorted by key()
    _order: int = 0

    def add(self, as_of: datetime.date, snapshot: StatusSnapshot, order: int | None = None) -> None:
        self._order += 1
        # A row of the file comes after every saved statement of its date.
        order = order if order is not None else 10**9 + self._order
        bisect.insort(self.entries, Statement(as_of, order, snapshot), key=Statement.key)

    def as_of(self, date: datetime.date | None) -> StatusSnapshot:
        if not self.entries:
            return StatusSnapshot.of(None)
        if date is None:
            return self.entries[-1].snapshot
        index = bisect.bisect_right(self.entries, (date, math.inf), key=Statement.key)
        return self.entries[index - 1].snapshot if index else StatusSnapshot.of(None)

    def latest_date(self) -> datetime.date | None:
        return self.entries[-1].as_of if self.entries else None
