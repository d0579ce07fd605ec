"""Reporting cycles: which questionnaire version is answered, and by when; a new cycle's
responses start from the State's last accepted answers (prefill)."""


def register(app) -> None:
    from app.cycles.cli import cycles_cli
    from app.cycles.prefill import prefill_of
    from app.cycles.routes import bp

    app.cli.add_command(cycles_cli)
    app.register_blueprint(bp)
    # For the history page's "prefilled from" note (app/cycles/templates/cycles/_prefill_note.html).
    app.jinja_env.globals["response_prefill"] = prefill_of
