"""eventapp: the programme platform of the Mois de l'innovation publique."""
import os

from flask import Flask

from .extensions import csrf, db, limiter, login_manager, migrate


def create_app(config_object=None) -> Flask:
    """Build the application.

    ``config_object`` is a class from ``config.py`` (or its name); by default
    ``EVENTAPP_CONFIG`` chooses it, and development is the fallback.
    """
    from config import CONFIGS, INSTANCE_DIR

    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        template_folder="../templates",
        static_folder="static",
    )
    if config_object is None:
        config_object = os.environ.get("EVENTAPP_CONFIG", "development")
    if isinstance(config_object, str):
        config_object = CONFIGS[config_object]
    app.config.from_object(config_object)
    check = getattr(config_object, "check", None)
    if check:
        check(app.config)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    os.makedirs(app.instance_path, exist_ok=True)

    from .converters import BoundedIntegerConverter

    app.url_map.converters["int"] = BoundedIntegerConverter  # huge ids: 404, not a database error
    register_extensions(app)
    trust_proxies(app)
    register_blueprints(app)
    register_template_helpers(app)
    register_commands(app)
    if app.config.get("BENCH_FLOOR_ROUTE") or app.config.get("BENCH_QUERY_COUNT"):
        from .instrumentation import init_app as init_instrumentation

        init_instrumentation(app)  # `make bench` only: never enabled in production
    return app


def trust_proxies(app: Flask) -> None:
    """Behind ``TRUSTED_PROXIES`` reverse proxies, read the client's address and scheme from
    their ``X-Forwarded-For`` / ``X-Forwarded-Proto`` (each proxy appends one value; only that
    many are believed, so a client cannot forge its address). Rate limits count per address."""
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for PostgreSQL URLs given in their short forms."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def register_extensions(app: Flask) -> None:
    from . import dataversion, models  # noqa: F401  (models for SQLAlchemy and Alembic; the version's listeners)
    from .database import configure_engine

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=os.path.join(os.path.dirname(app.root_path), "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    with app.app_context():
        configure_engine(db.engine)


def register_blueprints(app: Flask) -> None:
    from .admin import bp as admin_bp
    from .auth import bp as auth_bp
    from .core import bp as core_bp
    from .feeds import bp as feeds_bp
    from .moderation import bp as moderation_bp
    from .organisations import bp as organisations_bp
    from .organiser import bp as organiser_bp
    from .programme import bp as programme_bp
    from .registrations import bp as registrations_bp

    for blueprint in (
        core_bp,
        auth_bp,
        programme_bp,
        organisations_bp,
        organiser_bp,
        moderation_bp,
        registrations_bp,
        feeds_bp,
        admin_bp,
    ):
        app.register_blueprint(blueprint)

    from .admin import membership_bp

    app.register_blueprint(membership_bp)  # asking to join an organisation, accepting an invitation

    from .api import init_app as init_api

    init_api(app)  # the JSON API (flask-smorest), /programme.json and the API documents


def register_template_helpers(app: Flask) -> None:
    from . import formatting, permissions, vocabulary

    app.jinja_env.globals.update(
        can=permissions.can,
        vocabulary=vocabulary,
    )
    formatting.register_filters(app)


def register_commands(app: Flask) -> None:
    from .cli import register

    register(app)
