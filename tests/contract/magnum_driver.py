"""A test-only cluster driver for the real Magnum 23 of the contract suite.

Magnum 23 loads no cluster driver by default, and its real drivers need Heat.
This one builds nothing: a cluster is CREATE_COMPLETE as soon as the
conductor hands it over, and Magnum's own status sync (the periodic
``sync_cluster_status``, which the launcher runs twice a second) finishes
updates and deletes, as a Heat stack reaching *_COMPLETE would.
Only the launcher imports it, through the ``magnum.drivers`` entry point.
"""

from magnum.drivers.common import driver
from magnum.objects import fields

_DONE = {
    fields.ClusterStatus.UPDATE_IN_PROGRESS: fields.ClusterStatus.UPDATE_COMPLETE,
    fields.ClusterStatus.DELETE_IN_PROGRESS: fields.ClusterStatus.DELETE_COMPLETE,
}


class ContractDriver(driver.Driver):
    @property
    def provides(self):
        return [{"server_type": "vm", "os": "fedora-coreos", "coe": "kubernetes"}]

    def create_cluster(self, context, cluster, cluster_create_timeout):
        cluster.status = fields.ClusterStatus.CREATE_COMPLETE
        cluster.status_reason = "Stack CREATE completed successfully"
        cluster.api_address = "https://172.24.4.10:6443"

    def update_cluster_status(self, context, cluster, use_admin_ctx=False):
        if cluster.status in _DONE:
            cluster.status = _DONE[cluster.status]
            cluster.save()

    def update_cluster(self, context, cluster, scale_manager=None, rollback=False):
        pass

    def upgrade_cluster(self, *args, **kwargs):
        pass

    def delete_cluster(self, context, cluster):
        pass

    def resize_cluster(self, *args, **kwargs):
        pass

    def create_federation(self, context, federation):
        pass

    def update_federation(self, context, federation):
        pass

    def delete_federation(self, context, federation):
        pass

    def create_nodegroup(self, context, cluster, nodegroup):
        pass

    def update_nodegroup(self, context, cluster, nodegroup):
        pass

    def delete_nodegroup(self, context, cluster, nodegroup):
        pass
