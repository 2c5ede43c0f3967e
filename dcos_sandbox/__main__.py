"""Command line of the embedded cloud.

    python -m dcos_sandbox serve                    # the stand-ins (make run starts it)
    python -m dcos_sandbox bays                     # simulated clusters and their knobs
    python -m dcos_sandbox knob BAY key=value ...   # set faults/scale on one bay

BAY is a bay's name or uuid. Values are JSON where they parse as JSON
(true, 3, null), text otherwise; null (or 0, false) resets a knob.
"""

import argparse
import json
import sys

import requests

from dcos_sandbox.config import Config

# What each knob does (dcos_sandbox.clusters checks the values).
KNOB_HELP = """knobs (null, 0 or false resets one):
  master_down=true        masters refuse connections (Mesos: or a list of
                          master indexes, [0, 2])
  blackhole=true          connections to the bay's addresses are never
                          accepted: connect() times out (a DC/OS bay then
                          answers, or rather does not, on a port of its own,
                          which Magnum reports as its api_address)
  slow_seconds=8          every answer waits this long
  no_leader=true          no elected Mesos leader (503)
  bad_json=true           bodies cut short
  oversize_bytes=N        bodies padded to N bytes
  auth_required=true      DC/OS login required (bootstrapuser / deleteme)
  old_mesos=true          Mesos 1.0 agents (DC/OS 1.8)
  leader=N                index of the leading master
  agents=N                agent count instead of node_count (up to 100000)
  disconnected=N deactivated=N draining=N drained=N unreachable=N
                          agents in that state
  unhealthy=N             agents unhealthy in /system/health/v1/nodes
  unhealthy_units=N       DC/OS components (/system/health/v1/units) unhealthy:
                          the first N, or a list of unit ids
                          '["dcos-marathon.service"]'
"""


def _value(text):
    try:
        return json.loads(text)
    except ValueError:
        return text


def _clusters(config):
    r = requests.get(f"{config.clusters_url}/_sandbox/clusters", timeout=10)
    r.raise_for_status()
    return r.json()["clusters"]


def _find(config, bay):
    matches = [c for c in _clusters(config) if bay in (c.get("uuid"), c.get("name"))]
    if len(matches) != 1:
        raise SystemExit(
            f"{len(matches)} simulated clusters are called {bay!r}; "
            "use the uuid (python -m dcos_sandbox bays lists them)"
        )
    return matches[0]["uuid"]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m dcos_sandbox")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="run the stand-ins until Ctrl-C")
    sub.add_parser("bays", help="list simulated clusters")
    knob = sub.add_parser(
        "knob",
        help="set knobs on a simulated cluster",
        epilog=KNOB_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    knob.add_argument("bay")
    knob.add_argument("settings", nargs="*", metavar="key=value")
    args = parser.parse_args(argv)
    config = Config.from_env()
    if args.command == "serve":
        from dcos_sandbox import server

        return server.main()
    try:
        if args.command == "bays":
            print(json.dumps(_clusters(config), indent=2))
            return 0
        uuid = _find(config, args.bay)
        knobs = {}
        for item in args.settings:
            key, sep, value = item.partition("=")
            if not sep:
                raise SystemExit(f"{item!r} is not key=value")
            knobs[key] = _value(value)
        url = f"{config.clusters_url}/_sandbox/clusters/{uuid}/knobs"
        if knobs:
            r = requests.post(url, json=knobs, timeout=10)
        else:
            r = requests.get(url, timeout=10)
        if r.status_code >= 400:
            raise SystemExit(f"{r.status_code}: {r.text}")
        print(json.dumps(r.json(), indent=2))
        return 0
    except requests.ConnectionError:
        raise SystemExit(
            f"nothing answers on {config.clusters_url}: is `make run` running?"
        ) from None


if __name__ == "__main__":
    sys.exit(main())
