"""The app factory: defaults, environment and overrides, then the fake's blueprints and hooks."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from mockserver import durations
from mockserver.admin.api import bp as admin_bp
from mockserver.admin.dashboard import bp as dashboard_bp
from mockserver.admin.loopback import trusted_networks
from mockserver.admin.probes import bp as probes_bp
from mockserver.contract.catalogue import Catalogue
from mockserver.contract.dialects import resolve_dialect
from mockserver.contract.loading import load_contract
from mockserver.flows.face_matching.views import bp as face_matching_bp
from mockserver.flows.face_search.views import bp as face_search_bp
from mockserver.flows.liveness.views import bp as liveness_bp
from mockserver.flows.ocr.document_views import bp as ocr_documents_bp
from mockserver.flows.ocr.views import bp as ocr_bp
from mockserver.flows.smart_crop.views import bp as smart_crop_bp
from mockserver.pipeline import access_log, errors
from mockserver.pipeline.cors import install_cors
from mockserver.pipeline.jsonprovider import OrjsonProvider
from mockserver.recording.options import scrub_key
from mockserver.recording.pseudonyms import key_from
from mockserver.recording.replayer import Replayer, load
from mockserver.state.fake_state import MockState
from mockserver.state.keys import DEMO_KEY, load_keys
from mockserver.state.metrics import Metrics
from mockserver.state.store import open_store

__all__ = ["create_app", "DEFAULTS"]

DEFAULTS: dict[str, Any] = {
    "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,  # bodies over this are refused unread (413)
    "MAX_IMAGE_PIXELS": 40_000_000,  # larger images are refused before decoding
    "STATE": None,  # SQLite path or postgresql:// URL; None keeps state in memory
    "STORE_CONNECTIONS": 10,  # pooled connections to a PostgreSQL store, per process
    "TENANTS": "configured",  # "open": any well-formed key:secret pair is a tenant, made on first use
    "TENANT_QUOTA": None,  # billable requests of each open tenant; None: unlimited
    "ADMIN_TOKEN": None,  # once set, the admin right: "Authorization: Bearer TOKEN", from every client
    "ADMIN_TOKEN_FILE": None,  # a file holding ADMIN_TOKEN, so it shows on no command line
    "TRUSTED_PROXIES": (),  # addresses or networks of proxies whose forwarding headers are believed
    "KEYS": None,  # path of a JSON or TOML keys file
    "DEMO_KEY": True,  # serve the documented demo / p@55w0rd pair
    "ADMIN_REMOTE": False,  # admin API and dashboard for non-loopback clients
    "ALLOWED_HOSTS": (),  # Host names besides loopback ones the admin API, dashboard and files answer at
    "CORS_ORIGINS": "*",  # origins browsers may call the API from; "*" any, None or [] none
    "ADMIN_CORS": False,  # give the admin API the same CORS as the API paths
    "SELF_CHECK": None,  # "raise", "log" or "off"; None: raise under TESTING, else log
    "DIALECT": None,  # a dialect name, a .json/.toml dialect file or a mapping; None: default
    "DIALECT_SET": None,  # {option: value} on top of DIALECT
    # Older single-option settings, kept as shorthands of DIALECT_SET entries:
    "ITEM_ORDER": None,  # ocr.item_order: back_first, input or shuffle
    "DATE_FORMAT": None,  # ocr.date_separator: "DD-MM-YYYY" (hyphen) or "DD/MM/YYYY" (slash)
    "DOCS_VERBATIM": None,  # messages=verbatim: the docs' typos ("ncorrect format type")
    "METRICS": True,  # GET /__mock__/metrics in Prometheus text; False: 404 (--no-metrics)
    "ACCESS_LOG": "off",  # one line per request: "json", "text" or "off" (cvs-mock serve: text on a terminal)
    "DRAIN_SECONDS": 10.0,  # on SIGTERM, how long requests in flight get to finish
    "TENANT_TTL": None,  # seconds an open tenant may sit idle before it and all it owns are removed
    "JOURNAL_MAX": None,  # entries the whole journal keeps across tenants; None: each tenant's JOURNAL_SIZE only
    "JOURNAL_SIZE": 1000,  # most recent requests kept by the journal
    "REPLAY": None,  # cassette files or folders to answer from (a path or a list of paths)
    "REPLAY_STRICT": False,  # a request no cassette answers: 501 naming the closest, not the fake
    "REPLAY_AFTER_LAST": "cycle",  # once a request's recorded answers are used: cycle, repeat or exhausted
    "REPLAY_MATCH_ON": None,  # matcher names (method, operation, path, mode, images, query, body); None: default
    "REPLAY_KEY": None,  # the scrub key cassettes were recorded with (default $CVS_SCRUB_KEY): match images
}


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """A fresh fake: defaults, then ``CVS_MOCK_*`` environment variables, then ``config``."""
    app = Flask(__name__, static_folder=None)
    app.json = OrjsonProvider(app)
    app.config.update(DEFAULTS)
    app.config.from_prefixed_env("CVS_MOCK")
    app.config.update(config or {})
    app.config["ADMIN_TOKEN"] = admin_token(app.config)
    app.config["REPLAY_KEY"] = replay_key(app.config["REPLAY_KEY"])
    if app.config["TENANT_TTL"] not in (None, ""):
        app.config["TENANT_TTL"] = durations.seconds(app.config["TENANT_TTL"])
    trusted_networks(app.config["TRUSTED_PROXIES"])  # a bad address is refused now, not per request
    if app.config["SELF_CHECK"] is None:
        app.config["SELF_CHECK"] = "raise" if app.config.get("TESTING") else "log"
    app.extensions["cvs"] = _state(app.config)
    blueprints = (
        ocr_bp,
        ocr_documents_bp,
        face_matching_bp,
        liveness_bp,
        face_search_bp,
        smart_crop_bp,
        probes_bp,
        admin_bp,
        dashboard_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    errors.register_error_handlers(app)
    app.before_request(errors.refuse_claimed_oversize)
    install_cors(app)  # after the error handlers, so error answers get CORS headers too
    access_log.install(app, str(app.config["ACCESS_LOG"] or "off"))
    return app


def admin_token(config: Any) -> str | None:
    """The admin token: ``ADMIN_TOKEN``, else the first line of ``ADMIN_TOKEN_FILE``;
    ValueError when that file cannot be read or holds no token."""
    token, path = config.get("ADMIN_TOKEN"), config.get("ADMIN_TOKEN_FILE")
    if token not in (None, ""):
        return str(token)
    if not path:
        return None
    try:
        with open(str(path), encoding="utf-8") as file:
            first = file.readline().strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"--admin-token-file {path}: cannot read it ({exc.__class__.__name__})") from None
    if not first:
        raise ValueError(f"--admin-token-file {path}: the file's first line holds no token")
    return first


def replay_key(given: Any) -> bytes | None:
    """The key to match replayed images with: the one given, else ``$CVS_SCRUB_KEY`` (what a
    recording is keyed with); without one, replay matches images by their number alone."""
    if isinstance(given, str):
        return key_from(given, "REPLAY_KEY")
    return given if isinstance(given, bytes) else scrub_key(None)


def _state(config: Any) -> MockState:
    if config["TENANTS"] not in ("configured", "open"):
        raise ValueError(f"TENANTS is 'configured' or 'open', not {config['TENANTS']!r}")
    contract = load_contract()
    journal_max = int(config["JOURNAL_MAX"]) if config["JOURNAL_MAX"] else None
    store = open_store(config["STATE"], int(config["JOURNAL_SIZE"]), int(config["STORE_CONNECTIONS"]), journal_max)
    configured: list[tuple[str, str, int | None]] = [(*DEMO_KEY, None)] if config["DEMO_KEY"] else []
    for entry in load_keys(config["KEYS"]) if config["KEYS"] else []:
        configured.append((entry["api_key"], entry["api_secret"], entry["quota"]))
    for key, secret, quota in configured:
        store.keys.put(key, secret, quota)
    metrics = Metrics(store.counts) if config["METRICS"] else None
    return MockState(
        metrics=metrics,
        config=config,
        contract=contract,
        catalogue=Catalogue(contract),
        store=store,
        configured_keys=configured,
        configured_dialect=resolve_dialect(contract.dialects, config["DIALECT"], _dialect_settings(config)),
        configured_replay=_replayer(config),
    )


def _replayer(config: Any) -> Replayer | None:
    paths = config["REPLAY"]
    if not paths:
        return None
    given = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    recorded = load([os.fspath(p) for p in given])
    return Replayer(
        recorded,
        bool(config["REPLAY_STRICT"]),
        str(config["REPLAY_AFTER_LAST"]),
        key=config["REPLAY_KEY"],
        match_on=config["REPLAY_MATCH_ON"],
    )


def _dialect_settings(config: Any) -> dict[str, str]:
    settings = dict(config["DIALECT_SET"] or {})
    if config["ITEM_ORDER"]:
        settings.setdefault("ocr.item_order", str(config["ITEM_ORDER"]))
    if config["DATE_FORMAT"]:
        settings.setdefault("ocr.date_separator", "slash" if "/" in str(config["DATE_FORMAT"]) else "hyphen")
    if config["DOCS_VERBATIM"]:
        settings.setdefault("messages", "verbatim")
    return settings
