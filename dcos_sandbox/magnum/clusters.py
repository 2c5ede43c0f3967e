"""``/v1/clusters``: magnum/api/controllers/v1/cluster.py."""

import uuid

from dcos_sandbox.auth import Identity
from dcos_sandbox.magnum import policy
from dcos_sandbox.magnum.collection import Collection, find_one
from dcos_sandbox.magnum.errors import MagnumError, invalid_input
from dcos_sandbox.magnum.validation import check_root_volume, validate_os_resources
from dcos_sandbox.magnum.versions import request_version
from dcos_sandbox.magnum.wire import (
    CLUSTER_BRIEF,
    CLUSTER_FIELDS,
    CLUSTER_SHOWN,
    CLUSTER_UPDATABLE,
    INTERNAL_PATHS,
    apply_patch,
    check_patch,
    now_iso,
    parse_body,
    random_name,
    truthy,
)
from dcos_sandbox.wsgi import empty_response, json_response, read_json

DEFAULT_MAX_CLUSTERS = 20  # magnum/conf/quota.py max_clusters_per_project

# magnum/conductor/handlers/cluster_conductor.py, cluster_update.
UPDATABLE_STATES = (
    "CREATE_COMPLETE",
    "UPDATE_COMPLETE",
    "RESUME_COMPLETE",
    "RESTORE_COMPLETE",
    "ROLLBACK_COMPLETE",
    "SNAPSHOT_COMPLETE",
    "CHECK_COMPLETE",
    "ADOPT_COMPLETE",
)
_INTERNAL = INTERNAL_PATHS | {
    "/api_address",
    "/node_addresses",
    "/master_addresses",
    "/stack_id",
    "/cluster_id",
    "/ca_cert_ref",
    "/magnum_cert_ref",
    "/etcd_ca_cert_ref",
    "/front_proxy_ca_cert_ref",
}


