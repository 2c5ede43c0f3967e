"""Property tests of the label text form and validator (hypothesis)."""

from __future__ import annotations

import ipaddress
import json
import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dcos_dashboard.labels import (
    CATALOGUE,
    EXHIBITOR_COMPANIONS,
    MAGNUM_MESOS_ISOLATORS,
    MAX_MESSAGES,
    MESOS_ISOLATORS,
    MORE_PROBLEMS,
    canonicalize_labels,
    format_labels,
    parse_labels,
    validate_labels,
)

# The text form, read from docs/reference.md#labels-text-form: a key is letters, digits,
# "_", ".", "-";
# lines and commas separate fragments; a fragment is stripped, and one that
# opens with "key=" (an empty key included, which is an error) starts a pair.
KEY = st.from_regex(r"[A-Za-z0-9_.\-]+", fullmatch=True)
OPENS_A_PAIR = re.compile(r"[A-Za-z0-9_.\-]*\s*=")
PIECE = (
    st.text(st.characters(blacklist_characters=",\r\n"), min_size=1)
    .map(str.strip)
    .filter(bool)
)
CONTINUATION = PIECE.filter(lambda piece: not OPENS_A_PAIR.match(piece))
# Exactly the values the text form can carry: a first piece, then pieces that
# cannot be taken for a new pair, joined by bare commas.
VALUE = st.builds(
    lambda first, rest: ",".join([first, *rest]),
    PIECE,
    st.lists(CONTINUATION, max_size=4),
)


@given(st.dictionaries(KEY, VALUE, max_size=8))
def test_format_then_parse_gives_the_map_back(labels):
    assert parse_labels(format_labels(labels)) == labels


@given(st.dictionaries(KEY, VALUE, min_size=1, max_size=8))
def test_pairs_on_one_line_parse_like_pairs_on_many(labels):
    # Values without a comma are what a one-line, comma-separated form can hold.
    simple = {key: value.split(",")[0] for key, value in labels.items()}
    one_line = ",".join(f"{key}={value}" for key, value in simple.items())
    assert parse_labels(one_line) == simple


ANY_TEXT = st.one_of(
    st.text(),
    st.text(st.sampled_from("ab=,\n\r \t.-_{}\"'\x00\u2028")),
    st.text(st.characters(), min_size=1000, max_size=5000),
)


@given(ANY_TEXT)
def test_parse_returns_a_map_or_raises_value_error(text):
    try:
        parsed = parse_labels(text)
    except ValueError as error:
        assert str(error)
        return
    for key, value in parsed.items():
        assert re.fullmatch(r"[A-Za-z0-9_.\-]+", key)
        assert "\n" not in value and "\r" not in value


CATALOGUE_KEYS = sorted({spec.key for specs in CATALOGUE.values() for spec in specs})
ANY_KEY = st.one_of(st.sampled_from(CATALOGUE_KEYS), st.text(max_size=40))
ANY_VALUE = st.one_of(
    st.text(),
    st.sampled_from(["true", "posix", "zookeeper", "aws_s3", "docker", "{}", "[]"]),
    st.integers(),
    st.none(),
    st.lists(st.text(), max_size=3),
    st.text(st.characters(), min_size=1000, max_size=5000),
)


@settings(max_examples=300)
@given(
    st.sampled_from(["dcos", "mesos"]),
    st.dictionaries(ANY_KEY, ANY_VALUE, max_size=12),
    st.lists(st.text(max_size=20), max_size=3),
)
def test_validate_returns_messages_for_any_map(coe, labels, extra):
    errors = validate_labels(coe, labels, extra_keys=extra)
    known = {spec.key for spec in CATALOGUE[coe]}
    for key, message in errors.items():
        # Beyond MAX_MESSAGES problems, one more message counts the rest.
        if key == MORE_PROBLEMS:
            assert len(errors) == MAX_MESSAGES + 1
        else:
            assert isinstance(key, str) and key in set(labels) | known
        assert isinstance(message, str) and message
    assert not set(errors) & (set(extra) - known)
    canonicalize_labels(coe, labels)


@given(st.sampled_from(["dcos", "mesos"]), st.text(), st.text())
def test_validate_with_one_label_of_any_text(coe, key, value):
    errors = validate_labels(coe, {key: value})
    assert set(errors) <= {key} | {spec.key for spec in CATALOGUE[coe]}


