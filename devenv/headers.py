"""The Content-Security-Policy the README recommends, which an operator's
front web server adds (Django 5.2 cannot); devenv/wsgi.py plays that server.

Horizon's pages carry inline scripts and AngularJS evaluates expressions,
hence 'unsafe-inline' and 'unsafe-eval'; every source stays same-origin, no
plugin objects, no framing.
"""

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; "
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; "
    "font-src 'self' data:; "
    "connect-src 'self'; "
    "object-src 'none'; "
    "base-uri 'self'; "
    "form-action 'self'; "
    "frame-ancestors 'none'"
)


def with_csp(app, policy=CONTENT_SECURITY_POLICY):
    """WSGI middleware adding the policy to every answer lacking one."""

    def wrapped(environ, start_response):
        def start(status, headers, exc_info=None):
            if not any(k.lower() == "content-security-policy" for k, _ in headers):
                headers = [*headers, ("Content-Security-Policy", policy)]
            return start_response(status, headers, exc_info)

        return app(environ, start)

    return wrapped
