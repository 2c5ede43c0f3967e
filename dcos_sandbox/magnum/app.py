"""The Magnum stand-in's WSGI app: routes, microversions, errors as Magnum
writes them; the resources themselves live in ``templates`` and ``clusters``."""

import logging
import time
from pathlib import Path

from dcos_sandbox.magnum import versions
from dcos_sandbox.magnum.clusters import DEFAULT_MAX_CLUSTERS, Clusters
from dcos_sandbox.magnum.errors import MagnumError, error_body
from dcos_sandbox.magnum.lifecycle import Lifecycle
from dcos_sandbox.magnum.stats import Stats
from dcos_sandbox.magnum.store import State
from dcos_sandbox.magnum.templates import Templates
from dcos_sandbox.magnum.validation import COES
from dcos_sandbox.wsgi import App, json_response

LOG = logging.getLogger(__name__)


class Magnum(App):
    """The Magnum v1 WSGI app with its bays' lifecycle.

    ``simulator`` has the ClusterSimulator interface (create/resize/delete/
    addresses) or is None; bays of COEs it cannot simulate (kubernetes, swarm)
    complete with made-up addresses that nothing answers on. Call
    :meth:`start` to run the background ticker and :meth:`stop` to end it.
    """

    public_paths = (r"/", r"/v1/?")

    def __init__(
        self,
        config,
        world,
        simulator=None,
        *,
        row_delay=0.3,
        max_clusters_per_project=DEFAULT_MAX_CLUSTERS,
        tick_seconds=0.05,
        clock=time.time,
    ):
        if config.magnum_mode not in COES:
            raise ValueError(f"unknown magnum_mode {config.magnum_mode!r}")
        self.config = config
        self.state = State(Path(config.state_dir) / "magnum.json")
        self.lifecycle = Lifecycle(
            self.state, simulator, clock, config.transition_seconds, tick_seconds
        )
        self.templates = Templates(self.state, world, clock, COES[config.magnum_mode])
        self.stats = Stats(self.state, clock, max_clusters_per_project)
        self.clusters = Clusters(
            self.state,
            world,
            clock,
            self.templates,
            self.lifecycle,
            row_delay,
            self.stats.limit,
        )
        super().__init__()

    def start(self):
        """Bring simulated clusters back after a restart, then start ticking."""
        self.lifecycle.start()
        return self

    def stop(self):
        self.lifecycle.stop()

    def routes(self, add):
        templates, clusters = self.templates, self.clusters
        add("GET", "/", versions.root)
        add("GET", "/v1", versions.v1)
        add("GET", "/v1/clustertemplates", templates.list)
        add("GET", "/v1/clustertemplates/detail", templates.list)
        add("POST", "/v1/clustertemplates", templates.create)
        add("GET", "/v1/clustertemplates/{ident}", templates.get)
        add("PATCH", "/v1/clustertemplates/{ident}", templates.patch)
        add("DELETE", "/v1/clustertemplates/{ident}", templates.delete)
        add("GET", "/v1/clusters", clusters.list)
        add("GET", "/v1/clusters/detail", clusters.list_detail)
        add("POST", "/v1/clusters", clusters.create)
        add("GET", "/v1/clusters/{ident}", clusters.get)
        add("PATCH", "/v1/clusters/{ident}", clusters.patch)
        add("DELETE", "/v1/clusters/{ident}", clusters.delete)
        stats = self.stats
        add("GET", "/v1/stats", stats.stats)
        add("GET", "/v1/quotas", stats.list)
        add("POST", "/v1/quotas", stats.create)
        add("GET", "/v1/quotas/{project_id}/{resource}", stats.get)
        add("PATCH", "/v1/quotas/{project_id}/{resource}", stats.update)
        add("DELETE", "/v1/quotas/{project_id}/{resource}", stats.delete)

    def handle(self, request):
        headers = {}
        try:
            if request.path_info.startswith("/v1"):
                version = versions.negotiate(request, headers)
                request.environ["sandbox.magnum_version"] = version
            self.lifecycle.advance()
            response = self.router.dispatch(request)
        except MagnumError as e:
            headers.update(e.headers)
            body = e.body if e.body is not None else error_body(e.status, e.message)
            response = json_response(body, status=e.status)
        except Exception:
            LOG.exception("magnum: %s %s failed", request.method, request.path)
            response = json_response(
                error_body(500, "An unknown exception occurred."), status=500
            )
        for name, value in headers.items():
            response.headers[name] = value
        return response

    def not_found(self, request):
        # Pecan's own 404 is HTML; Magnum's middleware then finds no fault
        # string to parse, so title and detail come out empty.
        return json_response(error_body(404, ""), status=404)

    def not_allowed(self, request, allowed):
        response = json_response(error_body(405, ""), status=405)
        response.headers["Allow"] = ", ".join(allowed)
        return response
