import click
from flask.cli import AppGroup

from app.auth.operations import UserError, create_user
from app.extensions import db

users_cli = AppGroup("users", help="User accounts.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--role", required=True,
              type=click.Choice(["focal_point", "contributor", "secretariat", "admin"]))
@click.option("--state", "state_code", help="Alpha-3 code, for focal points and contributors.")
@click.option("--name", default="")
@click.password_option(help="Read from a prompt, or from stdin when piped.")
def create_command(email, role, state_code, name, password):
    """Create a user. The password is read from a prompt (or stdin), never from arguments."""
    try:
        user = create_user(email, password, role, state_code, name=name)
    except UserError as error:
        raise click.ClickException(str(error))
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}" + (f" ({user.state_code})" if user.state_code else ""))
