"""The venue form."""

from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..forms import Form, IntegerVNField, NormalizedStringField


class VenueForm(Form):
    """A hall: name, room, address, phone, capacity, equipment."""

    name = NormalizedStringField("Tên địa điểm", validators=[DataRequired("Vui lòng nhập tên địa điểm."),
                                                             Length(max=200)],
                                 description="Ví dụ: Khách sạn Hùng Vương")
    room = NormalizedStringField("Phòng, hội trường", validators=[Length(max=200)],
                                 description="Ví dụ: Hội trường tầng 7")
    address = NormalizedStringField("Địa chỉ", validators=[Length(max=300)])
    phone = NormalizedStringField("Điện thoại", validators=[Length(max=50)])
    capacity = IntegerVNField("Sức chứa (chỗ ngồi)", validators=[
        Optional(), NumberRange(min=1, max=100_000, message="Sức chứa phải từ 1 đến 100.000 chỗ.")])
    equipment = TextAreaField("Trang thiết bị", validators=[Length(max=5000)],
                              description="Âm thanh, máy chiếu, màn hình LED...")
    notes = TextAreaField("Ghi chú", validators=[Length(max=5000)])
