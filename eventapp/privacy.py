"""Personal data (Decree 13/2023/NĐ-CP): a person's data exported or erased on request, secrets regenerated,
and personal data of old conferences removed after the host agency's retention period.

A person (:class:`Subject`) is the invitee of an invitation by name, or one delegate. What is theirs is found in
every table, not in a list kept by hand: the rows of their delegate rows, invitation and papers, every row of
any table that refers to one of these (``delegate_id``, ``invitation_id``, ``paper_id``, an audit entry's
entity), and the free text and JSON of the conference's other rows that mention their name, address or phone.
A table added later is covered as long as it refers to them that way."""

from __future__ import annotations

import calendar
import io
import json
import re
import zipfile
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from . import audit, text, uploads, vntime
from .extensions import db
from .models import (
    Conference,
    Delegate,
    DelegateKind,
    HostAgency,
    Invitation,
    InvitationImport,
    InvitationKind,
    MailStatus,
    OutboxMessage,
    Paper,
    PaperFile,
    RemovedInvitation,
    Scan,
    Speaker,
    new_short_code,
    new_token,
    utcnow,
)
from .passes import new_pass_code

ERASED = "Đã xóa theo yêu cầu"
PURGED = "Đã xóa (hết thời hạn lưu trữ)"


#: Mail whose recipient was erased is never sent; what was sent stays "sent".
_UNSENDABLE = sa.case((OutboxMessage.status == MailStatus.SENT.value, MailStatus.SENT.value),
                      else_=MailStatus.FAILED.value)

#: Columns that hold secrets or keys, never personal data: left out of an export and never rewritten.
_SECRETS = {"password_hash", "rsvp_token", "pass_code", "token", "token_hash", "token_hint", "message_id", "nonce",
            "stored_name", "sha256", "code", "attachments_json"}
#: Columns of other rows that name or reach another person (a namesake in the same conference, an agency's
#: office address): a person's erasure never rewrites them. Free text (summaries, notes, bodies, JSON) is
#: rewritten wherever it mentions the person.
_OTHERS_OWN = re.compile(r"(^|_)(name|email|phone|addr)$|^search_text$")
#: Except this one: a substitute's row names the invited person they replace.
_MENTIONS_SOMEONE_ELSE = {"replaces_name"}


# --- the person a request is about ---------------------------------------------------------------------

@dataclass
class Subject:
    """The person a request is about: the invitee of an invitation by name (with the delegate rows that are
    them: none when they declined), or one delegate (someone an agency named, a substitute, a walk-in)."""

    conference: Conference
    delegates: list[Delegate]
    invitation: Invitation | None = None

    @classmethod
    def of_delegate(cls, delegate: Delegate) -> Subject:
        invitation = delegate.invitation
        if (delegate.kind == DelegateKind.INVITEE and invitation is not None
                and invitation.kind == InvitationKind.PERSON):
            return cls.of_invitation(invitation)
        return cls(delegate.conference, [delegate])

    @classmethod
    def of_invitation(cls, invitation: Invitation) -> Subject:
        """The invitee of a person invitation (an agency's invitation names no one)."""
        invitees = [d for d in invitation.delegates if d.kind == DelegateKind.INVITEE]
        return cls(invitation.conference, invitees, invitation)

    @property
    def name(self) -> str:
        return self.invitation.invitee_name if self.invitation else self.delegates[0].full_name

    @property
    def erased(self) -> bool:
        return all(d.erased_at is not None for d in self.delegates) and (
            self.invitation is None or self.invitation.invitee_name in (ERASED, PURGED))

    def papers(self) -> list[Paper]:
        """Papers the person speaks to: linked to their delegate row, or (unlinked) sent to their address."""
        ids = [d.id for d in self.delegates]
        emails = [e for e in self._contacts() if "@" in e]
        return list(db.session.scalars(sa.select(Paper).where(
            Paper.conference_id == self.conference.id,
            sa.or_(Paper.delegate_id.in_(ids), sa.and_(Paper.delegate_id.is_(None), Paper.speaker_email.in_(emails))),
        ).order_by(Paper.id)))

    def _contacts(self) -> list[str]:
        rows = [*self.delegates, *([self.invitation] if self.invitation else [])]
        return [value for row in rows for value in (row.email, row.phone) if value]

    def needles(self, papers: list[Paper]) -> tuple[list[str], list[str]]:
        """(what names or reaches the person anywhere: names, addresses, phone numbers as stored and as printed;
        what describes them in their own rows besides: positions, a decline reason, the unaccented name)."""
        names = [d.full_name for d in self.delegates] + [p.speaker_name for p in papers]
        if self.invitation:
            names.append(self.invitation.invitee_name)
        contacts = self._contacts() + [c for p in papers for c in (p.speaker_email, p.speaker_phone) if c]
        phones = [text.format_phone(c) for c in contacts if "@" not in c]
        everywhere = {v for v in [*names, *contacts, *phones] if v and len(v) >= 4 and v not in (ERASED, PURGED)}
        own = [d.position for d in self.delegates] + [text.search_key(n) for n in names]
        own += [p.speaker_position for p in papers]
        if self.invitation:
            own += [self.invitation.invitee_position, self.invitation.decline_reason]
        own_only = {v for v in own if v and len(v) >= 4} - everywhere
        return sorted(everywhere, key=len, reverse=True), sorted(own_only, key=len, reverse=True)


