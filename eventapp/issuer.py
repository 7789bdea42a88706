"""Who issues a conference's documents: the letterhead every paper of that conference prints.

A conference is issued by the host agency of this installation unless it says otherwise; a joint plan has two
issuing agencies side by side (Decree 30/2020, Appendix I). Every document builder (giấy mời, kế hoạch, báo
cáo, thông báo kết luận, dự toán, danh sách ký nhận...) asks :func:`letterhead_for` and prints what it says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from . import vntime
from .errors import UserError
from .extensions import db
from .models import DOCUMENT_KINDS, Conference, HostAgency, IssuedDocument

#: Room left in a printed line for the clerk to write by hand (the number, the signing day).
BLANK = "\u2003\u2003"


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
    """The letterhead of ``conference``'s documents: the conference's own issuing agency, parent agency,
    abbreviation, place and signer where it names them, the host's settings otherwise (seed 001's Bắc Giang
    giao ban prints under its own Sở); a joint plan adds its second issuing agency."""
    host = host_letterhead()
    first = host.issuer
    if conference.issuer_name.strip():
        first = Issuer(conference.issuer_name.strip(), conference.issuer_parent_name.strip(),
                       conference.issuer_abbreviation.strip())
    issuers = [first]
    if conference.co_issuer_name.strip():
        issuers.append(Issuer(conference.co_issuer_name.strip(), conference.co_issuer_parent_name.strip(),
                              conference.co_issuer_abbreviation.strip()))

    # The signature block is one unit: a conference naming its signer ("GIÁM ĐỐC", no "KT.") takes none of the
    # host's; so does a conference issued by another agency, whose place is its own too.
    own_issuer = bool(conference.issuer_name.strip())
    signer = conference if own_issuer or conference.signer_title.strip() or conference.signer_name.strip() else host
    place = conference.place_name.strip() or ("" if own_issuer else host.place_name)
    return Letterhead(issuers=tuple(issuers), place_name=place,
                      signer_authority=signer.signer_authority.strip(), signer_title=signer.signer_title.strip(),
                      signer_name=signer.signer_name.strip())


def document_number(issued: IssuedDocument | None, symbol: str, letterhead: Letterhead) -> str:
    """The "Số: 12/GM-SKHCN" line: the clerk's number, or a blank to fill by hand before the symbol; a number
    typed with its symbol ("12/GM-SKHCN") is printed as typed. A joint document carries both abbreviations."""
    abbreviations = "-".join(i.abbreviation for i in letterhead.issuers if i.abbreviation) or "CQ"
    number = issued.number if issued else ""
    if "/" in number:
        return f"Số: {number}"
    return f"Số: {number or BLANK}/{symbol}-{abbreviations}"


def place_and_date(issued: IssuedDocument | None, letterhead: Letterhead) -> str:
    """The place-and-date line: the signing day the clerk chose, or blanks to write by hand on signing day (never
    the day the file is generated)."""
    if issued is not None and issued.signed_on is not None:
        return vntime.long_date(letterhead.place_name, issued.signed_on)
    line = f"ngày {BLANK} tháng {BLANK} năm {BLANK}"
    return f"{letterhead.place_name}, {line}" if letterhead.place_name else line


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
