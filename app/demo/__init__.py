"""Demo data for trying the platform out (refused in production)."""


def register(app) -> None:
    from app.demo.cli import demo_code_command, demo_command

    app.cli.add_command(demo_command)
    app.cli.add_command(demo_code_command)
