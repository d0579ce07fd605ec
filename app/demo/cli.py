import click
import pyotp
from flask import current_app

from app.auth.twofactor import DEMO_SECRET
from app.demo.data import DEMO_PASSWORD, DemoError, create_demo
from app.extensions import db


def _refuse_in_production() -> None:
    if not current_app.config.get("DEMO_ALLOWED"):
        raise click.ClickException("Demo data is refused in the production configuration.")


@click.command("demo")
def demo_command():
    """Create demo States, users and responses on first use, and print the logins."""
    _refuse_in_production()
    try:
        logins = create_demo()
    except DemoError as error:
        raise click.ClickException(str(error))
    db.session.commit()
    click.echo("\nDemo logins (password for all: %s)" % DEMO_PASSWORD)
    for email, role, state in logins:
        click.echo(f"  {email:<32} {role:<12} {state}")
    click.echo(f"\nEvery demo account uses two-factor authentication with the demo secret\n"
               f"  {DEMO_SECRET}\n"
               f"Add it to an authenticator app, or print the current code with:\n"
               f"  .venv/bin/flask --app wsgi demo-code\n")


@click.command("demo-code")
def demo_code_command():
    """Print the current two-factor code of the demo accounts."""
    _refuse_in_production()
    click.echo(pyotp.TOTP(DEMO_SECRET).now())
