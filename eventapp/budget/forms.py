"""The forms of the budget: a line of the appendix and a spending norm."""

from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..forms import Form, IntegerVNField, MoneyField, NormalizedStringField, options
from ..models import BudgetCategory

MAX_PRICE = 100_000_000_000


class BudgetLineForm(Form):
    """One line of the budget appendix; the amount is computed, the actual amount comes after the event."""

    category = SelectField("Mục chi", choices=options(BudgetCategory.choices()))
    content = NormalizedStringField(
        "Nội dung chi", validators=[DataRequired("Vui lòng nhập nội dung chi."), Length(max=500)]
    )
    unit = NormalizedStringField("Đơn vị tính", validators=[Length(max=50)], description="Ví dụ: người, ngày, bộ")
    quantity = IntegerVNField(
        "Số lượng",
        validators=[DataRequired("Vui lòng nhập số lượng."),
                    NumberRange(min=1, max=1_000_000, message="Số lượng phải từ 1 đến 1.000.000.")],
    )
    days = IntegerVNField(
        "Số ngày",
        default=1,
        validators=[Optional(), NumberRange(min=1, max=366, message="Số ngày phải từ 1 đến 366.")],
    )
    unit_price = MoneyField("Đơn giá (đồng)", description="Ví dụ: 150.000")
    funding_source = NormalizedStringField("Nguồn kinh phí", validators=[Length(max=300)])
    norm_id = SelectField("Định mức áp dụng", coerce=int, validators=[Optional()])
    actual_amount = MoneyField("Thực chi (đồng)", description="Nhập sau hội nghị")
    note = NormalizedStringField("Ghi chú", validators=[Length(max=500)],
                                 description="Khoản chi ngoài danh mục Thông tư 40/2017/TT-BTC (khánh tiết, chi khác): "
                                             "ghi căn cứ chi; dự toán in ghi chú này làm căn cứ.")

    def validate_unit_price(self, field):
        if field.data is None:
            raise ValidationError("Vui lòng nhập đơn giá.")
        if field.data > MAX_PRICE:
            raise ValidationError("Đơn giá quá lớn.")

    def validate_actual_amount(self, field):
        if field.data is not None and field.data > MAX_PRICE * 1000:
            raise ValidationError("Số tiền quá lớn.")


class NormForm(Form):
    """A spending norm edited by the administrator."""

    category = SelectField("Mục chi", choices=options(BudgetCategory.choices()))
    name = NormalizedStringField("Nội dung", validators=[DataRequired("Vui lòng nhập nội dung."), Length(max=300)])
    unit = NormalizedStringField("Đơn vị tính", validators=[DataRequired("Vui lòng nhập đơn vị tính."),
                                                            Length(max=50)])
    max_unit_price = MoneyField("Mức tối đa (đồng)")
    source = NormalizedStringField("Căn cứ", validators=[DataRequired("Vui lòng ghi căn cứ (văn bản, điều khoản)."),
                                                         Length(max=300)])
    note = TextAreaField("Ghi chú", validators=[Length(max=500)])
    verified = BooleanField("Đã đối chiếu với văn bản", default=True)

    def validate_max_unit_price(self, field):
        if field.data is None:
            raise ValidationError("Vui lòng nhập mức tối đa.")
        if field.data > MAX_PRICE:
            raise ValidationError("Số tiền quá lớn.")
