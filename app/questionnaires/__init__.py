"""Questionnaire definitions: files in questionnaires/, validated, versioned and stored."""


def register(app) -> None:
    from app.questionnaires.cli import questionnaires_cli
    from app.questionnaires.routes import bp

    app.cli.add_command(questionnaires_cli)
    app.register_blueprint(bp)
