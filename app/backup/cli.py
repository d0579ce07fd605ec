from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.audit import record_event
from app.backup.archive import BackupError, backup_keys
from app.backup.operations import create_backup, restore_backup
from app.extensions import db

backup_cli = AppGroup("backup", help="Back up all data to a file, and restore it into an empty database.")


@backup_cli.command("create")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--without-secrets", is_flag=True,
              help="Leave out password hashes, TOTP secrets, recovery codes and e-mailed tokens.")
@click.option("--encrypt", is_flag=True, help="Encrypt the file (AES-256-GCM) with a key derived from BACKUP_KEY.")
def create_command(file: Path, without_secrets: bool, encrypt: bool) -> None:
    """Write a complete backup of the database to FILE (gzip, JSON lines), signed with an HMAC
    whose key (BACKUP_KEY, or one derived from SECRET_KEY) is kept outside the file."""
    try:
        summary = create_backup(db.engine, file, backup_keys(current_app.config), include_secrets=not without_secrets,
                                encrypt=encrypt)
    except BackupError as error:
        raise click.ClickException(str(error))
    record_event("backup_created", details={"file": file.name, "secrets": summary["secrets"], "encrypted": encrypt,
                                            "hmac_sha256": summary["hmac_sha256"]})
    db.session.commit()
    click.echo(f"Backup written to {file}: {sum(summary['rows'].values())} rows in {len(summary['rows'])} tables, "
               f"schema revision {summary['revision']}" + ("" if summary["secrets"] else ", without secrets")
               + (", encrypted" if encrypt else ""))
    if summary["secrets"] and not encrypt:
        click.echo("Warning: this backup holds password hashes and two-factor secrets in the clear; keep it as "
                   "protected as the database, or make it with --encrypt.", err=True)


@backup_cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(file: Path) -> None:
    """Restore FILE into the configured database, which must be empty (or have no tables)."""
    try:
        summary = restore_backup(db.engine, file, backup_keys(current_app.config))
    except BackupError as error:
        raise click.ClickException(str(error))
    record_event("backup_restored", details={"file": file.name, "secrets": summary["secrets"]})
    db.session.commit()
    click.echo(f"Restored {sum(summary['rows'].values())} rows into {len(summary['rows'])} tables "
               f"(schema revision {summary['revision']}).")
