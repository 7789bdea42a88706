"""The verbs of the budget: lines, totals against the approved budget, norms (its documents: ``documents.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from .. import audit, text
from ..extensions import db
from ..forms import options
from ..models import BudgetCategory, BudgetLine, Conference, Delegate, DelegateStatus, SpendingNorm
from .norms import default_norms

# --- norms --------------------------------------------------------------------------------------

def ensure_default_norms() -> int:
    """Add the national caps (DOMAIN.md) that are not in the table yet; returns how many were added.

    Norms already present (same category and name) are left as the administrator edited them.
    """
    existing = set(db.session.execute(sa.select(SpendingNorm.category, SpendingNorm.name)).all())
    added = 0
    for position, norm in enumerate(default_norms(), start=1):
        if (norm["category"], norm["name"]) in existing:
            continue
        db.session.add(SpendingNorm(position=position, **norm))
        added += 1
    if added:
        audit.record("norm.seed", f"Nạp {added} định mức chi mặc định")
    db.session.commit()
    return added


def list_norms() -> list[SpendingNorm]:
    return db.session.scalars(
        sa.select(SpendingNorm).order_by(SpendingNorm.position, SpendingNorm.category, SpendingNorm.name)
    ).all()


def norm_choices(norms: list[SpendingNorm] | None = None) -> list[tuple[int, str]]:
    norms = list_norms() if norms is None else norms
    return options([(0, "— Không áp định mức —")] + [
        (n.id, f"{n.name} (tối đa {text.format_money(n.max_unit_price)}/{n.unit})") for n in norms
    ])


def save_norm(norm: SpendingNorm | None, values: dict) -> SpendingNorm:
    """Create (``norm`` None) or update a spending norm: category, name, unit, max_unit_price, source, note,
    verified."""
    creating = norm is None
    if creating:
        position = db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(SpendingNorm.position), 0))) + 1
        norm = SpendingNorm(position=position)
        db.session.add(norm)
    for name in ("category", "name", "unit", "max_unit_price", "source"):
        setattr(norm, name, values[name])
    norm.note = text.nfc_block(values["note"] or "")
    norm.verified = bool(values["verified"])
    db.session.flush()
    audit.record("norm.create" if creating else "norm.update",
                 f"{'Thêm' if creating else 'Sửa'} định mức «{norm.name}»: {text.format_money(norm.max_unit_price)}",
                 entity=norm)
    db.session.commit()
    return norm


def delete_norm(norm: SpendingNorm) -> None:
    audit.record("norm.delete", f"Xóa định mức «{norm.name}»", entity=norm)
    db.session.delete(norm)
    db.session.commit()


# --- lines --------------------------------------------------------------------------------------

def norm_warning(line: BudgetLine) -> str | None:
    """The rule a line breaks when its unit price exceeds its norm, as a sentence for the organizer."""
    norm = line.norm
    if norm is None or line.unit_price <= norm.max_unit_price:
        return None
    return (f"Đơn giá {text.format_money(line.unit_price)} vượt định mức {text.format_money(norm.max_unit_price)}"
            f"/{norm.unit} ({norm.name}; {norm.source}).")


def _apply(line: BudgetLine, values: dict) -> None:
    """Copy a line's values (a BudgetLineForm's) into it."""
    line.category = values["category"]
    line.content = values["content"]
    line.unit = values["unit"] or ""
    line.quantity = values["quantity"]
    line.days = values["days"] or 1
    line.unit_price = values["unit_price"]
    line.funding_source = values["funding_source"] or ""
    line.norm_id = values["norm_id"] or None
    line.actual_amount = values["actual_amount"]
    line.note = values["note"] or ""


def add_line(conference: Conference, values: dict) -> BudgetLine:
    """Add a line to the conference's budget; the database computes its amount."""
    position = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.max(BudgetLine.position), 0)).where(
            BudgetLine.conference_id == conference.id)
    ) + 1
    line = BudgetLine(conference_id=conference.id, position=position)
    _apply(line, values)
    if not line.funding_source and conference.funding_source:
        line.funding_source = conference.funding_source[:300]
    db.session.add(line)
    db.session.flush()
    db.session.refresh(line, ["amount"])
    audit.record("budget.create", f"Thêm dòng dự toán «{line.content}»: {text.format_money(line.amount)}",
                 entity=line, conference_id=conference.id)
    db.session.commit()
    return line


def update_line(line: BudgetLine, values: dict) -> BudgetLine:
    """Save an edited line (and its actual amount after the event)."""
    _apply(line, values)
    db.session.flush()
    db.session.refresh(line, ["amount"])
    audit.record("budget.update", f"Sửa dòng dự toán «{line.content}»: {text.format_money(line.amount)}",
                 entity=line, conference_id=line.conference_id)
    db.session.commit()
    return line


def delete_line(line: BudgetLine) -> None:
    audit.record("budget.delete", f"Xóa dòng dự toán «{line.content}»", entity=line,
                 conference_id=line.conference_id)
    db.session.delete(line)
    db.session.commit()



# --- the sheet ----------------------------------------------------------------------------------

@dataclass
class CategoryTotal:
    category: str
    label: str
    amount: int = 0
    actual: int | None = None
    lines: list[BudgetLine] = field(default_factory=list)

    @property
    def difference(self) -> int | None:
        return None if self.actual is None else self.actual - self.amount


@dataclass
class BudgetSheet:
    """Everything the budget page, its print and its workbook show: lines grouped by category, totals."""

    conference: Conference
    lines: list[BudgetLine]
    categories: list[CategoryTotal]
    total: int
    actual_total: int | None
    approved: int | None
    warnings: dict[int, str]
    confirmed: int = 0

    @property
    def over_budget(self) -> bool:
        return self.approved is not None and self.total > self.approved

    @property
    def remaining(self) -> int | None:
        return None if self.approved is None else self.approved - self.total

    @property
    def difference(self) -> int | None:
        return None if self.actual_total is None else self.actual_total - self.total

    @property
    def actual_over_budget(self) -> bool:
        return self.approved is not None and self.actual_total is not None and self.actual_total > self.approved

    @property
    def used_percent(self) -> int | None:
        if not self.approved:
            return None
        return round(self.total * 100 / self.approved)


def budget_sheet(conference: Conference) -> BudgetSheet:
    """The conference's lines (with their norms, one query) grouped and summed by category."""
    lines = db.session.scalars(
        sa.select(BudgetLine).where(BudgetLine.conference_id == conference.id)
        .options(joinedload(BudgetLine.norm))
        .order_by(BudgetLine.position, BudgetLine.id)
    ).all()
    groups = {c.value: CategoryTotal(c.value, c.label) for c in BudgetCategory}
    actual_total = None
    for line in lines:
        group = groups.setdefault(line.category, CategoryTotal(line.category, line.category))
        group.lines.append(line)
        group.amount += line.amount or 0
        if line.actual_amount is not None:
            group.actual = (group.actual or 0) + line.actual_amount
            actual_total = (actual_total or 0) + line.actual_amount
    warnings = {line.id: w for line in lines if (w := norm_warning(line))}
    return BudgetSheet(
        conference=conference,
        lines=list(lines),
        categories=[g for g in groups.values() if g.lines],
        total=sum(g.amount for g in groups.values()),
        actual_total=actual_total,
        approved=conference.approved_budget,
        warnings=warnings,
    )


def confirmed_delegates(conference_id: int) -> int:
    """Delegates expected (not cancelled), for the hall's capacity warning."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Delegate)
        .where(Delegate.conference_id == conference_id, Delegate.status == DelegateStatus.ATTENDING)
    )