# --- finding the person's data --------------------------------------------------------------------------

def _tables_with(column: str) -> list[sa.Table]:
    return [t for t in db.metadata.sorted_tables if column in t.c]


def _text_columns(table: sa.Table) -> list[sa.Column]:
    return [c for c in table.c if isinstance(c.type, sa.String | sa.Text) and c.name not in _SECRETS]


def _own_rows(subject: Subject, papers: list[Paper]) -> list[tuple[sa.Table, sa.ColumnElement[bool]]]:
    """Every table's rows that are about the person: their delegate rows, their invitation (by name), their
    papers, and whatever refers to one of these (check-ins, scans, mail, papers' files and history, audit
    entries about them, the hall...)."""
    ids = {"delegate": [d.id for d in subject.delegates], "paper": [p.id for p in papers],
           "invitation": [subject.invitation.id] if subject.invitation else []}
    found = []
    for name, keys in ids.items():
        if not keys:
            continue
        table = db.metadata.tables[name]
        found.append((table, table.c.id.in_(keys)))
        found += [(other, other.c[f"{name}_id"].in_(keys)) for other in _tables_with(f"{name}_id")]
        found += [(other, sa.and_(other.c.entity == name.capitalize(), other.c.entity_id.in_(keys)))
                  for other in _tables_with("entity_id")]
    return found


def _mentioning(table: sa.Table, columns: list[sa.Column], needles: list[str]) -> sa.ColumnElement[bool]:
    return sa.or_(*(c.contains(n, autoescape=True) for c in columns for n in needles))


def _conference_mentions(subject: Subject, needles: list[str]):
    """(table, columns, condition) for free text of the conference's other rows that mentions the person."""
    for table in _tables_with("conference_id"):
        columns = [c for c in _text_columns(table)
                   if not _OTHERS_OWN.search(c.name) or c.name in _MENTIONS_SOMEONE_ELSE]
        if columns and needles:
            yield table, columns, sa.and_(table.c.conference_id == subject.conference.id,
                                          _mentioning(table, columns, needles))


def _plain(value):
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    return value


