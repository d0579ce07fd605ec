"""Reporting cycles: which questionnaire version is answered, and by when."""


def register(app) -> None:
    from app.cycles.cli import cycles_cli

    app.cli.add_command(cycles_cli)
