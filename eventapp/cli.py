"""Commands: ``flask --app eventapp create-user``, ``demo``..."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import Flask

from .auth.services import create_user
from .demo.loader import load_demo
from .errors import UserError
from .extensions import db
from .models import Conference, Department, User


def register_cli(app: Flask) -> None:
    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--role", type=click.Choice(["admin", "organizer", "reception", "department"]), default="admin",
                  show_default=True)
    @click.option("--name", "full_name", default="", help="Họ và tên hiển thị.")
    @click.option("--email", default="")
    @click.option("--department", "department_abbr", default="", help="Ký hiệu phòng (cho vai trò department).")
    @click.password_option("--password", help="Mật khẩu (ít nhất 12 ký tự, hoặc một câu từ 4 từ); hỏi nếu không nhập.")
    def create_user_command(username, role, full_name, email, department_abbr, password):
        """Create an account, e.g. the first admin."""
        department_id = None
        if department_abbr:
            department_id = db.session.scalar(
                sa.select(Department.id).where(Department.abbreviation == department_abbr)
            )
            if department_id is None:
                raise click.ClickException(f"Không có phòng với ký hiệu {department_abbr}.")
        try:
            user = create_user(username, password, full_name, role, email, department_id)
            db.session.commit()
        except UserError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from exc
        click.echo(f"Đã tạo tài khoản {user.username} ({user.role_enum.label}).")

    @app.cli.command("demo")
    @click.option("--if-empty", is_flag=True, help="Chỉ nạp khi cơ sở dữ liệu chưa có hội nghị nào.")
    @click.option("--password", default="hoinghi2026", show_default=True, help="Mật khẩu của các tài khoản mẫu.")
    def demo_command(if_empty, password):
        """Load the demo data from the seeds (idempotent) and print the demo sign-ins."""
        if if_empty and db.session.scalar(sa.select(sa.func.count()).select_from(Conference)):
            click.echo("Cơ sở dữ liệu đã có dữ liệu; bỏ qua dữ liệu mẫu.")
        else:
            summary = load_demo(password=password)
            click.echo(summary)
        users = db.session.scalars(sa.select(User).order_by(User.id)).all()
        if users:
            click.echo(f"\nTài khoản mẫu (mật khẩu: {password}):")
            for user in users:
                click.echo(f"  {user.username:<16} {user.role_enum.label:<24} {user.full_name}")
