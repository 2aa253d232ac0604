"""Options shared by several commands, and turning them into core values."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from mscdose.models import Dose, Patient, Vial
    from mscdose.table.index import Table as LoadedTable
    from mscdose.text.vocab import Term


def _completer(kind: str) -> Callable[[str], list[tuple[str, str]]]:
    """Shell completion for a vocabulary: canonical names, then aliases, that start with what
    was typed (case aside), each with its label."""

    def complete(incomplete: str) -> list[tuple[str, str]]:
        # imported on first use, to keep start-up fast
        from mscdose.text import vocab

        terms: Mapping[str, Term] = {
            "route": vocab.ROUTES,
            "indication": vocab.INDICATIONS,
            "source": vocab.SOURCES,
            "population": vocab.POPULATIONS,
        }[kind]  # type: ignore[assignment]  # each a mapping of names to terms
        typed = incomplete.lower()
        names = [(n, t.label) for n, t in terms.items() if n.lower().startswith(typed)]
        if typed:  # aliases only once something is typed: 'iv', 'gvhd', '静脉' …
            seen = {n for n, _ in names}
            for name, term in terms.items():
                for alias in term.aliases:
                    if alias.lower().startswith(typed) and alias not in seen and " " not in alias:
                        names.append((alias, f"{term.label} ({name})"))
                        seen.add(alias)
        return names

    return complete


complete_route = _completer("route")
complete_indication = _completer("indication")
complete_source = _completer("source")
complete_population = _completer("population")

# The same letter means the same option on every command: -r route, -i indication,
# -s schedule, -w weight, -f file, -o output, -j jobs, -h help.
RouteRequired = Annotated[
    str,
    typer.Option(
        "--route",
        "-r",
        help="Route: intravenous, IV, intrathecal, 鞘内 …",
        autocompletion=complete_route,
    ),
]
Route = Annotated[
    str | None,
    typer.Option(
        "--route",
        "-r",
        help="Route; a broader one matches narrower routes (intramyocardial → transendocardial).",
        autocompletion=complete_route,
    ),
]
Indication = Annotated[
    str | None,
    typer.Option(
        "--indication",
        "-i",
        help="Indication: gvhd, 'liver failure', BPD …; a broader one matches narrower ones.",
        autocompletion=complete_indication,
    ),
]
Source = Annotated[
    str | None,
    typer.Option(
        "--source",
        help="Cell source: bone_marrow, umbilical_cord (UC), adipose …",
        autocompletion=complete_source,
    ),
]
Schedule = Annotated[
    str | None,
    typer.Option(
        "--schedule",
        "-s",
        help="'once', 'weekly x4', 'every 4 weeks x3', 'monthly x4', 'twice weekly for 4 weeks', "
        "'4 doses 3-5 days apart', 'days 0,21', 每周一次,连续4次 …",
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Print one JSON document (schema_version 1).")]
Words = Annotated[
    bool, typer.Option("--words", help="Write counts in words: 140 million rather than 1.4 × 10⁸.")
]
Ascii = Annotated[bool, typer.Option("--ascii", help="Write 2x10^6 rather than 2 × 10⁶.")]
Table = Annotated[
    str | None,
    typer.Option(
        "--table",
        envvar="MSCDOSE_TABLE",
        metavar="PATH",
        help="A local table laid over the bundled one (same id replaces; rows marked local); '-' reads it from stdin.",
    ),
]
TableOnly = Annotated[
    bool,
    typer.Option(
        "--table-only", help="Use the --table file alone, not laid over the bundled table."
    ),
]
Weight = Annotated[
    str | None,
    typer.Option("--weight", "-w", help="Body weight: 70, 70kg, 793 g, 154 lb (bare = kg)."),
]
Height = Annotated[
    str | None, typer.Option("--height", help="Height: 170cm, 1.7 m, 67 in (bare = cm).")
]
Bsa = Annotated[
    str | None,
    typer.Option("--bsa", help="Body surface area in m² (else Mosteller from weight and height)."),
]
Age = Annotated[str | None, typer.Option("--age", help="Age with its unit: 34y, 18mo, 10d.")]
PopulationOpt = Annotated[
    str | None,
    typer.Option(
        "--population",
        help="adult, pediatric, neonate or preterm (inferred from age and weight when absent).",
        autocompletion=complete_population,
    ),
]
VialOpt = Annotated[
    str | None,
    typer.Option(
        "--vial",
        help="One vial or bag: '2.5e7 cells', or '6.68e6 cells/mL' with --vial-volume; counts the vials to open.",
    ),
]
VialVolume = Annotated[
    str | None, typer.Option("--vial-volume", help="The volume of one vial or bag: '3.8 mL'.")
]
Rate = Annotated[
    str | None,
    typer.Option(
        "--rate", help="Infusion rate (with --volume, the volume infused): '4 mL/min', '60 mL/h'."
    ),
]
Viability = Annotated[
    str | None, typer.Option("--viability", help="Viable share of the cells: 85% (or 0.85).")
]


def patient_from_options(
    weight: str | None,
    height: str | None,
    bsa: str | None,
    age: str | None = None,
    population: str | None = None,
) -> Patient:
    """Read the patient options (each refusal is a QuantityError naming the likely slip)."""
    # imported on first use, to keep start-up fast
    from mscdose.dose.conversion import make_patient
    from mscdose.text.units import parse_age, parse_bsa, parse_height, parse_weight

    pop = None
    if population is not None:
        # imported on first use, to keep start-up fast
        from mscdose.text.vocab import resolve_population

        pop = resolve_population(population)
    return make_patient(
        weight_kg=parse_weight(weight) if weight is not None else None,
        height_cm=parse_height(height) if height is not None else None,
        bsa_m2=parse_bsa(bsa) if bsa is not None else None,
        age_years=parse_age(age) if age is not None else None,
        population=pop,
    )


def load(table: str | None, *, only: bool = False) -> LoadedTable:
    """The table ``--table`` names (a path, or ``-`` for stdin) laid over the bundled one, or
    alone with ``only`` (``--table-only``); the bundled one for None."""
    # imported on first use, to keep start-up fast
    from mscdose.table.overlay import load_with_local, overlay

    if table != "-":
        return load_with_local(table, only=only)
    import sys
    from pathlib import Path

    # imported on first use, to keep start-up fast
    from mscdose.errors import TableError
    from mscdose.table.load import bundled_table_path, load_table, parse_table

    buffer = getattr(sys.stdin, "buffer", None)
    data = buffer.read(MAX_TABLE + 1) if buffer is not None else sys.stdin.read().encode()
    if len(data) > MAX_TABLE:
        raise TableError([f"<stdin>: more than {MAX_TABLE >> 20} MB: not a regimens.yaml"])
    local = parse_table(data, Path("<stdin>"))
    return local if only else overlay(load_table(bundled_table_path()), local)


MAX_TABLE = 64 << 20  # the bundled table is ~100 kB


def vial_from_options(vial: str | None, volume: str | None) -> Vial | None:
    """The vial ``--vial`` and ``--vial-volume`` describe, if any."""
    # imported on first use, to keep start-up fast
    from mscdose.dose.vials import vial_contents
    from mscdose.errors import InputError, MscdoseError
    from mscdose.text.grammar import parse_dose
    from mscdose.text.units import parse_volume

    if vial is None:
        if volume is not None:
            raise InputError(
                "--vial-volume needs --vial (what one vial holds)",
                hint="e.g. --vial '6.68e6 cells/mL' --vial-volume '3.8 mL'",
            )
        return None
    try:
        dose = parse_dose(vial)
    except MscdoseError as exc:  # say which option: the message speaks of 'the dose'
        raise InputError(f"--vial: {exc.message}", given=vial, hint=exc.hint) from None
    return vial_contents(dose, None if volume is None else parse_volume(volume))


Assume = Annotated[
    bool,
    typer.Option(
        "--assume",
        help="Take the likely reading of a refused dose (2 × 106/kg as 2 × 10⁶/kg); every output says so.",
    ),
]
Ucum = Annotated[
    bool,
    typer.Option("--ucum", help="Read UCUM units as FHIR writes them: 10*6/kg, 10*6{cells}/kg."),
]


def dose_from_options(
    text: str, *, assume: bool = False, ucum: bool = False
) -> tuple[Dose, str | None]:
    """The dose argument read strictly; with ``assume``, a refused one read as extract would
    read it, with the reason it needed (else None)."""
    # imported on first use, to keep start-up fast
    from mscdose.errors import DoseSyntaxError
    from mscdose.text.grammar import parse_dose

    try:
        return parse_dose(text, ucum=ucum), None
    except DoseSyntaxError:
        if not assume:
            raise
    # imported on first use, to keep start-up fast
    from mscdose.extraction.assume import assume as assumed_reading

    return assumed_reading(text)
