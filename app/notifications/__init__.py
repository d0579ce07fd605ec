"""Notifications in the app (the bell in the header) and by e-mail: submissions, returns,
comments, acceptances and approaching deadlines."""


def register(app) -> None:
    from flask_login import current_user

    from app.notifications import deadlines  # noqa: F401  (the daily reminders job)
    from app.notifications.cli import notifications_cli
    from app.notifications.messages import notification_subject, notification_text
    from app.notifications.operations import unread_count
    from app.notifications.routes import bp

    app.register_blueprint(bp)
    app.cli.add_command(notifications_cli)
    app.jinja_env.globals.update(
        notification_text=notification_text, notification_subject=notification_subject,
        # Called by the header's bell only, so pages without a logged-in user run no query.
        unread_notifications=lambda: unread_count(current_user) if current_user.is_authenticated else 0,
    )
