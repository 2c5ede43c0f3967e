"""Listing a collection as Magnum does (magnum/api/controllers/v1/collection.py):
``limit``, ``marker``, ``sort_key``, ``sort_dir`` and the ``next`` link."""

import dataclasses
from collections.abc import Callable, Mapping

from dcos_sandbox.auth import Identity
from dcos_sandbox.magnum.errors import MagnumError
from dcos_sandbox.magnum.wire import invalid_input, is_uuid
from dcos_sandbox.wsgi import json_response

MAX_LIMIT = 1000  # magnum/conf/api.py max_limit


@dataclasses.dataclass(frozen=True)
class Collection:
    """One listable resource of the stand-in.

    ``rows`` maps uuid to row (the live dict, read under the caller's lock);
    ``visible(row, identity, all_tenants)`` filters; ``sortable`` are the
    keys a client may sort by besides ``id``; ``missing(marker)`` is the
    error of an unknown marker.
    """

    key: str
    rows: Mapping
    visible: Callable
    sortable: tuple
    missing: Callable

    def respond(self, request, lock, doc, path):
        """One page: ``{key: [doc(row), ...], "next": url}``; ``path`` is the
        collection's path under /v1 for the next link."""
        identity = Identity.from_environ(request.environ)
        limit, marker, sort_key, sort_dir = list_params(request)
        with lock:
            rows = [
                r
                for r in self.rows.values()
                if self.visible(r, identity, identity.is_admin)
            ]
            page = paginate(
                rows, limit, marker, sort_key, sort_dir, self.sortable, self.missing
            )
            body = {self.key: [doc(row) for row in page]}
        link = next_link(request, path, page, limit, sort_key, sort_dir)
        if link:
            body["next"] = link
        return json_response(body)


def find_one(rows, ident, ambiguous, missing):
    """The row ``ident`` names among ``rows``: a uuid, or a name that only one
    row has (magnum/api/utils.py get_resource: uuid first, then name)."""
    if is_uuid(ident):
        matches = [r for r in rows if r["uuid"] == ident]
    else:
        matches = [r for r in rows if r["name"] == ident]
        if len(matches) > 1:
            raise MagnumError(409, ambiguous)
    if not matches:
        raise missing(ident)
    return matches[0]


def list_params(request):
    params = request.GET
    limit = params.get("limit")
    if limit is not None:
        try:
            limit = int(limit)
        except ValueError:
            raise invalid_input("limit", limit, "Value should be an integer") from None
        if limit <= 0:
            raise MagnumError(400, "Limit must be positive")
    limit = min(limit or MAX_LIMIT, MAX_LIMIT)
    sort_key = params.get("sort_key", "id")
    sort_dir = params.get("sort_dir", "asc")
    if sort_dir not in ("asc", "desc"):
        raise MagnumError(
            400,
            f"Invalid sort direction: {sort_dir}. "
            "Acceptable values are 'asc' or 'desc'",
        )
    marker = params.get("marker")
    if marker is not None and not is_uuid(marker):
        raise MagnumError(400, f"Expected a uuid but received {marker}.")
    return limit, marker, sort_key, sort_dir


def paginate(rows, limit, marker, sort_key, sort_dir, sortable, not_found):
    if sort_key != "id" and sort_key not in sortable:
        raise MagnumError(
            400, f'The sort_key value "{sort_key}" is an invalid field for sorting'
        )

    def key(row):
        value = row.get(sort_key)
        # SQL puts NULLs first in ascending order.
        return (
            (value is not None, str(value) if value is not None else ""),
            row["id"],
        )

    rows = sorted(rows, key=key, reverse=sort_dir == "desc")
    if marker:
        uuids = [r["uuid"] for r in rows]
        if marker not in uuids:
            raise not_found(marker)
        rows = rows[uuids.index(marker) + 1 :]
    return rows[:limit]


def next_link(request, resource, page, limit, sort_key, sort_dir):
    if not page or len(page) != limit:
        return None
    return (
        f"{request.host_url}/v1/{resource}?sort_key={sort_key}&sort_dir={sort_dir}"
        f"&limit={limit}&marker={page[-1]['uuid']}"
    )