class Clusters:
    """Clusters (bays) of ``state``; their operations go to ``lifecycle``."""

    def __init__(self, state, world, clock, templates, lifecycle, row_delay, limit):
        self.state = state
        self.world = world
        self.clock = clock
        self.templates = templates
        self.lifecycle = lifecycle
        self.row_delay = row_delay
        self.limit = limit  # limit(project_id): its cluster quota, None: unlimited
        self.collection = Collection(
            key="clusters",
            rows=state.clusters,
            visible=self.visible,
            sortable=tuple(CLUSTER_SHOWN),
            missing=self.missing,
        )

    def visible(self, cluster, identity, all_tenants):
        if cluster["_visible_at"] > self.clock():
            return False
        return all_tenants or cluster["project_id"] == identity.project_id

    @staticmethod
    def missing(ident):
        return MagnumError(404, f"Cluster {ident} could not be found.")

    def find(self, identity, ident):
        visible = [
            c
            for c in self.state.clusters.values()
            if self.visible(c, identity, identity.is_admin)
        ]
        return find_one(
            visible,
            ident,
            "Multiple clusters exist with same name. Please use the "
            "cluster uuid instead.",
            self.missing,
        )

    def doc(self, request, cluster, expand, with_faults=False):
        use_cluster_id = request_version(request) >= (1, 13)
        if expand:
            doc = {k: cluster.get(k) for k in CLUSTER_SHOWN}
            # magnum/db/sqlalchemy/models.py JSONEncodedDict reads null as {}.
            if doc["health_status_reason"] is None:
                doc["health_status_reason"] = {}
            parent = (
                self.state.templates.get(cluster["cluster_template_id"]) or {}
            ).get("labels") or {}
            labels = cluster.get("labels") or {}
            doc["labels_overridden"] = {
                k: parent[k]
                for k, v in labels.items()
                if k in parent and parent[k] != v
            }
            doc["labels_added"] = {k: v for k, v in labels.items() if k not in parent}
            doc["labels_skipped"] = {k: v for k, v in parent.items() if k not in labels}
            if use_cluster_id:
                doc["cluster_id"] = doc.pop("stack_id")
        else:
            doc = {k: cluster.get(k) for k in CLUSTER_BRIEF}
            if use_cluster_id:
                doc["cluster_id"] = cluster.get("stack_id")
            else:
                doc["stack_id"] = cluster.get("stack_id")
        # magnum/api/controllers/v1/cluster.py: merge_labels is never stored,
        # so every document shows the attribute's default.
        doc["merge_labels"] = False
        if with_faults and cluster["status"].endswith("_FAILED"):
            doc["faults"] = dict(cluster.get("_faults") or {})
        base = request.host_url
        doc["links"] = [
            {"href": f"{base}/v1/clusters/{cluster['uuid']}", "rel": "self"},
            {"href": f"{base}/clusters/{cluster['uuid']}", "rel": "bookmark"},
        ]
        return doc

    def _list(self, request, expand):
        identity = Identity.from_environ(request.environ)
        policy.enforce(identity, "cluster:detail" if expand else "cluster:get_all")
        return self.collection.respond(
            request,
            self.state.lock,
            lambda cluster: self.doc(request, cluster, expand),
            "clusters/detail" if expand else "clusters",
        )

    def list(self, request):
        return self._list(request, expand=False)

    def list_detail(self, request):
        return self._list(request, expand=True)

    def get(self, request, ident):
        identity = Identity.from_environ(request.environ)
        with self.state.lock:
            cluster = self.find(identity, ident)
            policy.enforce(identity, "cluster:get", cluster)
            return json_response(self.doc(request, cluster, True, with_faults=True))

    def create(self, request):
        identity = Identity.from_environ(request.environ)
        version = request_version(request)
        values = parse_body(read_json(request), CLUSTER_FIELDS, "cluster")
        for name, default in (
            ("node_count", 1),
            ("master_count", 1),
            ("create_timeout", 60),
        ):
            if values.get(name) is None:
                values[name] = default
        with self.state.lock:
            try:
                template = self.templates.find(identity, values["cluster_template_id"])
            except MagnumError as e:
                # magnum/api/validation.py ct_not_found_to_bad_request (< 1.10).
                if e.status == 404 and version < (1, 10):
                    e.status = 400
                raise
            # The decorators of ClusterController.post, in their order:
            # enforce_cluster_volume_storage_size, then
            # enforce_cluster_master_size_supported (the driver's
            # validate_master_size), then post's own zero-node check.
            storage = template.get("docker_storage_driver")
            size = values.get("docker_volume_size") or template.get(
                "docker_volume_size"
            )
            if storage == "devicemapper" and (not size or size < 3):
                raise MagnumError(
                    400,
                    f"docker volume size {size} GB is not valid, expecting minimum "
                    "value 3GB for devicemapper storage driver.",
                )
            if values["master_count"] % 2 == 0:
                raise MagnumError(
                    400,
                    f"master nodegroup size of {values['master_count']} is invalid, "
                    "size cannot be an even number.",
                )
            if version < (1, 10) and values["node_count"] == 0:
                raise MagnumError(
                    400,
                    "Resizing a nodegroup to zero is not supported in the "
                    "provided microversion.",
                )
            policy.enforce(identity, "cluster:create")
            own = [
                c
                for c in self.state.clusters.values()
                if c["project_id"] == identity.project_id
            ]
            limit = self.limit(identity.project_id)
            if limit is not None and len(own) >= limit:
                raise MagnumError(
                    403,
                    "Resource limit exceeded: You have reached the maximum clusters "
                    f"per project, {limit}. You may delete a cluster to "
                    "make room for a new one.",
                )
            if template["hidden"] and not identity.is_admin:
                raise MagnumError(403, "Not authorized.")
            cluster = self._from_request(values, template)
            # The root volume check of both flavors, None included.
            for attr in ("flavor_id", "master_flavor_id"):
                check_root_volume(
                    self.world.find_flavor, cluster[attr], cluster["labels"]
                )
            validate_os_resources(self.world, identity, template, cluster)
            if cluster["master_count"] > 1 and not cluster["master_lb_enabled"]:
                raise MagnumError(
                    400, "master_count must be 1 when master_lb_enabled is False"
                )
            now = self.clock()
            cluster.update(
                id=self.state.new_id(),
                uuid=values.get("uuid") or str(uuid.uuid4()),
                project_id=identity.project_id,
                user_id=identity.user_id,
                name=cluster["name"] or random_name("cluster"),
                stack_id=str(uuid.uuid4()),
                status="CREATE_IN_PROGRESS",
                status_reason=None,
                created_at=now_iso(self.clock),
                updated_at=None,
                _visible_at=now + self.row_delay,
                _faults=None,
            )
            if cluster["uuid"] in self.state.clusters:
                raise MagnumError(
                    409, f"A cluster with UUID {cluster['uuid']} already exists."
                )
            fail = "fail" in cluster["name"].lower() or truthy(
                (cluster["labels"] or {}).get("sandbox_fail", "")
            )
            self.lifecycle.schedule(cluster, "create", fail=fail)
            self.state.clusters[cluster["uuid"]] = cluster
            self.state.save()
        return json_response({"uuid": cluster["uuid"]}, status=202)

    @staticmethod
    def _from_request(values, template):
        """A new bay filled in from its template, as Magnum's cluster POST does."""
        cluster = {name: None for name in CLUSTER_SHOWN}
        for name, value in values.items():
            if name in cluster:
                cluster[name] = value
        cluster["cluster_template_id"] = template["uuid"]
        if cluster["keypair"] is None:
            cluster["keypair"] = template.get("keypair_id")
        labels = values.get("labels")
        if not labels:
            cluster["labels"] = dict(template.get("labels") or {})
        elif values.get("merge_labels"):
            cluster["labels"] = {**(template.get("labels") or {}), **labels}
        for name in ("floating_ip_enabled", "master_lb_enabled"):
            if values.get(name) is None:
                cluster[name] = template.get(name)
        for name in (
            "docker_volume_size",
            "master_flavor_id",
            "flavor_id",
            "fixed_network",
            "fixed_subnet",
        ):
            if not values.get(name):
                cluster[name] = template.get(name)
        cluster.update(
            status=None,
            status_reason=None,
            health_status=None,
            health_status_reason={},
            api_address=None,
            coe_version=None,
            container_version=None,
            discovery_url=values.get("discovery_url"),
            master_addresses=[],
            node_addresses=[],
        )
        return cluster

    def patch(self, request, ident):
        identity = Identity.from_environ(request.environ)
        version = request_version(request)
        patch = check_patch(read_json(request), _INTERNAL, {"/cluster_template_id"})
        with self.state.lock:
            cluster = self.find(identity, ident)
            policy.enforce(identity, "cluster:update", cluster)
            policy.enforce(identity, "cluster:update_health_status")
            doc = {k: cluster.get(k) for k in CLUSTER_SHOWN}
            patched = apply_patch(doc, patch)
            changed = set()
            new = {}
            for name in CLUSTER_SHOWN:
                field = CLUSTER_FIELDS[name]
                value = patched.get(name)
                new[name] = (
                    value if field.readonly else field.convert(name, value, True)
                )
                if new[name] != cluster.get(name):
                    changed.add(name)
            disallowed = sorted(changed - CLUSTER_UPDATABLE)
            if disallowed:
                raise MagnumError(
                    400, f"cannot change cluster property(ies) {', '.join(disallowed)}."
                )
            node_count = cluster["node_count"]
            for p in patch:
                if p["path"] == "/node_count":
                    node_count = new["node_count"]
            if node_count is None:
                raise invalid_input("node_count", None, "Mandatory field missing.")
            if version < (1, 10) and node_count == 0:
                raise MagnumError(
                    400,
                    "Resizing a nodegroup to zero is not supported in the "
                    "provided microversion.",
                )
            # The conductor applies this asynchronously and silently drops it
            # when the bay is busy (cluster_conductor.cluster_update).
            if cluster["status"] in UPDATABLE_STATES:
                cluster["health_status"] = new["health_status"]
                reason = new["health_status_reason"]
                cluster["health_status_reason"] = {} if reason is None else reason
                if node_count != cluster["node_count"]:
                    cluster["node_count"] = node_count
                    cluster["status"] = "UPDATE_IN_PROGRESS"
                    cluster["status_reason"] = None
                    cluster["updated_at"] = now_iso(self.clock)
                    self.lifecycle.schedule(cluster, "update", node_count=node_count)
                self.state.save()
        return json_response({"uuid": cluster["uuid"]}, status=202)

    def delete(self, request, ident):
        identity = Identity.from_environ(request.environ)
        with self.state.lock:
            cluster = self.find(identity, ident)
            policy.enforce(identity, "cluster:delete", cluster)
            if cluster["status"] != "DELETE_IN_PROGRESS":
                cluster["status"] = "DELETE_IN_PROGRESS"
                cluster["status_reason"] = None
                cluster["updated_at"] = now_iso(self.clock)
                self.lifecycle.schedule(cluster, "delete")
                self.state.save()
        return empty_response(204)
