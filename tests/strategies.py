"""Hypothesis strategies shared by the test modules: rows as `mscdose batch` reads them."""

from __future__ import annotations

from hypothesis import strategies as st

from mscdose.table.load import load_table


def _names(attr: str) -> list[str]:
    """Every name the bundled table uses for ``attr`` (route, indication, source, population)."""
    return sorted({getattr(s, attr) for s in load_table().rows})


_number = st.floats(0.5, 9.9).map(lambda x: f"{x:.3g}")
_dose = st.builds(
    lambda a, b, e, form, basis: form.format(a=a, lo=min(a, b), hi=max(a, b), e=e) + basis,
    _number,
    _number,
    st.integers(3, 10),
    st.sampled_from(
        [
            "{a}e{e}",
            "{a}x10^{e} cells",
            "{lo}-{hi}x10^{e}",
            "{a} million",
            "{a}x10^{e} viable cells",
        ]
    ),
    st.sampled_from(["", "/kg", "/m2", " per patient", "/cm2", "/mL"]),
)
_optional = st.one_of(st.none(), st.just(""))
# a row with every column a check reads; "" is a column left empty
check_rows = st.fixed_dictionaries(
    {
        "dose": _dose,
        "route": st.sampled_from([*_names("route"), "iv", "it", "静脉"]),
        "indication": st.one_of(_optional, st.sampled_from(_names("indication"))),
        "source": st.one_of(_optional, st.sampled_from(_names("source"))),
        "population": st.one_of(_optional, st.sampled_from(_names("population"))),
        "weight": st.one_of(
            _optional,
            st.sampled_from(["0.7", "0.793", "2.1", "3.4"]),
            st.floats(0.45, 150).map(lambda w: f"{w:.2f}"),
        ),
        "height": st.one_of(_optional, st.floats(40, 200).map(lambda h: f"{h:.0f} cm")),
        "age": st.one_of(_optional, st.sampled_from(["10 days", "3", "34", "70"])),
        "viability": st.one_of(_optional, st.integers(40, 100).map(lambda v: f"{v}%")),
        "volume": st.one_of(_optional, st.sampled_from(["2 mL", "20 mL", "100 mL"])),
        "dmso": st.one_of(_optional, st.sampled_from(["5%", "10%"])),
        "rate": st.one_of(_optional, st.sampled_from(["4 mL/min", "60 mL/h", "0.2 mL/min"])),
        "schedule": st.one_of(
            _optional,
            st.sampled_from(
                [
                    "weekly x4",
                    "twice weekly for 4 weeks",
                    "every 4 weeks x3",
                    "single dose",
                    "4 doses 3-5 days apart",
                    "daily x5",
                ]
            ),
        ),
    }
).map(lambda row: {k: v for k, v in row.items() if v is not None})
