"""Token checks for the stand-ins: the real keystonemiddleware against the real
Keystone, as Magnum, Glance, Nova and Neutron do, plus a fixed-token fake for
WSGI-level unit tests.

Both set the headers keystonemiddleware sets (``X-Project-Id``, ``X-User-Id``,
``X-Roles``, ...) and strip any a client sent; the apps read only those.
"""

import dataclasses
import json
import logging
import re

from keystoneauth1 import loading
from keystonemiddleware import auth_token
from oslo_config import cfg

_GROUP = "keystone_authtoken"

# Headers keystonemiddleware owns: a client must never be able to set them.
_IDENTITY_HEADERS = (
    "X-Identity-Status",
    "X-Project-Id",
    "X-Project-Name",
    "X-Project-Domain-Id",
    "X-User-Id",
    "X-User-Name",
    "X-User-Domain-Id",
    "X-Roles",
    "X-Service-Catalog",
)


@dataclasses.dataclass(frozen=True)
class Identity:
    """Who a request is from, as the token middleware reported it."""

    project_id: str
    user_id: str
    roles: tuple = ()
    project_name: str = ""
    user_name: str = ""

    @property
    def is_admin(self):
        # The default "context_is_admin" rule of every OpenStack service.
        return "admin" in self.roles

    @classmethod
    def from_environ(cls, environ):
        roles = environ.get("HTTP_X_ROLES", "")
        return cls(
            project_id=environ.get("HTTP_X_PROJECT_ID", ""),
            user_id=environ.get("HTTP_X_USER_ID", ""),
            roles=tuple(r.strip() for r in roles.split(",") if r.strip()),
            project_name=environ.get("HTTP_X_PROJECT_NAME", ""),
            user_name=environ.get("HTTP_X_USER_NAME", ""),
        )


def _public(paths):
    return [re.compile(p) for p in paths]


class _PublicRoutes:
    """Let version documents through unauthenticated, as the real services do
    (Magnum's ``acl_public_routes`` = ``/``, ``/v1``; Nova, Glance and
    Neutron serve their version lists without a token)."""

    def __init__(self, protected, app, public_paths):
        self._protected = protected
        self._app = app
        self._public = _public(public_paths)

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "") or "/"
        if any(p.fullmatch(path) for p in self._public):
            for header in _IDENTITY_HEADERS:
                environ.pop("HTTP_" + header.upper().replace("-", "_"), None)
            return self._app(environ, start_response)
        return self._protected(environ, start_response)


class _DropCacheDeprecation(logging.Filter):
    # keystonemiddleware warns on every first token when memcache is off; the
    # sandbox runs without memcache on purpose, so the warning is only noise.
    def filter(self, record):
        return "in-process token cache is deprecated" not in record.getMessage()


logging.getLogger("keystonemiddleware.auth_token").addFilter(_DropCacheDeprecation())


def _oslo_config(config):
    # A private ConfigOpts with no config files: keystonemiddleware must not
    # pick up /etc/*.conf or the process-wide cfg.CONF of anything else.
    conf = cfg.ConfigOpts()
    conf([], project="dcos-sandbox", default_config_files=[], default_config_dirs=[])
    loading.register_auth_conf_options(conf, _GROUP)
    conf.register_opts(loading.get_auth_plugin_conf_options("password"), group=_GROUP)
    values = {
        "auth_type": "password",
        "auth_url": config.keystone_url,
        "username": "sandbox",
        "password": config.service_password,
        "project_name": "service",
        "user_domain_id": "default",
        "project_domain_id": "default",
    }
    for name, value in values.items():
        conf.set_override(name, value, group=_GROUP)
    return conf


def keystone_protect(app, config, public_paths=()):
    """Wrap ``app`` in keystonemiddleware's auth_token checking real tokens.

    ``public_paths`` are regular expressions (full match on PATH_INFO) served
    without a token.
    """
    protected = auth_token.AuthProtocol(
        app,
        {
            "oslo_config_config": _oslo_config(config),
            "www_authenticate_uri": config.keystone_url,
            "delay_auth_decision": False,
            "include_service_catalog": False,
            "memcached_servers": None,
            # The sandbox's Keystone is local: fail fast rather than hang.
            "http_connect_timeout": 10,
            "http_request_max_retries": 1,
        },
    )
    return _PublicRoutes(protected, app, public_paths)


class StaticTokens:
    """A stand-in for keystonemiddleware in unit tests: a dict of known tokens.

    ``tokens`` maps a token string to an :class:`Identity`. Unknown or
    missing tokens get keystonemiddleware's own 401 reply.
    """

    def __init__(self, app, tokens, public_paths=(), www_authenticate_uri=""):
        self._app = app
        self._tokens = dict(tokens)
        self._public = _public(public_paths)
        self._www_authenticate_uri = www_authenticate_uri

    def __call__(self, environ, start_response):
        for header in _IDENTITY_HEADERS:
            environ.pop("HTTP_" + header.upper().replace("-", "_"), None)
        path = environ.get("PATH_INFO", "") or "/"
        if any(p.fullmatch(path) for p in self._public):
            return self._app(environ, start_response)
        identity = self._tokens.get(environ.get("HTTP_X_AUTH_TOKEN", ""))
        if identity is None:
            return self._reject(start_response)
        environ.update(
            {
                "HTTP_X_IDENTITY_STATUS": "Confirmed",
                "HTTP_X_PROJECT_ID": identity.project_id,
                "HTTP_X_PROJECT_NAME": identity.project_name,
                "HTTP_X_USER_ID": identity.user_id,
                "HTTP_X_USER_NAME": identity.user_name,
                "HTTP_X_ROLES": ",".join(identity.roles),
            }
        )
        return self._app(environ, start_response)

    def _reject(self, start_response):
        # keystonemiddleware/auth_token/__init__.py: process_request's rejection.
        body = json.dumps(
            {
                "error": {
                    "code": 401,
                    "title": "Unauthorized",
                    "message": "The request you have made requires authentication.",
                }
            }
        ).encode()
        start_response(
            "401 Unauthorized",
            [
                ("Content-Type", "application/json; charset=UTF-8"),
                ("Content-Length", str(len(body))),
                ("WWW-Authenticate", f'Keystone uri="{self._www_authenticate_uri}"'),
            ],
        )
        return [body]
