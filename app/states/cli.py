import click
from flask.cli import AppGroup

from app.extensions import db
from app.states.operations import sync_member_states

states_cli = AppGroup("states", help="The UN Member States.")


@states_cli.command("load")
def load_command() -> None:
    """Add the 193 UN Member States (idempotent)."""
    added = sync_member_states()
    db.session.commit()
    click.echo(f"{added} States added.")