def export(subject: Subject) -> dict:
    """Everything eventapp holds about the person, JSON-ready: their rows in every table (secrets left out) and
    every text of the conference that mentions them (audit entries, mail to others, notes...)."""
    papers = subject.papers()
    everywhere, _ = subject.needles(papers)
    rows: dict[str, dict[int, dict]] = {}
    for table, condition in _own_rows(subject, papers):
        for row in db.session.execute(sa.select(table).where(condition)).mappings():
            rows.setdefault(table.name, {})[row["id"]] = {k: _plain(v) for k, v in row.items() if k not in _SECRETS}
    mentions = []
    for table, columns, condition in _conference_mentions(subject, everywhere):
        for row in db.session.execute(sa.select(table.c.id, *columns).where(condition)).mappings():
            if row["id"] not in rows.get(table.name, {}):
                mentions += [{"table": table.name, "id": row["id"], "column": c.name, "text": row[c.name]}
                             for c in columns if row[c.name] and any(n in row[c.name] for n in everywhere)]
    return {
        "exported_at": utcnow().isoformat(),
        "conference": {"id": subject.conference.id, "title": subject.conference.title,
                       "starts_at": subject.conference.starts_at.isoformat()},
        "person": subject.name,
        "rows": {name: list(by_id.values()) for name, by_id in rows.items()},
        "mentions": mentions,
        "files": [{"paper_id": f.paper_id, "version": f.version, "name": f.original_name, "size_bytes": f.size_bytes,
                   "uploaded_at": f.uploaded_at.isoformat(), "in_archive": _archive_name(f)}
                  for p in papers for f in p.files],
    }


def _archive_name(record: PaperFile) -> str:
    return f"tep/{record.paper_id}-v{record.version}-{uploads.safe_filename(record.original_name)}"


def export_on_request(subject: Subject) -> bytes:
    """The person's copy, handed over at their request: a ZIP with everything as JSON and the files they
    uploaded. The export is logged."""
    data = export(subject)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("du-lieu.json", json.dumps(data, ensure_ascii=False, indent=2))
        for paper in subject.papers():
            for record in paper.files:
                with suppress(FileNotFoundError):
                    archive.write(uploads.stored_path(record.stored_name), _archive_name(record))
    audit.record("privacy.export", f"Xuất dữ liệu cá nhân của {_who(subject)}.", entity=_entity(subject),
                 conference_id=subject.conference.id)
    db.session.commit()
    return buffer.getvalue()


def _who(subject: Subject) -> str:
    if subject.invitation is not None:
        return f"người được mời của thư mời #{subject.invitation.id}"
    return f"đại biểu #{subject.delegates[0].id}"


def _entity(subject: Subject):
    return subject.invitation if subject.invitation is not None else subject.delegates[0]


# --- erasing it -------------------------------------------------------------------------------------------

def _rewrite(value: str | None, needles: list[str], marker: str, as_json: bool) -> str | None:
    """``value`` with every whole occurrence of the needles replaced by ``marker`` (inside a JSON document, in its
    strings)."""
    if not value:
        return value
    if as_json:
        try:
            document = json.loads(value)
        except ValueError:
            pass
        else:
            return json.dumps(_rewrite_json(document, needles, marker), ensure_ascii=False)
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in needles))
    return pattern.sub(marker, value)


def _rewrite_json(document, needles: list[str], marker: str):
    if isinstance(document, str):
        return _rewrite(document, needles, marker, as_json=False)
    if isinstance(document, list):
        return [_rewrite_json(item, needles, marker) for item in document]
    if isinstance(document, dict):
        return {key: _rewrite_json(item, needles, marker) for key, item in document.items()}
    return document


def _scrub(table: sa.Table, columns: list[sa.Column], condition, needles: list[str], marker: str) -> None:
    """Rewrite ``columns`` of the rows matching ``condition`` wherever they mention a needle."""
    if not needles or not columns:
        return
    rows = db.session.execute(sa.select(table.c.id, *columns)
                              .where(condition, _mentioning(table, columns, needles))).mappings().all()
    for row in rows:
        values = {c.name: _rewrite(row[c.name], needles, marker, c.name.endswith("_json")) for c in columns}
        changed = {k: v for k, v in values.items() if v != row[k]}
        if changed:
            db.session.execute(sa.update(table).where(table.c.id == row["id"]).values(**changed))


