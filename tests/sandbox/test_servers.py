"""The stand-ins' HTTP servers send each write at once, as real services do.

With Nagle's algorithm on, a stdlib server's separate header and body
writes make every small answer on a kept-alive connection wait for the
client's delayed ACK (about 40 ms), which would distort every benchmark
and slow every test that reuses a connection.
"""

import socket

import pytest

from dcos_sandbox import wsgi
from dcos_sandbox.clusters import servers


def _accepted(server):
    """The server side of one connection to ``server``."""
    client = socket.create_connection(server.server_address[:2], timeout=5)
    try:
        connection, _address = server.get_request()
    finally:
        client.close()
    return connection


@pytest.mark.parametrize(
    "make",
    [
        lambda: servers.HTTPServer(("127.0.0.1", 0), simulator=None),
        lambda: wsgi._ThreadingServer(("127.0.0.1", 0), wsgi._QuietHandler),
    ],
    ids=["simulated masters and Admin Router", "Magnum, Glance, Nova, Neutron"],
)
def test_accepted_connections_have_no_nagle_delay(make):
    server = make()
    try:
        connection = _accepted(server)
        with connection:
            assert connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        server.server_close()
