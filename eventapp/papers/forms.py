from flask_wtf.file import FileField
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import (
    DateVNField,
    EmailField,
    Form,
    IdSelectField,
    NormalizedStringField,
    PhoneField,
    TimeVNField,
)


class InviteSpeakerForm(Form):
    """Ask a delegate, or a new person, to contribute a paper on a topic by a deadline."""

    delegate_id = IdSelectField("Đại biểu", validators=[Optional()],
                              description="Chọn đại biểu đã xác nhận tham dự, hoặc để trống và nhập người mới bên dưới.")
    speaker_name = NormalizedStringField("Họ và tên", validators=[Length(max=120)])
    speaker_position = NormalizedStringField("Chức vụ", validators=[Length(max=200)])
    speaker_agency = NormalizedStringField("Cơ quan, đơn vị", validators=[Length(max=300)])
    speaker_email = EmailField("Email", validators=[Length(max=254)],
                               description="Thư mời có đường dẫn nộp bài sẽ gửi tới địa chỉ này.")
    speaker_phone = PhoneField("Điện thoại")
    topic = NormalizedStringField("Chủ đề tham luận",
                                  validators=[DataRequired("Vui lòng nhập chủ đề tham luận."), Length(max=500)])
    deadline_date = DateVNField("Hạn nộp (ngày)", validators=[DataRequired("Vui lòng nhập hạn nộp.")],
                                description="dd/mm/yyyy")
    deadline_time = TimeVNField("Hạn nộp (giờ)", validators=[Optional()], description="Mặc định 17:00")
    message = TextAreaField("Lời nhắn kèm thư mời", validators=[Length(max=2000)])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not self.delegate_id.data and not self.speaker_name.data:
            self.speaker_name.errors.append("Vui lòng chọn một đại biểu hoặc nhập họ tên người viết.")
            ok = False
        return ok


class ReviewForm(Form):
    """An organizer's decision on a paper, with a comment (required for a revision request)."""

    comment = TextAreaField("Nhận xét", validators=[Length(max=5000)])


class DeadlineForm(Form):
    deadline_date = DateVNField("Hạn mới (ngày)", validators=[DataRequired("Vui lòng nhập ngày.")])
    deadline_time = TimeVNField("Giờ", validators=[Optional()])


class SpeakerUploadForm(Form):
    """The speaker's title, summary and file."""

    title = NormalizedStringField("Tên tham luận",
                                  validators=[DataRequired("Vui lòng nhập tên tham luận."), Length(max=500)])
    summary = TextAreaField("Tóm tắt", validators=[Length(max=5000)])
    file = FileField("Tệp tham luận", description="Word (.docx), PDF hoặc PowerPoint (.pptx), tối đa 20 MB.")


class WithdrawForm(Form):
    reason = TextAreaField("Lý do (không bắt buộc)", validators=[Length(max=2000)])
