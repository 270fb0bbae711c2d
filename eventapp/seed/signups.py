"""Registrations of the demo: agents sign up, some cancel, waiting lists move, never overbooked.

Each event's sign-ups and cancellations are replayed in time order with the same rules as the
real service (confirmed while seats are left, then the waiting list if the event has one; a
cancelled seat goes to the first person waiting), so the figures are consistent by construction.
"""
import random
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..models import EventStatus, RegistrationMode, RegistrationStatus
from . import content
from .events import PlannedEvent

R = RegistrationStatus
CANCEL_SHARE = 0.08
ATTENDANCE_SHARE = 0.82


@dataclass(frozen=True)
class AgentInfo:
    id: int
    region_code: str
    administration: str
    job_title: str


class SignupSimulator:
    """Builds the registration rows of events from a pool of agents."""

    def __init__(self, rng: random.Random, agents: list[AgentInfo]):
        self.rng = rng
        self.agents = agents
        self.by_region: dict[str, list[int]] = {}
        for index, agent in enumerate(agents):
            self.by_region.setdefault(agent.region_code, []).append(index)

    def rows_for(self, planned: PlannedEvent, event_id: int, opens_at: datetime, archive: bool) -> list[dict]:
        row = planned.row
        if row["registration_mode"] != RegistrationMode.INTERNAL or row["status"] not in (
            EventStatus.PUBLISHED, EventStatus.CANCELLED
        ):
            return []
        rng = self.rng
        opens_at = max(opens_at, row["published_at"]) + timedelta(hours=1)
        closes_at = min(d for d in (row["registration_deadline"], row["starts_at"], row["cancelled_at"]) if d)
        closes_at -= timedelta(minutes=30)
        if closes_at <= opens_at or not self.agents:
            return []
        capacity = row["capacity"]
        waiting_room = max(5, capacity // 2) if capacity and row["has_waiting_list"] else 0
        wanted = planned.demand if capacity is None else min(planned.demand, capacity + waiting_room + capacity // 5 + 5)
        people = self._candidates(wanted, row["region_code"], row["mode"].value != "en-ligne")

        span = (closes_at - opens_at).total_seconds()
        # Most people sign up soon after the programme is out, then a long tail.
        times = sorted(opens_at + timedelta(seconds=int(span * rng.random() ** 1.8)) for _ in people)
        cancel_limit = min(d for d in (row["starts_at"], row["cancelled_at"]) if d) - timedelta(minutes=10)
        actions = []
        for index, moment in enumerate(times):
            actions.append((moment, 0, index))
            if rng.random() < CANCEL_SHARE and cancel_limit > moment:
                later = moment + timedelta(seconds=int((cancel_limit - moment).total_seconds() * rng.random()))
                actions.append((later, 1, index))
        actions.sort()

        records: dict[int, dict] = {}
        confirmed = 0
        waiting: deque[int] = deque()
        for moment, kind, index in actions:
            if kind == 0:
                if capacity is None or confirmed < capacity:
                    records[index] = self._record(event_id, people[index], R.CONFIRMED, moment)
                    confirmed += 1
                elif len(waiting) < waiting_room:
                    records[index] = self._record(event_id, people[index], R.WAITLISTED, moment)
                    waiting.append(index)
                continue
            record = records.get(index)
            if record is None or record["status"] == R.CANCELLED:
                continue
            if record["status"] == R.WAITLISTED:
                waiting.remove(index)
            else:
                confirmed -= 1
                if waiting:
                    promoted = records[waiting.popleft()]
                    promoted.update(status=R.CONFIRMED, confirmed_at=moment, promoted_at=moment)
                    confirmed += 1
            record.update(status=R.CANCELLED, cancelled_at=moment)

        rows = [records[i] for i in sorted(records, key=lambda i: (records[i]["created_at"], i))]
        if archive:
            self._record_attendance(rows, planned)
        return rows

    def _candidates(self, wanted: int, region_code: str, in_person: bool) -> list[AgentInfo]:
        """Mostly people of the region for events on site; from anywhere for online ones."""
        rng = self.rng
        wanted = min(wanted, len(self.agents))
        local_pool = self.by_region.get(region_code, [])
        local = min(len(local_pool), int(wanted * (0.75 if in_person else 0.1)))
        chosen = rng.sample(local_pool, local)
        taken = set(chosen)
        for index in rng.sample(range(len(self.agents)), min(len(self.agents), wanted + local)):
            if len(chosen) >= wanted:
                break
            if index not in taken:
                taken.add(index)
                chosen.append(index)
        return [self.agents[i] for i in chosen]

    def _record(self, event_id: int, agent: AgentInfo, status: RegistrationStatus, moment: datetime) -> dict:
        rng = self.rng
        return dict(
            event_id=event_id, user_id=agent.id, status=status,
            administration=agent.administration, job_title=agent.job_title,
            accessibility_needs=rng.choice(content.ACCESSIBILITY_NEEDS) if rng.random() < 0.03 else None,
            shares_answers=rng.random() < 0.85, attended=None, created_at=moment,
            confirmed_at=moment if status == R.CONFIRMED else None,
            waitlisted_at=moment if status == R.WAITLISTED else None,
            promoted_at=None, cancelled_at=None, reminder_sent_at=None, anonymised_at=None,
        )

    def _record_attendance(self, rows: list[dict], planned: PlannedEvent) -> None:
        """Past edition: organisers recorded who came; reminders went out the day before."""
        if planned.row["status"] != EventStatus.PUBLISHED:
            return
        reminder_at = planned.row["starts_at"] - timedelta(days=1)
        for row in rows:
            if row["status"] == R.CONFIRMED:
                row["attended"] = self.rng.random() < ATTENDANCE_SHARE
                if row["confirmed_at"] <= reminder_at:
                    row["reminder_sent_at"] = reminder_at
