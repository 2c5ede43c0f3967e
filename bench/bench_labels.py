"""Benchmark: validating a realistic 50-label dcos map against a 1 ms budget.

The wizard validates labels on every step it submits, so a call should cost
well under a millisecond. This prints the median time per call of
``validate_labels`` and its share of that budget; nothing here asserts on time.

Run: ``.venv/bin/python bench/bench_labels.py [calls-per-repeat] [repeats]``.
"""

from __future__ import annotations

import json
import statistics
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dcos_dashboard.labels import (  # noqa: E402
    canonicalize_labels,
    format_labels,
    parse_labels,
    validate_labels,
)

BUDGET_SECONDS = 1e-3
CALLS = 2_000
REPEATS = 15

OVERLAY = {
    "vtep_subnet": "44.128.0.0/20",
    "vtep_mac_oui": "70:B3:D5:00:00:00",
    "overlays": [
        {"name": "dcos", "subnet": "9.0.0.0/8", "prefix": 24},
        {"name": "dcos6", "subnet": "12.0.0.0/8", "prefix": 26},
    ],
}

# Every catalogue label a bay with S3-backed Exhibitor can carry (23) ...
CATALOGUE_LABELS = {
    "isolation": "docker/volume,gpu/nvidia,linux/seccomp,cgroups/blkio",
    "launcher": "linux",
    "image_providers": "docker,appc",
    "exhibitor_storage_backend": "aws_s3",
    "aws_access_key_id": "AKIAIOSFODNN7EXAMPLE",
    "aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "aws_region": "eu-west-1",
    "s3_bucket": "exhibitor-state",
    "s3_prefix": "dcos/prod",
    "exhibitor_explicit_keys": "true",
    "dcos_overlay_enable": "true",
    "dcos_overlay_config_attempts": "4",
    "dcos_overlay_mtu": "1420",
    "dcos_overlay_network": json.dumps(OVERLAY),
    "dns_search": "example.com corp.example.com lab.example.com",
    "check_time": "True",
    "docker_remove_delay": "1",
    "gc_delay": "2",
    "log_directory": "/genconf/logs",
    "process_timeout": "120",
    "oauth_enabled": "false",
    "telemetry_enabled": "false",
    "rexray_preempt": "false",
}
# ... and 27 the operator allows through DCOS_DASHBOARD['EXTRA_LABELS'].
EXTRA_LABELS = {
    f"site_{name}": value
    for name, value in (
        ("owner", "platform-team"),
        ("cost_center", "cc-4711"),
        ("environment", "production"),
        ("backup_policy", "daily"),
        ("monitoring", "prometheus"),
        ("log_shipping", "fluentbit"),
        ("ntp_servers", "0.pool.ntp.org,1.pool.ntp.org"),
        ("proxy", "http://proxy.example.com:3128"),
        ("no_proxy", "localhost,127.0.0.1,.example.com"),
        ("registry_mirror", "https://mirror.example.com"),
        ("registry_insecure", "false"),
        ("docker_storage_driver", "overlay2"),
        ("docker_log_driver", "journald"),
        ("kernel", "5.14"),
        ("selinux", "permissive"),
        ("firewall", "off"),
        ("public_agents", "2"),
        ("private_agents", "5"),
        ("agent_role", "slave_public"),
        ("marathon_lb", "true"),
        ("metronome", "true"),
        ("cosmos_repo", "https://universe.example.com/repo"),
        ("ca_bundle", "/etc/pki/tls/certs/ca-bundle.crt"),
        ("ssh_user", "centos"),
        ("timezone", "UTC"),
        ("rack", "r42"),
        ("datacenter", "fra1"),
    )
}
LABELS = {**CATALOGUE_LABELS, **EXTRA_LABELS}
EXTRA_KEYS = tuple(EXTRA_LABELS)

# The same map after a careless edit: typos that need suggestions, bad values,
# a broken JSON value and a contradiction.
BROKEN = {
    **LABELS,
    "isolation": "docker/volume,gpu/nvidia,posix/cpus",
    "launcher": "posix",
    "dcos_overlay_network": json.dumps(OVERLAY)[:-2],
    "gc_delay": "two",
    "dns_serach": "example.com",
    "s3_prefx": "dcos",
}


def _per_call(statement, calls: int, repeats: int) -> float:
    """Median seconds per call over ``repeats`` batches of ``calls``."""
    batches = timeit.repeat(statement, number=calls, repeat=repeats)
    return statistics.median(batches) / calls


def _report(name: str, seconds: float) -> None:
    print(
        f"{name:<44} {seconds * 1e6:9.1f} us/call  "
        f"{seconds / BUDGET_SECONDS:6.3f} x the 1 ms budget"
    )


def main(argv: list[str] | None = None) -> list[str]:
    """Print the figures; return the summary lines for ``python -m bench``."""
    argv = sys.argv[1:] if argv is None else argv
    calls = int(argv[0]) if argv else CALLS
    repeats = int(argv[1]) if len(argv) > 1 else REPEATS
    valid_errors = validate_labels("dcos", LABELS, EXTRA_KEYS)
    broken_errors = validate_labels("dcos", BROKEN, EXTRA_KEYS)
    text = format_labels(LABELS)

    print(
        f"\n== 5. Label validation: validate_labels, dcos, {len(LABELS)} labels "
        f"({len(CATALOGUE_LABELS)} catalogue + {len(EXTRA_KEYS)} extra); "
        f"median of {repeats} x {calls} calls"
    )
    valid = _per_call(
        lambda: validate_labels("dcos", LABELS, EXTRA_KEYS), calls, repeats
    )
    _report(f"valid map ({len(valid_errors)} messages)", valid)
    _report(
        f"broken map ({len(broken_errors)} messages)",
        _per_call(lambda: validate_labels("dcos", BROKEN, EXTRA_KEYS), calls, repeats),
    )
    step = _per_call(
        lambda: validate_labels(
            "dcos", canonicalize_labels("dcos", parse_labels(text)), EXTRA_KEYS
        ),
        calls,
        repeats,
    )
    _report("parse + canonicalize + validate (wizard step)", step)
    return [
        f"5. validate 50 labels: {valid * 1e6:.0f} us/call ="
        f" {valid / BUDGET_SECONDS:.3f} x the 1 ms budget (goal <= 1);"
        f" wizard step {step * 1e6:.0f} us"
    ]


if __name__ == "__main__":
    main()
