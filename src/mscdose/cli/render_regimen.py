"""Rich output for ``mscdose regimen``, and writing its calendar file."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from mscdose.text.display import format_dose, format_quantity, format_range, format_span

if TYPE_CHECKING:
    from rich.console import Console

    from mscdose.models import Range
    from mscdose.schedule.model import DayRange
    from mscdose.schedule.regimen import Administration, RegimenPlan


def _count(r: Range | None, ascii: bool) -> str:
    return "—" if r is None else format_range(r.low, r.high, ascii=ascii)


def _day(r: DayRange, ascii: bool) -> str:
    return format_span(r.low, r.high, ascii=ascii)


def _date(a: Administration) -> str:
    if a.date is None:
        return ""
    low, high = a.date.low, a.date.high
    return str(low) if low == high else f"{low} to {high}"


def render_regimen(result: RegimenPlan, *, ascii: bool = False, out: Console | None = None) -> None:
    """The course as people read it: a summary, one row per administration, the arithmetic."""
    from rich.table import Table

    # imported on first use, to keep start-up fast
    from mscdose.cli.output import console

    out = out or console()
    d = result.dose
    facts = Table(show_header=False, box=None, pad_edge=False)
    facts.add_column(style="bold")
    facts.add_column()
    dose_text = format_dose(d.low, d.high, d.basis, d.cells, ascii=ascii)
    facts.add_row(
        "dose",
        "varies (see each administration)"
        if result.varying_doses
        else f"{dose_text} per administration",
    )
    facts.add_row("schedule", result.schedule.description)
    p = result.patient
    who = [
        f"{format_quantity(p.weight_kg)} kg" if p.weight_kg is not None else "",
        f"BSA {format_quantity(p.bsa_m2)} m²" if p.bsa_m2 is not None else "",
    ]
    if any(who):
        facts.add_row("patient", ", ".join(w for w in who if w))
    if result.route:
        facts.add_row("route", result.route)
    if result.start:
        facts.add_row("start", str(result.start))
    out.print(facts)
    out.print()

    items = result.administrations
    per_kg = any(a.cells is None for a in items)  # no cells per patient: show cells per kg
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("#", justify="right")
    table.add_column("day", justify="right")
    if result.start:
        table.add_column("date")
    if result.varying_doses:
        table.add_column("dose")
    unit = "cells/kg" if per_kg else "cells"
    table.add_column(unit, justify="right")
    table.add_column(f"cumulative {unit}", justify="right")
    if result.total_vials is not None:
        table.add_column("vials", justify="right")
    for a in items:
        row = [str(a.n), _day(a.day, ascii)]
        if result.start:
            row.append(_date(a))
        if result.varying_doses:
            row.append(
                format_dose(a.dose.low, a.dose.high, a.dose.basis, a.dose.cells, ascii=ascii)
            )
        if per_kg:
            row += [_count(a.cells_per_kg, ascii), _count(a.cumulative_per_kg, ascii)]
        else:
            row += [_count(a.cells, ascii), _count(a.cumulative_cells, ascii)]
        if result.total_vials is not None and a.vials is not None:
            row.append(format_span(a.vials.low, a.vials.high, ascii=ascii))
        table.add_row(*row)
    out.print(table)
    out.print()

    totals = Table(show_header=False, box=None, pad_edge=False)
    totals.add_column(style="bold")
    totals.add_column()
    course = []
    if result.total_cells is not None:
        course.append(f"{_count(result.total_cells, ascii)} cells")
    if result.total_per_kg is not None:
        course.append(f"{_count(result.total_per_kg, ascii)} cells/kg")
    if len(course) == 2:
        course = [f"{course[0]} ({course[1]})"]
    totals.add_row(
        "course total", course[0] if course else "— (give --weight, or --bsa for a per-m² dose)"
    )
    if result.total_vials is not None:
        v = result.total_vials
        totals.add_row("vials", f"{format_span(v.low, v.high, ascii=ascii)} in the course")
    totals.add_row(
        "duration",
        f"{_day(result.duration_days, ascii)} days from the first administration to the last",
    )
    out.print(totals)
    if result.steps:
        out.print()
        for step in result.steps:
            out.print(f"  {step}")


def write_ics(result: RegimenPlan, path: str) -> None:
    """Write the calendar to ``path`` ('-' for stdout); a note on stderr says where it went."""
    from pathlib import Path

    # imported on first use, to keep start-up fast
    from mscdose.errors import InputError
    from mscdose.schedule.ics import regimen_ics

    data = regimen_ics(result)
    if path == "-":
        sys.stdout.write(data.decode("utf-8"))
        return
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise InputError(
            f"cannot write the calendar to {path}: {exc.strerror or exc}",
            given=path,
            hint="give a path in a folder you can write to",
        ) from exc
    n = len(result.administrations)
    print(f"wrote {n} event{'s' if n != 1 else ''} to {path}", file=sys.stderr)
