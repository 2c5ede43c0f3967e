"""Magnum's default policy (magnum/common/policies/), as Magnum 23 enforces it.

oslo.policy's ``[oslo_policy] enforce_new_defaults`` is True by default since
oslo.policy 4.4 and Magnum 23 keeps that default, so the deprecated
``admin_or_owner`` rules (any role in the project) are not OR'd in: a reader
reads, a member writes, and a few actions are the admin's alone. Scopes are
not modelled: every token here is project-scoped, which every rule accepts.
"""

from dcos_sandbox.magnum.errors import MagnumError


def _admin(identity, target):
    return "admin" in identity.roles  # context_is_admin: role:admin


def _in_project(role):
    def check(identity, target):
        return role in identity.roles and identity.project_id == target["project_id"]

    return check


def _either(*checks):
    return lambda identity, target: any(c(identity, target) for c in checks)


def _member_user(identity, target):
    return (
        _in_project("member")(identity, target)
        and identity.user_id == target["user_id"]
    )


ADMIN = _admin
ADMIN_OR_READER = _either(_admin, _in_project("reader"))
ADMIN_OR_MEMBER = _either(_admin, _in_project("member"))

# (magnum/common/policies/base.py rule each action's default names)
RULES = {
    "cluster:create": ADMIN_OR_MEMBER,
    "cluster:delete": ADMIN_OR_MEMBER,
    "cluster:detail": ADMIN_OR_READER,
    "cluster:get": ADMIN_OR_READER,
    "cluster:get_all": ADMIN_OR_READER,
    "cluster:update": ADMIN_OR_MEMBER,
    "cluster:update_health_status": _either(_admin, _member_user),
    "clustertemplate:create": ADMIN_OR_MEMBER,
    "clustertemplate:delete": ADMIN_OR_MEMBER,
    "clustertemplate:detail": ADMIN_OR_READER,
    "clustertemplate:get": ADMIN_OR_READER,
    "clustertemplate:get_all": ADMIN_OR_READER,
    "clustertemplate:update": ADMIN_OR_MEMBER,
    "clustertemplate:publish": ADMIN,
    "stats:get_all": ADMIN_OR_READER,
    "quota:get": ADMIN_OR_READER,
    "quota:get_all": ADMIN,
    "quota:create": ADMIN,
    "quota:update": ADMIN,
    "quota:delete": ADMIN,
}


def allowed(identity, rule, target=None):
    """Whether ``identity`` may do ``rule`` on ``target`` (a row with
    project_id/user_id; by default the caller's own, as magnum.common.policy)."""
    if target is None:
        target = {"project_id": identity.project_id, "user_id": identity.user_id}
    return RULES[rule](identity, target)


def enforce(identity, rule, target=None):
    """magnum.common.policy.enforce: PolicyNotAuthorized, a 403, when refused."""
    if not allowed(identity, rule, target):
        raise MagnumError(403, f"Policy doesn't allow {rule} to be performed.")
