"""Inviting users by e-mail: the secretariat and admins invite anyone their role allows, a
focal point invites contributors of their own State. The invited person sets their name and
password through a single-use link that expires."""


def register(app) -> None:
    from app.invitations.routes import bp

    app.register_blueprint(bp)
