from datetime import date

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.notifications.deadlines import send_deadline_reminders

notifications_cli = AppGroup("notifications", help="Notifications and reminders.")


@notifications_cli.command("deadlines")
@click.option("--days", help="Days before the deadline to remind, e.g. 14,7,1 (default: DEADLINE_REMINDER_DAYS).")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Run as if on this date (default: today).")
def deadlines_command(days, today):
    """Remind the States that have not submitted of an approaching deadline. Run it daily
    (cron): each State is reminded once per cycle and threshold, however often it runs."""
    thresholds = tuple(int(d) for d in days.split(",")) if days else current_app.config["DEADLINE_REMINDER_DAYS"]
    done = send_deadline_reminders(today.date() if today else date.today(), thresholds)
    db.session.commit()
    for reminded in done:
        click.echo(f"Cycle {reminded.cycle.name}: {reminded.days_left} days left (threshold {reminded.threshold}); "
                   f"reminded {len(reminded.states)} States {' '.join(reminded.states)}".rstrip())
    if not done:
        click.echo("No cycle is within a reminder threshold of its deadline.")
