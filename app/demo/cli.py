import click
from flask import current_app

from app.demo.data import DEMO_PASSWORD, DemoError, create_demo
from app.extensions import db


@click.command("demo")
def demo_command():
    """Create demo States, users and responses on first use, and print the logins."""
    if not current_app.config.get("DEMO_ALLOWED"):
        raise click.ClickException("Demo data is refused in the production configuration.")
    try:
        logins = create_demo()
    except DemoError as error:
        raise click.ClickException(str(error))
    db.session.commit()
    click.echo("\nDemo logins (password for all: %s)" % DEMO_PASSWORD)
    for email, role, state in logins:
        click.echo(f"  {email:<32} {role:<12} {state}")
    click.echo("")
