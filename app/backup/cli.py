from pathlib import Path

import click
from flask.cli import AppGroup

from app.audit import record_event
from app.backup.archive import BackupError
from app.backup.operations import create_backup, restore_backup
from app.extensions import db

backup_cli = AppGroup("backup", help="Back up all data to a file, and restore it into an empty database.")


@backup_cli.command("create")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--without-secrets", is_flag=True,
              help="Leave out password hashes, TOTP secrets, recovery codes and e-mailed tokens.")
def create_command(file: Path, without_secrets: bool) -> None:
    """Write a complete, checksummed backup of the database to FILE (gzip, JSON lines)."""
    try:
        summary = create_backup(db.engine, file, include_secrets=not without_secrets)
    except BackupError as error:
        raise click.ClickException(str(error))
    record_event("backup_created", details={"file": file.name, "secrets": summary["secrets"],
                                            "sha256": summary["sha256"]})
    db.session.commit()
    click.echo(f"Backup written to {file}: {sum(summary['rows'].values())} rows in {len(summary['rows'])} tables, "
               f"schema revision {summary['revision']}, sha256 {summary['sha256']}"
               + ("" if summary["secrets"] else ", without secrets"))


@backup_cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(file: Path) -> None:
    """Restore FILE into the configured database, which must be empty (or have no tables)."""
    try:
        summary = restore_backup(db.engine, file)
    except BackupError as error:
        raise click.ClickException(str(error))
    record_event("backup_restored", details={"file": file.name, "secrets": summary["secrets"]})
    db.session.commit()
    click.echo(f"Restored {sum(summary['rows'].values())} rows into {len(summary['rows'])} tables "
               f"(schema revision {summary['revision']}).")
