"""Who issues a conference's documents: the letterhead every paper of that conference prints.

A conference is issued by the host agency of this installation unless it says otherwise; a joint plan has two
issuing agencies side by side (Decree 30/2020, Appendix I). Every document builder (giấy mời, kế hoạch, báo
cáo, thông báo kết luận, dự toán, danh sách ký nhận...) asks :func:`letterhead_for` and prints what it says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from .errors import UserError
from .extensions import db
from .models import DOCUMENT_KINDS, Conference, HostAgency, IssuedDocument


@dataclass(frozen=True)
class Issuer:
    """One issuing agency: its name, the agency above it ("UBND TỈNH QUẢNG NGÃI") and its abbreviation
    (the "KHCN" of "Số: 12/GM-KHCN")."""

    name: str
    parent_name: str = ""
    abbreviation: str = ""


@dataclass(frozen=True)
class Letterhead:
    """What the top and the bottom of a conference's documents say."""

    issuers: tuple[Issuer, ...]
    place_name: str = ""
    signer_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""

    @property
    def issuer(self) -> Issuer:
        """The first (or only) issuing agency: the one whose number and signer the document carries."""
        return self.issuers[0]

    @property
    def joint(self) -> bool:
        return len(self.issuers) > 1


def host_letterhead() -> Letterhead:
    """The host agency's own letterhead, from its settings (a placeholder before they are filled in)."""
    host = db.session.scalar(sa.select(HostAgency).limit(1))
    if host is None:
        return Letterhead(issuers=(Issuer(name="Cơ quan chủ trì", abbreviation="CQ"),))
    return Letterhead(issuers=(Issuer(host.name, host.parent_name or "", host.abbreviation or ""),),
                      place_name=host.place_name or "", signer_authority=host.signer_authority or "",
                      signer_title=host.signer_title or "", signer_name=host.signer_name or "")


def letterhead_for(conference: Conference) -> Letterhead:
    """The letterhead of ``conference``'s documents: today the host's; a conference that names its own
    issuing agency, parent agency, place name and signer overrides them (issue 16, "Who hosts")."""
    return host_letterhead()


def issued_document(conference: Conference, kind: str) -> IssuedDocument | None:
    """The clerk's number and signing date for ``conference``'s document of ``kind`` (None until given)."""
    return db.session.scalar(sa.select(IssuedDocument).filter_by(conference_id=conference.id, kind=kind))


def save_issued_document(conference: Conference, kind: str, number: str, signed_on: date | None,
                         user_id: int | None = None) -> IssuedDocument:
    """Remember the number and signing date the clerk chose (one row per conference and kind; two tabs saving
    at once leave one row, the last one written)."""
    if kind not in DOCUMENT_KINDS:
        raise UserError("Loại văn bản không hợp lệ.")
    number = " ".join((number or "").split())
    if len(number) > 60:
        raise UserError("Số văn bản dài quá 60 ký tự.", field="number")
    document = issued_document(conference, kind)
    if document is None:
        document = IssuedDocument(conference_id=conference.id, kind=kind)
        db.session.add(document)
    document.number, document.signed_on, document.updated_by_id = number, signed_on, user_id
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        return save_issued_document(conference, kind, number, signed_on, user_id)
    return document