def _blank_identity(subject: Subject, papers: list[Paper], marker: str, now: datetime, with_files: bool) -> list[str]:
    """Blank the person's own fields (the rows stay as counts); with ``with_files``, the files they uploaded go
    too: returns them, to delete once the erasure is committed."""
    addresses = [c for c in subject._contacts() + [p.speaker_email for p in papers] if "@" in c]
    for delegate in subject.delegates:
        delegate.full_name = marker
        delegate.position = delegate.email = delegate.phone = delegate.replaces_name = delegate.search_text = ""
        delegate.erased_at = now
        # The printed pass would otherwise still open a page or a desk lookup for this row.
        delegate.pass_code = new_pass_code()
    invitation = subject.invitation
    if invitation is not None:
        invitation.invitee_name = marker
        invitation.invitee_position = invitation.email = invitation.phone = invitation.search_text = ""
        invitation.decline_reason = invitation.note = ""
    files = []
    for paper in papers:
        paper.speaker_name = marker
        paper.speaker_position = paper.speaker_email = paper.speaker_phone = ""
        if with_files:
            files += [record.stored_name for record in paper.files]
            paper.files.clear()
    ids = [d.id for d in subject.delegates]
    if ids:
        db.session.execute(sa.update(Scan).where(Scan.delegate_id.in_(ids)).values(code=""))
    if addresses:
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.to_addr.in_(addresses), OutboxMessage.conference_id == subject.conference.id)
            .values(to_addr="", to_name="", body_text="", body_html=None, attachments_json="[]", status=_UNSENDABLE)
        )
    return files


def _erase(subject: Subject, marker: str, now: datetime, with_files: bool = True) -> list[str]:
    """Erase the person everywhere in the database (in the caller's transaction); the uploaded files to delete
    after the commit."""
    papers = subject.papers()
    everywhere, own_only = subject.needles(papers)
    own = _own_rows(subject, papers)
    files = _blank_identity(subject, papers, marker, now, with_files)
    db.session.flush()
    for table, condition in own:
        personal = {c.name: sa.case((c != "", marker), else_="") for c in table.c if c.info.get("personal")}
        if personal:  # what was written about the person in their own rows (a reason, a topic) goes whole
            db.session.execute(sa.update(table).where(condition).values(**personal))
        _scrub(table, _text_columns(table), condition, everywhere + own_only, marker)
    for table, columns, condition in _conference_mentions(subject, everywhere):
        _scrub(table, columns, condition, everywhere, marker)
    return files


def _delete_files(stored_names: list[str]) -> None:
    for name in stored_names:
        uploads.discard(name)


def erase(subject: Subject, reason: str = "") -> None:
    """Erase a person's personal data on request, from every table and JSON column and the files they uploaded;
    their rows (and the invitation's answer) stay as counts. Logged without the person's name."""
    if subject.erased:
        return
    files = _erase(subject, ERASED, utcnow())
    audit.record("privacy.erase", f"Xóa dữ liệu cá nhân của {_who(subject)} theo yêu cầu.",
                 entity=_entity(subject), conference_id=subject.conference.id, reason=reason[:500])
    db.session.commit()
    _delete_files(files)


def regenerate_rsvp_token(invitation: Invitation) -> str:
    """A new secret for the invitation's RSVP link; the old link, and the short link of its printed letter, stop
    working at once. Logged."""
    invitation.rsvp_token = new_token()
    invitation.short_code = new_short_code()
    audit.record(
        "invitation.regenerate_link",
        f"Cấp lại đường liên kết xác nhận của thư mời #{invitation.id}; liên kết cũ hết hiệu lực.",
        entity=invitation,
    )
    db.session.commit()
    return invitation.rsvp_token


def regenerate_pass_code(delegate: Delegate) -> str:
    """A new pass code (QR) for the delegate; the old pass is refused at the desk from now on. Logged."""
    delegate.pass_code = new_pass_code()
    audit.record(
        "delegate.regenerate_pass",
        f"Cấp lại thẻ đại biểu (mã QR) cho đại biểu #{delegate.id}; thẻ cũ hết hiệu lực.",
        entity=delegate,
    )
    db.session.commit()
    return delegate.pass_code


def regenerate_paper_token(paper: Paper) -> str:
    """A new secret for a speaker's upload link; the old link stops working at once. Logged."""
    paper.token = new_token()
    audit.record(
        "paper.regenerate_link",
        f"Cấp lại đường liên kết nộp tham luận #{paper.id}; liên kết cũ hết hiệu lực.",
        entity=paper,
    )
    db.session.commit()
    return paper.token


