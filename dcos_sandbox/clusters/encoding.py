"""JSON as Mesos writes it, fast: compact encoding, bodies spliced from
pre-encoded parts, and oversized bodies streamed without being held whole."""

import json


def encode(obj):
    # Mesos writes compact JSON; so do we, it is also the fastest to build.
    return json.dumps(obj, separators=(",", ":")).encode()


def encode_str(obj):
    return json.dumps(obj, separators=(",", ":"))


def splice(head, key, items, rest):
    """Bytes of {**head, key: [items...], **rest}, items being JSON texts."""
    parts = [encode_str(head)[:-1]]
    if head:
        parts.append(",")
    parts += ['"', key, '":[', ",".join(items), "]"]
    if rest:
        parts += [",", encode_str(rest)[1:]]
    else:
        parts.append("}")
    return "".join(parts).encode()


def full_resources(resources):
    """The Resource protobufs behind a summary dict (SlavesWriter's *_full fields)."""
    full = []
    for name in ("cpus", "mem", "disk", "gpus"):
        value = resources.get(name, 0.0)
        if value:
            item = {
                "name": name,
                "type": "SCALAR",
                "scalar": {"value": value},
                "role": "*",
            }
            full.append(item)
    ports = resources.get("ports")
    if ports:
        ranges = []
        for part in ports.strip("[]").split(","):
            begin, _, end = part.strip().partition("-")
            ranges.append({"begin": int(begin), "end": int(end)})
        full.append(
            {
                "name": "ports",
                "type": "RANGES",
                "ranges": {"range": ranges},
                "role": "*",
            }
        )
    return full


def padded_stream(obj, size, list_key, chunk=65536):
    """Chunks of a valid JSON object of exactly ``size`` bytes, never held whole.

    The object's ``list_key`` list is padded with copies of its first item
    (or zeros), as a cluster far bigger than the real one would answer.
    Returns None when ``size`` is too small to hold the padding.
    """
    rest = {k: v for k, v in obj.items() if k != list_key}
    items = obj.get(list_key) or []
    item = encode(items[0]) if items else b"0"
    head = encode(rest)[:-1] + (b"," if rest else b"") + encode(list_key) + b":["
    tail = b"]}"
    unit = b"," + item
    room = size - len(head) - len(item) - len(tail)
    if room < 0:
        return None
    count, pad = divmod(room, len(unit))

    def chunks():
        yield head + item
        per_block = max(1, chunk // len(unit))
        block = unit * per_block
        left = count
        while left >= per_block:
            yield block
            left -= per_block
        if left:
            yield unit * left
        yield b" " * pad + tail

    return chunks()
