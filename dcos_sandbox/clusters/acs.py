"""DC/OS's login (ACS): ``POST /acs/api/v1/auth/login`` and the HS256 tokens
Admin Router then asks for, one signing key per bay."""

import base64
import hashlib
import hmac
import json
import time

from dcos_sandbox.clusters.encoding import encode

# The sandbox's fixed DC/OS login: DC/OS Enterprise's documented default
# superuser (docs.d2iq.com, "Superuser account: bootstrapuser / deleteme").
DCOS_UID = "bootstrapuser"

DCOS_PASSWORD = "deleteme"

TOKEN_SECONDS = (
    5 * 24 * 3600
)  # ACS tokens last 5 days (docs/reference.md#dcos-authentication)


class Acs:
    """Issues and checks the tokens of every bay from one secret."""

    def __init__(self, secret):
        self.secret = secret

    def login(self, handler, method, bay):
        if method != "POST":
            return handler.send_json(405, {"message": "POST {uid, password}"})
        try:
            creds = json.loads(handler.request_body or b"null")
        except ValueError:
            creds = None
        if not isinstance(creds, dict):
            body = {"title": "Bad Request", "description": "Expected {uid, password}"}
            return handler.send_json(400, body)
        if creds.get("uid") != DCOS_UID or creds.get("password") != DCOS_PASSWORD:
            body = {
                "title": "Invalid credentials",
                "description": "The sandbox's DC/OS login is "
                f"{DCOS_UID} / {DCOS_PASSWORD}",
                "code": "ERR_INVALID_CREDENTIALS",
            }
            return handler.send_json(401, body, [("WWW-Authenticate", "acsjwt")])
        handler.send_json(200, {"token": self.issue_token(bay.uuid)})

    def issue_token(self, uuid, now=None):
        """An HS256 JWT for one bay, as the DC/OS login would hand out."""
        now = time.time() if now is None else now
        header = _b64(encode({"alg": "HS256", "typ": "JWT"}))
        payload = _b64(encode({"uid": DCOS_UID, "exp": int(now + TOKEN_SECONDS)}))
        signed = f"{header}.{payload}"
        return f"{signed}.{_b64(self._sign(uuid, signed))}"

    def _sign(self, uuid, text):
        key = hmac.new(self.secret, uuid.encode(), hashlib.sha256).digest()
        return hmac.new(key, text.encode(), hashlib.sha256).digest()

    def authorized(self, handler, bay):
        value = handler.headers.get("Authorization", "")
        if not value.startswith("token="):
            return False
        token = value[len("token=") :].strip()
        header, _, rest = token.partition(".")
        payload, _, signature = rest.partition(".")
        expected = _b64(self._sign(bay.uuid, f"{header}.{payload}"))
        if not hmac.compare_digest(signature, expected):
            return False
        try:
            claims = json.loads(
                base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
            )
            return float(claims["exp"]) > time.time()
        except (ValueError, KeyError, TypeError):
            return False


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