def subtract_months(moment: datetime, months: int) -> datetime:
    """``moment`` minus whole calendar months (the day clipped to the target month's length)."""
    index = moment.year * 12 + (moment.month - 1) - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def purge_personal_data(months: int | None = None, now: datetime | None = None) -> dict:
    """Remove personal data of conferences that ended more than ``months`` ago (default: the host agency's
    retention setting). Counts of delegates, answers and check-ins stay. Returns what was done."""
    now = now or utcnow()
    if months is None:
        host = db.session.scalar(sa.select(HostAgency).limit(1))
        months = host.retention_months if host else None
    if not months or months <= 0:
        return {"months": None, "cutoff": None, "conferences": 0, "delegates": 0, "invitations": 0, "papers": 0,
                "scans": 0}
    cutoff = subtract_months(now, months)
    conference_ids = db.session.scalars(sa.select(Conference.id).where(Conference.ends_at < cutoff)).all()
    counts = {"months": months, "cutoff": vntime.format_date(cutoff), "conferences": 0, "delegates": 0,
              "invitations": 0, "papers": 0, "scans": 0}
    for conference_id in conference_ids:
        delegates = db.session.scalars(
            sa.select(Delegate).where(Delegate.conference_id == conference_id, Delegate.erased_at.is_(None))
        ).all()
        invitations = db.session.scalars(
            sa.select(Invitation).where(
                Invitation.conference_id == conference_id,
                sa.or_(Invitation.email != "", Invitation.phone != "",
                       sa.and_(Invitation.kind == InvitationKind.PERSON.value, Invitation.invitee_name != PURGED)),
            )
        ).all()
        papers = db.session.scalars(
            sa.select(Paper).where(Paper.conference_id == conference_id,
                                   sa.or_(Paper.speaker_email != "", Paper.speaker_phone != ""))
        ).all()
        scans = db.session.scalar(sa.select(sa.func.count()).select_from(Scan).where(
            Scan.conference_id == conference_id, Scan.code != "")) or 0
        subjects = [Subject.of_invitation(i) for i in invitations if i.kind == InvitationKind.PERSON]
        subjects += [Subject.of_delegate(d) for d in delegates
                     if not any(d in subject.delegates for subject in subjects)]
        for subject in subjects:  # the papers' files stay: they are the conference's documents
            _erase(subject, PURGED, now, with_files=False)
        for invitation in invitations:  # an agency's office address and phone go too
            invitation.email = invitation.phone = ""
        for paper in papers:
            paper.speaker_email = paper.speaker_phone = ""
        db.session.execute(sa.update(Scan).where(Scan.conference_id == conference_id).values(code=""))
        # Speakers added by name in the hall (guests without a delegate row), and what the organizer's week kept
        # for a while: removed invitations (restorable 30 days) and import previews.
        db.session.execute(sa.update(Speaker).where(Speaker.conference_id == conference_id, Speaker.name != "")
                           .values(name=PURGED, agency_name=""))
        db.session.execute(sa.delete(RemovedInvitation).where(RemovedInvitation.conference_id == conference_id))
        db.session.execute(sa.delete(InvitationImport).where(InvitationImport.conference_id == conference_id))
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.conference_id == conference_id, OutboxMessage.to_addr != "")
            .values(to_addr="", to_name="", body_text="", body_html=None, attachments_json="[]", status=_UNSENDABLE)
        )
        if delegates or invitations or papers or scans:
            counts["conferences"] += 1
        counts["delegates"] += len(delegates)
        counts["invitations"] += len(invitations)
        counts["papers"] += len(papers)
        counts["scans"] += scans
    audit.record(
        "privacy.purge",
        f"Xóa dữ liệu cá nhân của {counts['conferences']} hội nghị kết thúc trước {counts['cutoff']} "
        f"(thời hạn lưu trữ {months} tháng): {counts['delegates']} đại biểu, {counts['invitations']} thư mời, "
        f"{counts['papers']} tham luận, {counts['scans']} lượt quét.",
        **counts,
    )
    return counts