SECRET_TEXT = st.text(
    st.characters(whitelist_categories=("Lu", "Ll", "Nd")), min_size=12, max_size=40
).map(lambda text: "Zq9" + text)


@given(
    SECRET_TEXT,
    st.sampled_from(["aws_secret_access_key", "exhibitor_azure_account_key"]),
    st.sampled_from([None, "static", "zookeeper", "aws_s3", "azure", "s3"]),
)
def test_no_message_shows_a_secret(secret, key, backend):
    labels = {key: secret}
    if backend is not None:
        labels["exhibitor_storage_backend"] = backend
    for message in validate_labels("dcos", labels).values():
        assert secret not in message
        assert secret[:6] not in message


# --------------------------------------------------------------------------
# Maps that the catalogue calls valid


def any_case(word: str) -> st.SearchStrategy[str]:
    return st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
        lambda upper: "".join(
            ch.upper() if up else ch for ch, up in zip(word, upper, strict=True)
        )
    )


BOOLEAN = st.sampled_from(["true", "false"]).flatmap(any_case)
INTEGER = st.integers(min_value=1, max_value=10**12).map(str)
SAFE = st.from_regex(r"[A-Za-z0-9_./-]{1,30}", fullmatch=True)
PATH = SAFE.map(lambda text: "/" + text)
DNS_LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
DOMAIN = st.lists(DNS_LABEL, min_size=1, max_size=3).map(".".join)
# A host name that is all digits and dots is read as an IPv4 address.
HOSTNAME = st.builds(
    lambda first, rest: f"{first}{rest}",
    st.sampled_from("abcxyz"),
    st.lists(DNS_LABEL, max_size=2).map(
        lambda labels: "".join("." + x for x in labels)
    ),
)
HOST = st.one_of(
    HOSTNAME,
    st.ip_addresses(v=4).map(str),
    st.ip_addresses(v=6).map(lambda address: f"[{address}]"),
)
HOSTPORT = st.builds(lambda host, port: f"{host}:{port}", HOST, st.integers(1, 65535))


def providers() -> st.SearchStrategy[str]:
    return (
        st.lists(
            st.sampled_from(["docker", "appc"]), min_size=1, max_size=2, unique=True
        )
        .flatmap(lambda names: st.tuples(*(any_case(name) for name in names)))
        .map(",".join)
    )


@st.composite
def overlay_network(draw) -> str:
    overlays = []
    for number in range(draw(st.integers(1, 3))):
        length = draw(st.integers(8, 30))
        address = draw(st.ip_addresses(v=4))
        subnet = ipaddress.IPv4Network((int(address), length), strict=False)
        overlays.append(
            {
                "name": draw(st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True))
                + str(number),
                "subnet": str(subnet),
                "prefix": draw(st.integers(length, 32)),
            }
        )
    mac = ":".join(f"{draw(st.integers(0, 255)):02X}" for _ in range(6))
    data = {"vtep_subnet": "44.128.0.0/20", "vtep_mac_oui": mac, "overlays": overlays}
    # Compact separators: spaces after JSON commas do not survive the text form.
    return json.dumps(data, separators=(",", ":"))


@st.composite
def valid_dcos_labels(draw) -> dict[str, str]:
    labels: dict[str, str] = {}

    def maybe(key: str, strategy: st.SearchStrategy[str]) -> None:
        if draw(st.booleans()):
            labels[key] = draw(strategy)

    maybe(
        "isolation",
        st.lists(
            st.sampled_from(MESOS_ISOLATORS), min_size=1, max_size=6, unique=True
        ).map(",".join),
    )
    maybe("launcher", st.just("linux"))
    maybe("image_providers", providers())
    backend = draw(st.sampled_from([None, *EXHIBITOR_COMPANIONS]))
    if backend is not None:
        labels["exhibitor_storage_backend"] = backend
    for companion in EXHIBITOR_COMPANIONS.get(backend or "static", ()):
        if companion == "exhibitor_zk_hosts":
            labels[companion] = ",".join(
                draw(st.lists(HOSTPORT, min_size=1, max_size=3, unique=True))
            )
        elif companion == "exhibitor_zk_path":
            labels[companion] = draw(PATH)
        else:
            labels[companion] = draw(SAFE)
    for key in (
        "exhibitor_explicit_keys",
        "check_time",
        "oauth_enabled",
        "telemetry_enabled",
        "rexray_preempt",
    ):
        maybe(key, BOOLEAN)
    for key in (
        "dcos_overlay_config_attempts",
        "dcos_overlay_mtu",
        "docker_remove_delay",
        "gc_delay",
        "process_timeout",
    ):
        maybe(key, INTEGER)
    maybe("log_directory", PATH)
    maybe(
        "dns_search",
        st.lists(DOMAIN, min_size=1, max_size=6, unique=True).map(" ".join),
    )
    maybe("dcos_overlay_enable", BOOLEAN)
    if labels.get("dcos_overlay_enable", "").lower() == "true" or draw(st.booleans()):
        labels["dcos_overlay_network"] = draw(overlay_network())
    return labels


