"""Signing in: the password, then the second factor, or the organisation's identity provider
(OpenID Connect, when configured); signing out; resetting a forgotten password."""


def register(app) -> None:
    from app.auth import oidc
    from app.signin.routes import bp

    app.register_blueprint(bp)
    app.add_template_global(lambda: oidc.configured(app.config), "organisation_sign_in")
    if oidc.configured(app.config):  # without OIDC_ISSUER, nothing of it exists
        from app.signin.oidc_routes import bp as oidc_bp

        oidc.init_app(app)
        app.register_blueprint(oidc_bp)
