"""Where every part of the embedded cloud listens and keeps its state.

Every value can be moved by an environment variable, so tests can run a
private cloud on free ports beside a developer's ``make run``.
"""

import dataclasses
import os
import socket
from pathlib import Path

HOST = "127.0.0.1"


def free_port() -> int:
    """A port nothing listens on now (the kernel's pick), on 127.0.0.1."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


_PORTS = (
    "keystone_port",
    "magnum_port",
    "glance_port",
    "nova_port",
    "neutron_port",
    "clusters_port",
    "horizon_port",
)


def _port(name, default):
    return int(os.environ.get(name, default))


@dataclasses.dataclass(frozen=True)
class Config:
    state_dir: Path
    keystone_port: int = 5000
    magnum_port: int = 9511
    glance_port: int = 9292
    nova_port: int = 8774
    neutron_port: int = 9696
    clusters_port: int = 9700
    horizon_port: int = 8000
    admin_user: str = "admin"
    admin_password: str = "admin"  # noqa: S105 - the sandbox's documented login
    demo_user: str = "demo"
    demo_password: str = "demo"  # noqa: S105
    demo_project: str = "demo"
    service_password: str = "sandbox-service"  # noqa: S105
    # "dcos" = a Magnum with the DC/OS driver enabled (accepts dcos and mesos);
    # "stock" = Magnum >= 16 (rejects them with Magnum's own message).
    magnum_mode: str = "dcos"
    # Seconds a bay spends in CREATE_IN_PROGRESS (and the other *_IN_PROGRESS).
    transition_seconds: float = 3.0
    host: str = HOST

    @classmethod
    def from_env(cls, **overrides):
        env = os.environ
        values = dict(
            state_dir=Path(env.get("DCOS_SANDBOX_DIR", ".sandbox")).resolve(),
            keystone_port=_port("DCOS_SANDBOX_KEYSTONE_PORT", 5000),
            magnum_port=_port("DCOS_SANDBOX_MAGNUM_PORT", 9511),
            glance_port=_port("DCOS_SANDBOX_GLANCE_PORT", 9292),
            nova_port=_port("DCOS_SANDBOX_NOVA_PORT", 8774),
            neutron_port=_port("DCOS_SANDBOX_NEUTRON_PORT", 9696),
            clusters_port=_port("DCOS_SANDBOX_CLUSTERS_PORT", 9700),
            horizon_port=_port("DCOS_DASHBOARD_PORT", 8000),
            admin_user=env.get("DCOS_SANDBOX_ADMIN_USER", "admin"),
            admin_password=env.get("DCOS_SANDBOX_ADMIN_PASSWORD", "admin"),
            demo_user=env.get("DCOS_SANDBOX_DEMO_USER", "demo"),
            demo_password=env.get("DCOS_SANDBOX_DEMO_PASSWORD", "demo"),
            demo_project=env.get("DCOS_SANDBOX_DEMO_PROJECT", "demo"),
            service_password=env.get(
                "DCOS_SANDBOX_SERVICE_PASSWORD", "sandbox-service"
            ),
            magnum_mode=env.get("DCOS_SANDBOX_MAGNUM_MODE", "dcos"),
            transition_seconds=float(env.get("DCOS_SANDBOX_TRANSITION_SECONDS", 3.0)),
        )
        values.update(overrides)
        return cls(**values)

    @classmethod
    def on_free_ports(cls, state_dir, **overrides):
        """A private cloud: every port free now, state in ``state_dir``.

        For tests and benchmarks that run beside a developer's `make run`.
        """
        ports = {name: free_port() for name in _PORTS}
        return cls.from_env(state_dir=Path(state_dir), **{**ports, **overrides})

    def url(self, port, path=""):
        return f"http://{self.host}:{port}{path}"

    @property
    def keystone_url(self):
        return self.url(self.keystone_port, "/v3")

    @property
    def magnum_url(self):
        return self.url(self.magnum_port, "/v1")

    @property
    def glance_url(self):
        return self.url(self.glance_port)

    @property
    def nova_url(self):
        return self.url(self.nova_port, "/v2.1")

    @property
    def neutron_url(self):
        return self.url(self.neutron_port)

    @property
    def clusters_url(self):
        return self.url(self.clusters_port)
