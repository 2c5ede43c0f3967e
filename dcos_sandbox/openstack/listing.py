"""What the Glance, Nova and Neutron stand-ins share: their app base (one
:class:`World` served), paging, sorting and filtering."""

from dcos_sandbox.wsgi import App


class WorldApp(App):
    """A stand-in serving the read-only ``world``."""

    def __init__(self, world):
        self.world = world
        super().__init__()


def list_page(items, params, key="id"):
    """Apply limit/marker to ``items``; return (page, next_marker or None)."""
    marker = params.get("marker")
    if marker:
        ids = [item[key] for item in items]
        if marker not in ids:
            raise LookupError(marker)
        items = items[ids.index(marker) + 1 :]
    limit = params.get("limit")
    if limit is None:
        return items, None
    page = items[:limit]
    more = len(page) == limit and limit > 0
    return page, (page[-1][key] if more else None)


def sort_items(items, keys_dirs):
    for key, direction in reversed(keys_dirs):
        items = sorted(
            items,
            key=lambda item, k=key: (item.get(k) is not None, item.get(k) or ""),
            reverse=direction == "desc",
        )
    return items


def matches(actual, wanted):
    """Whether a stored value equals a query-string value (bools as words)."""
    if isinstance(actual, bool):
        return wanted.lower() in (("true", "1") if actual else ("false", "0"))
    if actual is None:
        return wanted.lower() in ("none", "null", "")
    return str(actual) == wanted
