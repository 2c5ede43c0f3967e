"""Runs real Magnum 23 (API and conductor, one process) for the contract tests.

    python run_magnum.py <magnum.conf> <state dir>

No message broker: ``transport_url = fake://`` carries the API's casts to
the conductor inside this process. The database is SQLite, its tables made
from Magnum's models (``magnum-db-manage upgrade`` cannot ALTER on SQLite).
The test driver of ``magnum_driver.py`` is registered in the
``magnum.drivers`` entry-point group through a ``.dist-info`` folder put
first on ``sys.path``, so nothing gets installed. Serves until killed (the
conductor ignores SIGTERM: stop it with SIGKILL).
"""

import sys
import threading
import time
from pathlib import Path

ENTRY_POINT = "contract = magnum_driver:ContractDriver"
# Magnum's periodic sync_cluster_status runs every 10 s; half a second keeps
# the tests short.
SYNC_SECONDS = 0.5


def register_driver(state_dir):
    """A distribution importlib.metadata finds, declaring only the driver."""
    site = state_dir / "entry-points"
    info = site / "contract_magnum_driver-0.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: contract-magnum-driver\nVersion: 0\n"
    )
    (info / "entry_points.txt").write_text(f"[magnum.drivers]\n{ENTRY_POINT}\n")
    sys.path.insert(0, str(site))
    sys.path.insert(1, str(Path(__file__).resolve().parent))


def autocommit_sqlite():
    """Run every SQL statement in its own SQLite transaction.

    Magnum runs on MySQL in production. Its database layer leaves sessions
    to the garbage collector, so on SQLite a finished read can keep its
    transaction, and the lock with it, for a while; and two threads of this
    process (API, conductor workers, status sync) that both read and then
    write deadlock, one failing at once with "database is locked". oslo.db
    emits its own BEGIN for SQLite: without it, pysqlite (isolation_level
    None, set by oslo.db) commits each statement, so no lock outlives a
    statement and the busy timeout handles the rest.
    """
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "before_cursor_execute", retval=True)
    def _no_begin(conn, cursor, statement, parameters, context, executemany):
        if statement.strip().upper() == "BEGIN":
            statement = "SELECT 1"
        return statement, parameters


def create_tables():
    import magnum.conf
    import sqlalchemy
    from magnum.db.sqlalchemy import models

    engine = sqlalchemy.create_engine(magnum.conf.CONF.database.connection)
    models.Base.metadata.create_all(engine)
    engine.dispose()


def start_conductor():
    import magnum.conf
    from magnum.common import rpc_service, short_id
    from magnum.conductor.handlers import (
        ca_conductor,
        cluster_conductor,
        conductor_listener,
        credential_conductor,
        federation_conductor,
        indirection_api,
        nodegroup_conductor,
    )

    handlers = [
        indirection_api.Handler(),
        cluster_conductor.Handler(),
        conductor_listener.Handler(),
        credential_conductor.Handler(),
        ca_conductor.Handler(),
        federation_conductor.Handler(),
        nodegroup_conductor.Handler(),
    ]
    server = rpc_service.Service.create(
        magnum.conf.CONF.conductor.topic,
        short_id.generate_id(),
        handlers,
        binary="magnum-conductor",
    )
    server.start()
    return server


def sync_status_forever():
    """Magnum's own periodic status sync, on a shorter period."""
    import magnum.conf
    from magnum.service import periodic

    tasks = periodic.MagnumPeriodicTasks(magnum.conf.CONF)
    while True:
        time.sleep(SYNC_SECONDS)
        tasks.sync_cluster_status(None)


def main(conf_file, state_dir):
    register_driver(Path(state_dir))
    import magnum.conf
    from magnum.api import app as api_app
    from magnum.common import service
    from werkzeug import serving

    service.prepare_service(["magnum", "--config-file", conf_file])
    conf = magnum.conf.CONF
    autocommit_sqlite()
    create_tables()
    start_conductor()
    threading.Thread(target=sync_status_forever, daemon=True).start()
    server = serving.make_server(
        conf.api.host, conf.api.port, api_app.load_app(), threaded=True
    )
    print(f"magnum-api on http://{conf.api.host}:{conf.api.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:3])
