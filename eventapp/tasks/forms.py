"""Forms of tasks: a task of a conference, a status update, applying a template."""

from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from ..errors import UserError
from ..forms import CheckboxList, Form, NormalizedStringField, options
from ..models import ConferenceKind, TaskStatus
from . import services


class TaskForm(Form):
    """A task: lead and coordinating departments, assignee, a deadline as a date or relative to the conference."""

    title = NormalizedStringField("Nội dung nhiệm vụ",
                                  validators=[DataRequired("Vui lòng nhập nội dung nhiệm vụ."), Length(max=500)])
    description = TextAreaField("Mô tả", validators=[Length(max=5000)])
    lead_department_id = SelectField("Đơn vị chủ trì", coerce=int,
                                     validators=[DataRequired("Vui lòng chọn đơn vị chủ trì.")])
    coordinating_ids = CheckboxList("Đơn vị phối hợp", coerce=int)
    assignee_name = NormalizedStringField("Người thực hiện", validators=[Length(max=120)])
    deadline = NormalizedStringField(
        "Hạn hoàn thành", validators=[Length(max=60)],
        description="Ngày dd/mm/yyyy, hoặc tương đối: «5 ngày trước hội nghị», «ngày hội nghị», «2 ngày sau hội nghị»",
    )
    status = SelectField("Trạng thái", choices=options(TaskStatus.choices()))
    notes = TextAreaField("Ghi chú, tiến độ", validators=[Length(max=5000)])

    def validate_deadline(self, field):
        try:
            services.parse_deadline(field.data)
        except UserError as exc:
            raise ValidationError(str(exc)) from exc

    def set_departments(self, departments) -> None:
        self.lead_department_id.choices = options([(0, "— Chọn đơn vị —")] + [(d.id, d.name) for d in departments])
        self.coordinating_ids.choices = options([(d.id, d.name) for d in departments])


class StatusForm(Form):
    """What department staff change on their board: the status and the notes."""

    status = SelectField("Trạng thái", choices=options(TaskStatus.choices()))
    notes = TextAreaField("Ghi chú", validators=[Length(max=5000)])


class TemplateForm(Form):
    """Apply the task template of a conference kind."""

    kind = SelectField("Mẫu phân công", choices=options(ConferenceKind.choices()))
