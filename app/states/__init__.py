"""UN Member States: reference data, names in six languages from CLDR."""


def register(app) -> None:
    from app.states.cli import states_cli

    app.cli.add_command(states_cli)
