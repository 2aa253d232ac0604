"""A regimen's administrations as an iCalendar file (``regimen --ics``)."""

from __future__ import annotations

import datetime as dt
import hashlib

from icalendar import Calendar, Event

from mscdose._version import DISCLAIMER
from mscdose.errors import ScheduleError
from mscdose.schedule.regimen import RegimenPlan
from mscdose.text.display import format_range, unit_label


def regimen_ics(result: RegimenPlan, *, summary: str = "MSC administration") -> bytes:
    """The administrations as all-day iCalendar events; a window gets its earliest date and
    says the window in its summary and description."""
    if result.start is None:
        raise ScheduleError("a calendar needs a start date", hint="give --start YYYY-MM-DD")
    cal = Calendar()
    cal.add("prodid", "-//mscdose//regimen//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    key = f"{result.input}|{result.schedule.text}|{result.start}".encode()
    digest = hashlib.sha256(key).hexdigest()[:12]
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    count = len(result.administrations)
    for a in result.administrations:
        if a.date is None:  # pragma: no cover - every administration has a date with a start
            raise ScheduleError("a calendar needs a start date", hint="give --start YYYY-MM-DD")
        what = (
            f"{format_range(a.cells.low, a.cells.high)} cells"
            if a.cells is not None
            else f"{format_range(a.dose.low, a.dose.high)} {unit_label(a.dose.basis, a.dose.cells)}"
        )
        lines = [
            f"Administration {a.n} of {count}: {what}",
            f"Schedule: {result.schedule.description}",
        ]
        if a.cumulative_cells is not None:
            c = a.cumulative_cells
            lines.append(f"Cumulative: {format_range(c.low, c.high)} cells")
        elif a.cumulative_per_kg is not None:
            c = a.cumulative_per_kg
            lines.append(f"Cumulative: {format_range(c.low, c.high)} cells/kg")
        title = f"{summary} {a.n}/{count}"
        if not a.day.is_point:
            title += f" (window to {a.date.high})"
            lines.append(
                f"Window: {a.date.low} to {a.date.high} (day {a.day} after the first "
                "administration); this event is on the earliest date"
            )
        if result.route:
            lines.append(f"Route: {result.route}")
        lines.append(DISCLAIMER)
        event = Event()
        event.add("uid", f"mscdose-{digest}-{a.n}@mscdose")
        event.add("dtstamp", stamp)
        event.add("dtstart", a.date.low)
        event.add("dtend", a.date.low + dt.timedelta(days=1))
        event.add("summary", title)
        event.add("description", "\n".join(lines))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return bytes(cal.to_ical())
