from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from .. import spreadsheets
from ..agencies.services import ensure_default_groups
from ..extensions import db
from ..forms import (
    CheckboxList,
    DateVNField,
    EmailField,
    Form,
    IntegerVNField,
    NormalizedStringField,
    PhoneField,
    options,
)
from ..models import Agency
from . import services

SEATS_RANGE = NumberRange(min=1, max=500, message="Số chỗ phải từ 1 đến 500.")


class InviteAgencyForm(Form):
    """Invite one agency picked from the directory."""

    agency_id = HiddenField(validators=[DataRequired("Vui lòng chọn cơ quan.")])
    seats = IntegerVNField("Số chỗ", default=1, validators=[Optional(), SEATS_RANGE])
    role_text = NormalizedStringField("Thành phần mời", validators=[Length(max=200)])
    tim = HiddenField()


class InviteGroupForm(Form):
    """Invite every agency of a group not yet invited."""

    group_id = SelectField("Nhóm cơ quan", coerce=int, validators=[DataRequired("Vui lòng chọn nhóm.")])
    seats = IntegerVNField("Số chỗ mỗi cơ quan", default=1, validators=[Optional(), SEATS_RANGE])
    role_text = NormalizedStringField("Thành phần mời", default="Đại diện lãnh đạo", validators=[Length(max=200)])


class InvitePersonForm(Form):
    """Invite a named person."""

    invitee_name = NormalizedStringField("Họ và tên", validators=[DataRequired("Vui lòng nhập họ và tên."),
                                                                  Length(max=120)])
    invitee_position = NormalizedStringField("Chức vụ", validators=[Length(max=200)])
    agency_id = SelectField("Cơ quan (nếu có)", coerce=int, validators=[Optional()])
    email = EmailField("Email", validators=[Length(max=254)])
    phone = PhoneField("Điện thoại")


class EditInvitationForm(Form):
    """Change the seats, role and contact of an invitation."""

    invitee_name = NormalizedStringField("Người được mời", validators=[Length(max=120)])
    invitee_position = NormalizedStringField("Chức vụ", validators=[Length(max=200)])
    seats = IntegerVNField("Số chỗ", validators=[InputRequired("Vui lòng nhập số chỗ."), SEATS_RANGE])
    role_text = NormalizedStringField("Thành phần mời", validators=[Length(max=200)])
    email = EmailField("Email", validators=[Length(max=254)])
    phone = PhoneField("Điện thoại")
    note = TextAreaField("Ghi chú", validators=[Length(max=500)])


class ImportRowForm(Form):
    """Correct the cells of one row of an import preview (checked again with the whole preview)."""

    group = SelectField("Nhóm (cho cơ quan mới)", validators=[Optional()])
    agency = NormalizedStringField("Cơ quan/đơn vị", validators=[Length(max=300)])
    name = NormalizedStringField("Họ và tên", validators=[Length(max=120)])
    position = NormalizedStringField("Chức vụ", validators=[Length(max=200)])
    seats = NormalizedStringField("Số chỗ", validators=[Length(max=10)])
    role = NormalizedStringField("Thành phần mời", validators=[Length(max=200)])
    email = NormalizedStringField("Email", validators=[Length(max=254)])
    phone = NormalizedStringField("Điện thoại", validators=[Length(max=40)])
    note = NormalizedStringField("Ghi chú", validators=[Length(max=500)])


def import_row_form(cells: dict[str, str] | None = None, **kwargs) -> ImportRowForm:
    """The row form, its group picked from the directory's groups (or the one the file named)."""
    form = ImportRowForm(data=cells, **kwargs)
    names = [g.name for g in ensure_default_groups()]
    current = (cells or {}).get("group", "")
    form.group.choices = options([("", "— Chưa chọn —")] + [(n, n) for n in names]
                                 + ([(current, f"{current} (không có trong danh mục)")]
                                    if current and current not in names else []))
    return form


class ImportForm(Form):
    """Upload a list: a spreadsheet (.xlsx, .xls, .ods) or a CSV."""

    file = FileField("Tệp danh sách (.xlsx, .xls, .ods hoặc .csv)", render_kw={"accept": spreadsheets.ACCEPT},
                     validators=[FileRequired("Vui lòng chọn tệp để tải lên.")])


def group_form(conference_id: int, **kwargs) -> InviteGroupForm:
    """The group form, each group with the number of its agencies not yet invited."""
    form = InviteGroupForm(prefix="group", **kwargs)
    ensure_default_groups()
    form.group_id.choices = [(0, "— Chọn nhóm —")] + [
        (g.id, f"{g.name} ({free} cơ quan chưa mời)") for g, _total, free in services.groups_with_counts(conference_id)
    ]
    return form


def person_form(**kwargs) -> InvitePersonForm:
    """The person form, with the directory's agencies in Vietnamese order."""
    form = InvitePersonForm(prefix="person", **kwargs)
    agencies = db.session.execute(db.select(Agency.id, Agency.name)).all()
    agencies.sort(key=lambda a: services.collate_key(a.name))
    form.agency_id.choices = [(0, "— Không thuộc cơ quan trong danh mục —")] + [(a.id, a.name) for a in agencies]
    return form


class LetterNumberForm(Form):
    """The clerk's number and signing day of a conference's giấy mời (printed on every letter of the batch)."""

    number = NormalizedStringField("Số", validators=[Length(max=60, message="Số văn bản dài quá 60 ký tự.")],
                                   description="Ví dụ: 12 (in thành «Số: 12/GM-…»); để trống để ghi tay")
    signed_on = DateVNField("Ngày ký", validators=[Optional()], description="dd/mm/yyyy; để trống để ghi tay")


class ComradeGroupsForm(Form):
    """The agency groups whose people the letters address as "Đồng chí" (the others: "Ông/Bà")."""

    group_ids = CheckboxList("Xưng hô «Đồng chí» với người thuộc các nhóm", coerce=int, validate_choice=False)


def comrade_groups_form() -> ComradeGroupsForm:
    """The form with every agency group as a choice, ticked as the host chose."""
    groups = ensure_default_groups()
    form = ComradeGroupsForm()
    form.group_ids.choices = [(group.id, group.name) for group in groups]
    if not form.is_submitted():
        form.group_ids.data = [group.id for group in groups if group.address_as_comrade]
    return form
