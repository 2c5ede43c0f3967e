"""Magnum's errors as its API writes them (magnum/api/middleware/parsable_error.py)."""


class MagnumError(Exception):
    """An error Magnum reports; ``message`` is the wsme faultstring.

    ``body``, when given, is the whole error document, sent as it is (as
    magnum/api/http_error.py HTTPNotAcceptableAPIVersion does)."""

    def __init__(self, status, message, headers=None, body=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.body = body


def invalid_input(field, value, reason):
    # wsme/exc.py InvalidInput.faultstring
    return MagnumError(
        400, f"Invalid input for field/attribute {field}. Value: '{value}'. {reason}"
    )


def error_body(status, message):
    """Magnum's error document (magnum/api/middleware/parsable_error.py)."""
    if message:
        title, detail = message.split(".", 1)[0], message
    else:
        title = detail = ""
    code = "" if not message else ("client" if status < 500 else "server")
    return {
        "errors": [
            {
                "request_id": "",
                "code": code,
                "status": status,
                "title": title,
                "detail": detail,
                "links": [],
            }
        ]
    }
