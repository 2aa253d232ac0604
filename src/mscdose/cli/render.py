"""Rich output for people. Each function takes a result model and an optional Console."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mscdose.text.display import format_quantity, format_range, format_span, unit_label

if TYPE_CHECKING:
    from rich.console import Console

    from mscdose.models import Conversion, Range


def _cells(r: Range | None, basis: str, cells: str, ascii: bool) -> str:
    if r is None:
        return "-" if ascii else "—"
    return f"{format_range(r.low, r.high, ascii=ascii)} {unit_label(basis, cells, ascii=ascii)}"


def render_conversion(
    result: Conversion, *, ascii: bool = False, out: Console | None = None
) -> None:
    from rich.table import Table

    # imported on first use, to keep start-up fast
    from mscdose.cli.output import console

    out = out or console()
    d = result.dose
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("dose", result.display)
    p = result.patient
    facts = []
    if p.weight_kg is not None:
        facts.append(f"{format_quantity(p.weight_kg)} kg")
    if p.height_cm is not None:
        facts.append(f"{format_quantity(p.height_cm)} cm")
    if p.bsa_m2 is not None:
        facts.append(f"BSA {format_quantity(p.bsa_m2)} {'m2' if ascii else 'm²'}")
    if facts:
        table.add_row("patient", ", ".join(facts))
    table.add_row("per administration", _cells(result.per_patient, "per_patient", d.cells, ascii))
    table.add_row("per kg", _cells(result.per_kg, "per_kg", d.cells, ascii))
    table.add_row("per m2" if ascii else "per m²", _cells(result.per_m2, "per_m2", d.cells, ascii))
    if result.viable_per_patient is not None:
        table.add_row("viable", _cells(result.viable_per_patient, "per_patient", "viable", ascii))
    if result.volume_ml_per_kg is not None:
        table.add_row("volume", f"{format_quantity(result.volume_ml_per_kg)} mL/kg")
    if result.dmso_g_per_kg is not None:
        table.add_row("DMSO", f"{format_quantity(result.dmso_g_per_kg)} g/kg (limit 1 g/kg/day)")
    if result.total_per_patient is not None:
        total = _cells(result.total_per_patient, "per_patient", "total", ascii)
        table.add_row("total to give", total)
    if result.vials is not None:
        v = result.vials
        count = format_span(v.count.low, v.count.high, ascii=ascii)
        unit = unit_label("per_patient", v.vial.kind, ascii=ascii)
        each = format_range(v.vial.cells, v.vial.cells, ascii=ascii)
        table.add_row("vials", f"{count} (each {each} {unit})")
        table.add_row("left over", _cells(v.left_over, "per_patient", v.vial.kind, ascii))
        if v.draw_ml is not None:
            table.add_row("draw", f"{format_span(v.draw_ml.low, v.draw_ml.high, ascii=ascii)} mL")
    if result.infusion_min is not None:
        table.add_row("infusion", f"{format_quantity(result.infusion_min)} min")
    out.print(table)
    if result.steps:
        out.print()
        for step in result.steps:
            out.print(f"  {step}")
