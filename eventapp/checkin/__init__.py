"""Reception: the desk that scans passes, the device API, badges and the live board."""

import click
from flask import Blueprint

from ..errors import UserError
from ..extensions import db
from ..models import Conference
from .devices import create_device

bp = Blueprint("checkin", __name__, cli_group=None)


@bp.cli.command("device-token")
@click.argument("conference_id", type=int)
@click.argument("name")
def device_token_command(conference_id: int, name: str):
    """Create a device token for a conference's scanner app and print it (shown only this once)."""
    conference = db.session.get(Conference, conference_id)
    if conference is None:
        raise click.ClickException(f"Không có hội nghị số {conference_id}.")
    try:
        _device, token = create_device(conference, name)
    except UserError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(token)


from . import api, routes, shell  # noqa: E402,F401
