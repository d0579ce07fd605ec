"""Backups: ``flask --app wsgi backup create FILE`` and ``backup restore FILE``."""


def register(app) -> None:
    from app.backup.cli import backup_cli

    app.cli.add_command(backup_cli)
