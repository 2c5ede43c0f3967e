"""WSGI entry point gunicorn loads to serve the sandbox's real Keystone."""

import sys

# oslo.config parses sys.argv; gunicorn's own flags there make it fail.
sys.argv = sys.argv[:1]

from keystone.server.wsgi import initialize_public_application  # noqa: E402

application = initialize_public_application()
