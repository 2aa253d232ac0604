"""Body size for dosing: predicted body weight (ARDSNet), the weight ARDS trials dose by."""

from __future__ import annotations

from typing import Literal

from mscdose.errors import QuantityError

Sex = Literal["male", "female"]


def predicted_body_weight(height_cm: float, sex: Sex) -> float:
    """Predicted body weight in kg (ARDSNet: 50 or 45.5 kg + 0.91 × (height in cm − 152.4)),
    the weight the START trials dosed MSC per kg of.

    >>> round(predicted_body_weight(170, "male"), 1), round(predicted_body_weight(160, "female"), 1)
    (66.0, 52.4)
    """
    base = {"male": 50.0, "female": 45.5}.get(sex)
    if base is None:
        raise QuantityError(
            f"sex {sex!r} is not male or female",
            given=str(sex),
            hint="write --sex male or --sex female",
        )
    weight = base + 0.91 * (height_cm - 152.4)
    if weight <= 0:
        raise QuantityError(
            f"no predicted body weight for a height of {height_cm:g} cm",
            given=str(height_cm),
            hint="check --height",
        )
    return weight


def read_sex(text: str) -> Sex:
    """'male', 'M', 'man', 'female', 'F', 'woman' (and 男/女) → male or female."""
    key = text.strip().casefold()
    if key in ("male", "m", "man", "男", "男性"):
        return "male"
    if key in ("female", "f", "woman", "女", "女性"):
        return "female"
    raise QuantityError(
        f"sex {text!r} is not male or female", given=text, hint="write --sex male or --sex female"
    )
