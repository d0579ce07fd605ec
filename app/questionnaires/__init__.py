"""Questionnaire definitions: files in questionnaires/, validated, versioned and stored."""


def register(app) -> None:
    from app.questionnaires.cli import questionnaires_cli

    app.cli.add_command(questionnaires_cli)
