import click
from flask.cli import AppGroup

from app.audit import record_event
from app.auth.operations import UserError, create_user, find_user_by_email, reset_second_factor
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


@users_cli.command("reset-2fa")
@click.argument("email")
def reset_two_factor_command(email):
    """Turn off the two-factor authentication of the account EMAIL and end its sessions; it
    enrols again at its next login (after a backup restored without secrets, or a lost phone)."""
    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account has the e-mail address {email}.")
    reset_second_factor(user)
    record_event("two_factor_reset", user=None, state_code=user.state_code,
                 details={"email": user.email, "by": "command line"})
    db.session.commit()
    click.echo(f"Two-factor authentication of {user.email} is reset; they set it up again at their next login.")
