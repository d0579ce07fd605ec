"""Application factory for the Trafficking in Persons Protocol self-assessment platform."""
from flask import Flask

from config import BASE_DIR, config_class


def create_app(config_name: str | None = None, test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(BASE_DIR / "instance"),
        static_folder=str(BASE_DIR / "static"),
        static_url_path="/static",
    )
    config = config_class(config_name)
    config.check()
    app.config.from_object(config)
    app.config.update(config.from_environment())
    if test_config:
        app.config.update(test_config)

    from app import account, admin, analysis, api, attachments, audit, auth, backup, cycles, database, demo
    from app import errors, extensions, health, i18n, invitations, jobs, logs, main, notifications, public
    from app import questionnaires, ratelimit, reports, review, security, signin, stash, state_pages, states
    from app import templating

    logs.init_app(app)
    extensions.init_app(app)
    database.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    security.init_app(app)
    ratelimit.register(app)
    for feature in (audit, auth, signin, account, invitations, admin, states, questionnaires, cycles, main,
                    attachments, review, notifications, analysis, api, reports, public, stash, demo, backup,
                    state_pages, jobs, health):
        feature.register(app)
    errors.init_app(app)
    return app
