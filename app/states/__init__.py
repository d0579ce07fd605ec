"""UN Member States: reference data, UN official short names in the six UN languages."""


def register(app) -> None:
    from app.states.cli import states_cli

    app.cli.add_command(states_cli)
