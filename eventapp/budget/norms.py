"""The national caps on conference spending, seeded as editable norms (each province sets its own rates)."""

from __future__ import annotations


def default_norms() -> list[dict]:
    """The caps to seed (DOMAIN.md): ``eventapp.demo.data.SPENDING_NORMS``, each labelled with its source."""
    from ..demo.data import SPENDING_NORMS

    return [dict(n) for n in SPENDING_NORMS]
