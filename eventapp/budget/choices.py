"""SelectField options as wtforms SelectChoice objects (tuples are deprecated since wtforms 3.3)."""

from __future__ import annotations

from wtforms.fields.choices import SelectChoice


def options(pairs) -> list[SelectChoice]:
    """[(value, label), ...] -> [SelectChoice(value, label), ...]."""
    return [SelectChoice(value, label) for value, label in pairs]
