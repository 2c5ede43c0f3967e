"""The one guard both panels' views share: Horizon policy, enforced server-side."""

from django.core.exceptions import PermissionDenied
from openstack_auth import policy


class PolicyRequiredMixin:
    """Refuse the request (403), GET and POST alike, unless policy grants it.

    Tables hide the buttons a user may not use; this stops a crafted request.
    """

    policy_rules = ()

    def dispatch(self, request, *args, **kwargs):
        if self.policy_rules and not policy.check(self.policy_rules, request):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
