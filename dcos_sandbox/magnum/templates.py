"""``/v1/clustertemplates``: magnum/api/controllers/v1/cluster_template.py."""

import uuid

from dcos_sandbox.auth import Identity
from dcos_sandbox.magnum import policy
from dcos_sandbox.magnum.collection import Collection, find_one
from dcos_sandbox.magnum.errors import MagnumError, invalid_input
from dcos_sandbox.magnum.validation import (
    DRIVER_NAMES,
    check_root_volume,
    find_image,
    validate_drivers,
    validate_os_resources,
)
from dcos_sandbox.magnum.wire import (
    INTERNAL_PATHS,
    TEMPLATE_DEFAULTS,
    TEMPLATE_SHOWN,
    apply_patch,
    check_patch,
    now_iso,
    parse_body,
    random_name,
    template_fields,
)
from dcos_sandbox.wsgi import empty_response, json_response, read_json

_NON_REMOVABLE = {
    "/coe",
    "/image_id",
    "/network_driver",
    "/external_network_id",
    "/tls_disabled",
    "/public",
    "/server_type",
    "/registry_enabled",
    "/cluster_distro",
    "/hidden",
}


class Templates:
    """Cluster templates of ``state``, checked against ``world``."""

    def __init__(self, state, world, clock, coes):
        self.state = state
        self.world = world
        self.clock = clock
        self.fields = template_fields(coes)
        self.collection = Collection(
            key="clustertemplates",
            rows=state.templates,
            visible=self.visible,
            sortable=tuple(TEMPLATE_SHOWN),
            missing=self.missing,
        )

    @staticmethod
    def visible(template, identity, all_tenants):
        if all_tenants:
            return True
        if template["project_id"] == identity.project_id:
            return True
        return template["public"] and (not template["hidden"] or identity.is_admin)

    @staticmethod
    def missing(ident):
        return MagnumError(404, f"ClusterTemplate {ident} could not be found.")

    def find(self, identity, ident, all_tenants=False):
        visible = [
            t
            for t in self.state.templates.values()
            if self.visible(t, identity, all_tenants)
        ]
        return find_one(
            visible,
            ident,
            "Multiple ClusterTemplates exist with same name. Please use "
            "the ClusterTemplate uuid instead.",
            self.missing,
        )

    @staticmethod
    def doc(request, template):
        doc = {k: template.get(k) for k in TEMPLATE_SHOWN}
        base = request.host_url
        doc["links"] = [
            {"href": f"{base}/v1/clustertemplates/{template['uuid']}", "rel": "self"},
            {"href": f"{base}/clustertemplates/{template['uuid']}", "rel": "bookmark"},
        ]
        return doc

    def list(self, request):
        detail = request.path_info.rstrip("/").endswith("/detail")
        identity = Identity.from_environ(request.environ)
        rule = "clustertemplate:detail" if detail else "clustertemplate:get_all"
        policy.enforce(identity, rule)
        return self.collection.respond(
            request,
            self.state.lock,
            lambda template: self.doc(request, template),
            "clustertemplates/detail" if detail else "clustertemplates",
        )

    def get(self, request, ident):
        identity = Identity.from_environ(request.environ)
        with self.state.lock:
            template = self.find(identity, ident, all_tenants=identity.is_admin)
            if (
                template["hidden"]
                and not identity.is_admin
                and template["project_id"] != identity.project_id
            ):
                raise self.missing(ident)
            if not template["public"]:
                policy.enforce(identity, "clustertemplate:get", template)
            return json_response(self.doc(request, template))

    def create(self, request):
        identity = Identity.from_environ(request.environ)
        body = read_json(request)
        values = parse_body(body, self.fields, "cluster_template")
        named = set(body)
        for name, default in TEMPLATE_DEFAULTS.items():
            if values.get(name) is None:
                values[name] = default
        validate_drivers(values)
        policy.enforce(identity, "clustertemplate:create")
        image = find_image(self.world, values["image_id"])
        validate_os_resources(self.world, identity, values)
        if (values["public"] or values["hidden"]) and not policy.allowed(
            identity, "clustertemplate:publish"
        ):
            raise MagnumError(
                403, "Not authorized to set public or hidden flag for cluster template."
            )
        values["labels"] = values.get("labels") or {}
        # The root volume check of each flavor the body names, None included.
        for attr in ("flavor_id", "master_flavor_id"):
            if attr in named:
                check_root_volume(
                    self.world.find_flavor, values[attr], values["labels"]
                )
        values["cluster_distro"] = image["os_distro"]
        values.setdefault("driver", None)
        values["driver"] = values["driver"] or DRIVER_NAMES[values["coe"]]
        if not values.get("name"):
            values["name"] = random_name("template")
        with self.state.lock:
            template_uuid = values.get("uuid") or str(uuid.uuid4())
            if template_uuid in self.state.templates:
                raise MagnumError(
                    409, f"A ClusterTemplate with UUID {template_uuid} already exists."
                )
            template = {name: None for name in TEMPLATE_SHOWN}
            template.update(values)
            template.update(
                id=self.state.new_id(),
                uuid=template_uuid,
                project_id=identity.project_id,
                user_id=identity.user_id,
                created_at=now_iso(self.clock),
                updated_at=None,
            )
            template.pop("links", None)
            self.state.templates[template_uuid] = template
            self.state.save()
            response = json_response(self.doc(request, template), status=201)
        response.headers["Location"] = (
            f"{request.host_url}/v1/clustertemplates/{template_uuid}"
        )
        return response

    def patch(self, request, ident):
        identity = Identity.from_environ(request.environ)
        patch = check_patch(read_json(request), INTERNAL_PATHS, _NON_REMOVABLE)
        with self.state.lock:
            # Magnum's PATCH validators (api/validation.py,
            # enforce_*_driver_types_update) read the template before the
            # controller sets all_tenants for an admin: another project's
            # private template is a 404 to the admin too.
            self.find(identity, ident)
            template = self.find(identity, ident, all_tenants=identity.is_admin)
            policy.enforce(identity, "clustertemplate:update", template)
            doc = {k: template.get(k) for k in TEMPLATE_SHOWN}
            patched = apply_patch(doc, patch)
            values = {}
            for name in TEMPLATE_SHOWN:
                value = patched.get(name)
                field = self.fields[name]
                values[name] = (
                    value if field.readonly else field.convert(name, value, True)
                )
            if values.get("coe") is None:
                raise invalid_input("coe", None, "Mandatory field missing.")
            if values.get("image_id") is None:
                raise invalid_input("image_id", None, "Mandatory field missing.")
            validate_drivers(values)
            validate_os_resources(self.world, identity, values)
            changed = {
                name
                for name in TEMPLATE_SHOWN
                if values[name] != template.get(name)
                and name
                not in ("created_at", "updated_at", "project_id", "user_id", "uuid")
            }
            if ({"public", "hidden"} & changed) and not policy.allowed(
                identity, "clustertemplate:publish"
            ):
                raise MagnumError(
                    403,
                    "Not authorized to set public or hidden flag for cluster template.",
                )
            # Unlike create, PATCH checks both flavors, a null one included
            # ("Unable to find flavor None."), against the boot_volume_size
            # of the labels as they were before the patch.
            for attr in ("flavor_id", "master_flavor_id"):
                check_root_volume(
                    self.world.find_flavor, values[attr], template.get("labels")
                )
            # magnum/db/sqlalchemy/api.py: a template in use may only be
            # renamed, published, hidden or re-tagged.
            if changed and self.state.in_use(template["uuid"]):
                publishing = len(changed) == 1 and (
                    ("public" in changed and values["public"] is True)
                    or "hidden" in changed
                    or ("tags" in changed and values["tags"] is not None)
                )
                if not publishing and changed != {"name"}:
                    raise MagnumError(
                        400,
                        f"ClusterTemplate {template['uuid']} is referenced by one or "
                        "multiple clusters.",
                    )
            # Magnum answers with the object as patched in memory before its
            # save(), which reads back neither the new updated_at nor what
            # the row stores: labels removed (null) are stored as {}
            # (magnum/db/sqlalchemy/models.py JSONEncodedDict).
            doc = self.doc(request, template)
            if changed:
                for name in changed:
                    doc[name] = values[name]
                    template[name] = values[name]
                if template["labels"] is None:
                    template["labels"] = {}
                template["updated_at"] = now_iso(self.clock)
                self.state.save()
            return json_response(doc)

    def delete(self, request, ident):
        identity = Identity.from_environ(request.environ)
        with self.state.lock:
            template = self.find(identity, ident, all_tenants=identity.is_admin)
            policy.enforce(identity, "clustertemplate:delete", template)
            if self.state.in_use(template["uuid"]):
                # magnum/common/exception.py ClusterTemplateReferenced
                raise MagnumError(
                    400,
                    f"ClusterTemplate {template['uuid']} is referenced by one or "
                    "multiple clusters.",
                )
            del self.state.templates[template["uuid"]]
            self.state.save()
        return empty_response(204)
