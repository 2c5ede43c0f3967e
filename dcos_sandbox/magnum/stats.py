"""``/v1/stats`` and ``/v1/quotas``: what magnum-ui's Clusters panel asks on
every load, answered from counts (magnum/api/controllers/v1/stats.py and
quota.py), never by listing clusters."""

from dcos_sandbox.auth import Identity
from dcos_sandbox.magnum import policy
from dcos_sandbox.magnum.errors import MagnumError, invalid_input
from dcos_sandbox.magnum.wire import now_iso
from dcos_sandbox.wsgi import empty_response, json_response, read_json

RESOURCES = ("Cluster",)  # magnum/objects/fields.py QuotaResourceName.ALL


class Stats:
    """Cluster and node counts, and per-project cluster quotas, of ``state``."""

    def __init__(self, state, clock, default_limit):
        self.state = state
        self.clock = clock
        self.default_limit = default_limit

    def stats(self, request):
        identity = Identity.from_environ(request.environ)
        policy.enforce(identity, "stats:get_all")
        if request.GET.get("type", "cluster").lower() != "cluster":
            raise MagnumError(400, "Invalid stats type. Allowed values are 'cluster'")
        project_id = request.GET.get("project_id")
        if not identity.is_admin:
            project_id = project_id or identity.project_id
            if project_id != identity.project_id:
                raise MagnumError(403, "Not authorized.")
        with self.state.lock:
            clusters = [
                c
                for c in self.state.clusters.values()
                if not project_id or c["project_id"] == project_id
            ]
            # get_cluster_stats sums the node groups: workers and masters.
            nodes = sum(c["node_count"] + c["master_count"] for c in clusters)
        return json_response({"clusters": len(clusters), "nodes": nodes})

    # --- quotas ----------------------------------------------------------

    def limit(self, project_id):
        """The cluster limit of a project: its quota, else the default
        (None: unlimited, the stand-in's own setting)."""
        quota = self._find(project_id, "Cluster")
        return self.default_limit if quota is None else quota["hard_limit"]

    def _find(self, project_id, resource):
        for quota in self.state.quotas:
            if (quota["project_id"], quota["resource"]) == (project_id, resource):
                return quota
        return None

    @staticmethod
    def _doc(quota):
        return {
            k: quota[k]
            for k in ("id", "project_id", "resource", "hard_limit", "created_at")
        } | {"updated_at": quota.get("updated_at")}

    def get(self, request, project_id, resource):
        identity = Identity.from_environ(request.environ)
        policy.enforce(identity, "quota:get")
        if not identity.is_admin and project_id != identity.project_id:
            raise MagnumError(403, "Not authorized.")
        with self.state.lock:
            quota = self._find(project_id, resource)
            if quota is not None:
                return json_response(self._doc(quota))
        # No explicit quota: the default, as Magnum builds it (no id, no dates).
        limit = self.default_limit
        return json_response(
            {
                "project_id": project_id,
                "hard_limit": limit if limit is not None else 2**31 - 1,
                "resource": "Cluster",
            }
        )

    def list(self, request):
        identity = Identity.from_environ(request.environ)
        policy.enforce(identity, "quota:get_all")
        everyone = request.GET.get("all_tenants", "").lower() in ("1", "true")
        with self.state.lock:
            quotas = [
                self._doc(q)
                for q in sorted(self.state.quotas, key=lambda q: q["id"])
                if everyone or q["project_id"] == identity.project_id
            ]
        return json_response({"quotas": quotas})

    def _values(self, body):
        if not isinstance(body, dict):
            raise MagnumError(400, "Invalid data: expected a JSON object")
        limit = body.get("hard_limit", 1)
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise invalid_input(
                "hard_limit", limit, "Value should be greater or equal to 0"
            )
        resource = body.get("resource", "Cluster")
        if resource not in RESOURCES:
            raise invalid_input(
                "resource", resource, "Value should be one of: " + ", ".join(RESOURCES)
            )
        return limit, resource

    def create(self, request):
        identity = Identity.from_environ(request.environ)
        body = read_json(request)
        limit, resource = self._values(body)
        policy.enforce(identity, "quota:create")
        project_id = body.get("project_id")
        if not project_id:
            raise MagnumError(400, "Must provide a valid project ID.")
        with self.state.lock:
            if self._find(project_id, resource) is not None:
                raise MagnumError(
                    409,
                    f"Quota for project {project_id} already exists for resource "
                    f"{resource}.",
                )
            quota = {
                "id": self.state.new_id(),
                "project_id": project_id,
                "resource": resource,
                "hard_limit": limit,
                "created_at": now_iso(self.clock),
                "updated_at": None,
            }
            self.state.quotas.append(quota)
            self.state.save()
            return json_response(self._doc(quota), status=201)

    def update(self, request, project_id, resource):
        identity = Identity.from_environ(request.environ)
        limit, _ = self._values(read_json(request))
        policy.enforce(identity, "quota:update")
        with self.state.lock:
            quota = self._find(project_id, resource)
            if quota is None:
                raise MagnumError(
                    404,
                    f"Quota could not be found: Quota for project {project_id} "
                    f"and resource {resource} not found.",
                )
            quota.update(hard_limit=limit, updated_at=now_iso(self.clock))
            self.state.save()
            return json_response(self._doc(quota), status=202)

    def delete(self, request, project_id, resource):
        identity = Identity.from_environ(request.environ)
        policy.enforce(identity, "quota:delete")
        with self.state.lock:
            quota = self._find(project_id, resource)
            if quota is not None:
                self.state.quotas.remove(quota)
                self.state.save()
        return empty_response(204)