@st.composite
def valid_mesos_labels(draw) -> dict[str, str]:
    labels: dict[str, str] = {}
    isolation = draw(
        st.lists(st.sampled_from(MAGNUM_MESOS_ISOLATORS), max_size=5, unique=True)
    )
    chosen = draw(st.one_of(st.none(), providers()))
    if chosen is not None:
        labels["mesos_slave_image_providers"] = chosen
        if "docker" in chosen.lower() and "docker/runtime" not in isolation:
            isolation.append("docker/runtime")
    if isolation:
        labels["mesos_slave_isolation"] = ",".join(isolation)
    if draw(st.booleans()):
        labels["mesos_slave_work_dir"] = draw(PATH)
    if draw(st.booleans()):
        env = draw(st.dictionaries(SAFE, SAFE, max_size=3))
        labels["mesos_slave_executor_env_variables"] = json.dumps(
            env, separators=(",", ":")
        )
    if draw(st.booleans()):
        labels["rexray_preempt"] = draw(BOOLEAN)
    return labels


@pytest.mark.parametrize(
    ("coe", "strategy"),
    [("dcos", valid_dcos_labels()), ("mesos", valid_mesos_labels())],
)
def test_valid_maps_validate_round_trip_and_canonicalize(coe, strategy):
    @settings(max_examples=150)
    @given(strategy)
    def check(labels):
        assert validate_labels(coe, labels) == {}
        assert parse_labels(format_labels(labels)) == labels
        canonical = canonicalize_labels(coe, labels)
        assert validate_labels(coe, canonical) == {}
        assert canonicalize_labels(coe, canonical) == canonical
        assert parse_labels(format_labels(canonical)) == canonical

    check()


# --------------------------------------------------------------------------
# Very long input


@pytest.mark.parametrize(
    "text",
    [
        "a=" + "x," * 200_000,
        "," * 1_000_000,
        "\n" * 200_000,
        "k" * 1_000_000,
        "=" * 200_000,
        "a=1\n" + "b" * 500_000 + "=" + "c" * 500_000,
        "a=" + "\x00\x1f\u2028\ufeff" * 100_000,
    ],
    ids=[
        "long value",
        "commas",
        "newlines",
        "long key",
        "equals",
        "long pair",
        "control",
    ],
)
def test_long_text_parses_or_raises_value_error(text):
    try:
        parsed = parse_labels(text)
    except ValueError as error:
        assert len(str(error)) < 1000
        return
    assert parse_labels(format_labels(parsed)) == parsed


# --------------------------------------------------------------------------
# Typo suggestions


def reference_distance(a: str, b: str) -> int:
    """Optimal string alignment distance, the plain full-table way."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        table[i][0] = i
    for j in range(len(b) + 1):
        table[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            table[i][j] = min(
                table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
    return table[len(a)][len(b)]


@given(st.sampled_from(CATALOGUE_KEYS), st.data())
def test_one_or_two_edits_of_a_key_are_suggested_back(key, data):
    typo = key
    for _ in range(data.draw(st.integers(1, 2))):
        position = data.draw(st.integers(0, len(typo) - 1))
        typo = typo[:position] + typo[position + 1 :]
    coe = "dcos" if any(spec.key == key for spec in CATALOGUE["dcos"]) else "mesos"
    # A typo as near to another label is ambiguous, and one that is another
    # label is not a typo: both are left out.
    assume(typo not in CATALOGUE_KEYS)
    assume(
        all(
            reference_distance(typo, spec.key) > reference_distance(typo, key)
            for spec in CATALOGUE[coe]
            if spec.key != key
        )
    )
    message = validate_labels(coe, {typo: "x"})[typo]
    assert f"Did you mean `{key}`?" in message
