"""The library builds its results without validation (see mscdose.models): each one is exactly
what validation would build, types included, and ``json_ready`` writes what pydantic's own
serializer writes, for every command's --json document."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

import mscdose
from mscdose.models import Frozen, json_ready
from tests.conftest import run_cli
from tests.strategies import check_rows


def _typed(value: Any) -> Any:
    """``value`` with the type of each part beside it, so that 70 and 70.0 differ."""
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        return type(value), {name: _typed(getattr(value, name)) for name in fields}
    if isinstance(value, (list, tuple)):
        return type(value), [_typed(v) for v in value]
    if isinstance(value, dict):
        return dict, {k: _typed(v) for k, v in value.items()}
    return type(value), value


def assert_as_validated(model: BaseModel) -> None:
    again = type(model).model_validate(model.model_dump())
    assert _typed(model) == _typed(again)
    assert json_ready(model) == model.model_dump(mode="json")


def _documents(*args: str) -> list[Frozen]:
    """The models a command hands to ``emit_json`` (its output is still written)."""
    from mscdose.cli import output

    seen: list[Frozen] = []
    emit = output.emit_json

    def keep(document: Any) -> None:
        seen.append(document)
        emit(document)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(output, "emit_json", keep)
        run_cli(*args, "--json", expect=None)
    return seen


def _check_args(row: dict[str, str]) -> list[str]:
    args = ["check", row["dose"], "--route", row["route"]]
    for key, value in row.items():
        if key not in ("dose", "route") and value:
            args += [f"--{key}", value]
    return args


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(check_rows, st.sampled_from([[], ["--include-unconfirmed"], ["--margin", "20%"]]))
def test_check_reports_are_what_validation_builds(row: dict[str, str], extra: list[str]) -> None:
    for document in _documents(*_check_args(row), *extra):
        assert_as_validated(document)


_VIALS = [
    [],
    ["--vial", "72e6 cells"],
    ["--vial", "6.68e6 cells/mL", "--vial-volume", "3.8 mL"],
    ["--vial", "3e7 viable cells", "--vial-volume", "6"],
]


@settings(max_examples=200, deadline=None)
@given(check_rows, st.sampled_from(["", "4 cm2"]), st.sampled_from(_VIALS))
def test_conversions_are_what_validation_builds(
    row: dict[str, str], area: str, vial: list[str]
) -> None:
    args = ["convert", row["dose"], *vial]
    for key in ("weight", "height", "viability", "volume", "dmso", "rate"):
        if row.get(key):
            args += [f"--{key}", row[key]]
    for document in _documents(*args, *(["--area", area] if area else [])):
        assert_as_validated(document)


_SCHEDULES = [
    "once",
    "weekly x4",
    "every 4 weeks x3",
    "monthly x4",
    "twice weekly for 4 weeks",
    "4 doses 3-5 days apart",
    "days 0,21",
    "daily x5 (at least 1 day apart)",
    "每周一次,连续4次",
]


@settings(max_examples=150, deadline=None)
@given(
    check_rows,
    st.sampled_from(_SCHEDULES),
    st.sampled_from(["", "2026-01-31"]),
    st.sampled_from(["", "then 6e6/kg at day 21"]),
    st.sampled_from(_VIALS),
)
def test_regimen_plans_are_what_validation_builds(
    row: dict[str, str], schedule: str, start: str, then: str, vial: list[str]
) -> None:
    args = ["regimen", f"{row['dose']} {then}".strip(), "--schedule", schedule, *vial]
    for key in ("weight", "height"):
        if row.get(key):
            args += [f"--{key}", row[key]]
    for document in _documents(*args, *(["--start", start] if start else [])):
        assert_as_validated(document)


def test_extractions_are_what_validation_builds() -> None:
    """Every text of the extraction corpus (tests/data/extract_corpus.jsonl)."""
    import json
    from pathlib import Path

    corpus = Path(__file__).parent / "data" / "extract_corpus.jsonl"
    texts = [json.loads(line)["text"] for line in corpus.read_text(encoding="utf-8").splitlines()]
    assert len(texts) > 200
    for text in texts:
        assert_as_validated(mscdose.extract(text))


def test_the_commands_hand_over_their_models() -> None:
    """The properties above are not empty: a good row gives one model per command."""
    assert (
        len(
            _documents("check", "2e6/kg", "--route", "iv", "--indication", "gvhd", "--weight", "70")
        )
        == 1
    )
    assert len(_documents("convert", "2e6/kg", "--weight", "70")) == 1


def test_whole_numbers_from_python_callers_become_floats() -> None:
    """Validation turned ``weight_kg=70`` into 70.0; the JSON must still say 70.0."""
    report = mscdose.check(
        "2e6/kg",
        "IV",
        indication="GVHD",
        weight_kg=70,
        height_cm=170,
        age_years=34,
        viability=1,
        margin=0,
    )
    assert_as_validated(report)
    conversion = mscdose.convert(
        "2e6/kg", weight_kg=70, height_cm=170, viability=1, volume_ml=10, area_cm2=4
    )
    assert_as_validated(conversion)
    assert conversion.patient.weight_kg == 70.0
    assert isinstance(conversion.patient.weight_kg, float)


@pytest.mark.parametrize(
    "args",
    [
        ("regimen", "2e6/kg", "--schedule", "weekly x4", "--weight", "20", "--start", "2026-01-05"),
        ("extract", "MSCs at 2 × 10^6 cells/kg, then 1-2x10^8 cells per patient"),
        ("studies",),
        ("show", "hare-2012-poseidon"),
        ("ranges",),
        ("routes",),
        ("indications",),
        (
            "check",
            "1e6/kg",
            "--route",
            "iv",
            "--schedule",
            "twice weekly for 4 weeks",
            "--weight",
            "0.793",
        ),
    ],
)
def test_json_ready_writes_what_pydantic_writes(args: tuple[str, ...]) -> None:
    documents = _documents(*args)
    assert len(documents) == 1
    assert json_ready(documents[0]) == documents[0].model_dump(mode="json")


@pytest.mark.parametrize(
    "args",
    [
        ["convert", "2e6/kg", "--weight", "70", "--json"],
        ["check", "2e6/kg", "--route", "iv", "--indication", "gvhd", "--weight", "70"],
        ["check", "2e6/kg", "--route", "iv", "--weight", "70", "--json", "--schedule", "weekly x4"],
        ["regimen", "2e6/kg", "--schedule", "weekly x4", "--weight", "20", "--start", "2026-01-05"],
        ["extract", "MSCs at 2 × 10^6 cells/kg, then 1-2x10^8 cells per patient", "--json"],
    ],
)
def test_commands_build_no_pydantic_validator(args: list[str]) -> None:
    """Start-up: the first validator or serializer build loads pydantic's plugin scan
    (importlib.metadata, ~15 ms). A fresh interpreter shows whether a command paid for it,
    once the validated table is cached (the first run of all validates regimens.yaml)."""
    import subprocess
    import sys

    probe = (
        "import sys; from mscdose.cli import main; code = main(sys.argv[1:]); "
        "assert 'pydantic.plugin._loader' not in sys.modules, 'a validator was built'; "
        "sys.exit(code)"
    )
    subprocess.run([sys.executable, "-m", "mscdose", *args], capture_output=True, check=False)
    done = subprocess.run(
        [sys.executable, "-c", probe, *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
