"""The shared compose helpers both compose fixes stand on: fixer/parsing/compose_edit.py
(surgical YAML edits) and tests/compose_merge.py (Compose's merge rules). Each edit is
checked by what the edited text loads to, and by the bytes it leaves alone."""

from __future__ import annotations

import pytest

import compose_merge
from fixer import edits as edit_ops
from fixer.parsing import compose_edit, yamlfile
from fixer.parsing.compose_edit import ServiceWants
from fixer.repo import SourceFile


def source(text: str, path: str = "docker-compose.yml", bom: bool = False) -> SourceFile:
    return SourceFile(path, (b"\xef\xbb\xbf" if bom else b"") + text.encode(), None)  # type: ignore[arg-type]


def applied(file: SourceFile, edits) -> str:
    return edit_ops.apply(file.data, list(edits)).decode()


def node(file: SourceFile, *path: str):
    return yamlfile.get_path(compose_edit.main_document(file), *path)


def loads(text: str):
    return compose_merge.load(text.encode())


STYLE = compose_edit.Style("  ", "  ", "\n")


# --- scalars ------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["development", ".env.${ENV:-production}", "9092:9092", "true", "yes", "~", "",
                                   "a: b", "x #y", "- item", "PLAINTEXT://kafka:9092,PLAINTEXT_HOST://localhost:9092",
                                   "{braces}", "it's", 'say "hi"', "3.10", "0o17", "1_000"])
@pytest.mark.parametrize("flow", [False, True])
def test_render_scalar_reads_back_as_the_same_string(value: str, flow: bool) -> None:
    text = compose_edit.render_scalar(value, flow)
    loaded = yamlfile.load_all((f"[{text}]" if flow else f"k: {text}").encode())
    assert loaded == ([[value]] if flow else [{"k": value}])


def test_render_scalar_quotes_what_yaml_1_1_would_read_otherwise() -> None:
    assert compose_edit.render_scalar("9092:9092") == '"9092:9092"'  # sexagesimal in YAML 1.1 for some values
    assert compose_edit.render_scalar("on") == '"on"'
    assert compose_edit.render_scalar("${NODE_ENV:-production}") == "${NODE_ENV:-production}"
    assert compose_edit.render_scalar("${NODE_ENV:-production}", flow=True) == '"${NODE_ENV:-production}"'


@pytest.mark.parametrize(("line", "expected"), [
    ("k: production", "k: ${NODE_ENV:-production}"),
    ("k: 'production'", "k: '${NODE_ENV:-production}'"),
    ('k: "production"', 'k: "${NODE_ENV:-production}"'),
    ("k: {a: production}", 'k: {a: "${NODE_ENV:-production}"}'),
])
def test_replace_scalar_keeps_the_quotes(line: str, expected: str) -> None:
    file = source(line + "\n")
    value = node(file, "k")
    target = yamlfile.get(value, "a") if isinstance(value, yamlfile.MappingNode) else value
    flow = isinstance(value, yamlfile.MappingNode)
    assert applied(file, [compose_edit.replace_scalar(file, target, "${NODE_ENV:-production}", flow)]) == expected + "\n"


def test_replace_scalar_doubles_single_quotes() -> None:
    file = source("k: 'a'\n")
    assert applied(file, [compose_edit.replace_scalar(file, node(file, "k"), "it's")]) == "k: 'it''s'\n"


# --- adding ---------------------------------------------------------------------------------


def test_add_to_block_mapping_goes_after_the_last_entry_and_its_comment() -> None:
    text = "a:\n  env:\n    X: 1   # trailing\n    Y:\n      - z\n  # a comment about b\n  b: 2\n"
    file = source(text)
    edit = compose_edit.add_to_mapping(file, node(file, "a", "env"), {"NODE_ENV": "development"}, STYLE)
    after = applied(file, [edit])
    assert after == text.replace("      - z\n", "      - z\n    NODE_ENV: development\n")
    assert loads(after)["a"]["env"] == {"X": 1, "Y": ["z"], "NODE_ENV": "development"}


def test_add_after_a_block_scalar_and_at_the_end_of_a_file_without_final_newline() -> None:
    file = source("a:\n  script: |\n    echo hi\n  last: x")
    after = applied(file, [compose_edit.add_to_mapping(file, node(file, "a"), {"new": "z"}, STYLE)])
    assert after == "a:\n  script: |\n    echo hi\n  last: x\n  new: z"
    assert loads(after) == {"a": {"script": "echo hi\n", "last": "x", "new": "z"}}


@pytest.mark.parametrize(("text", "expected"), [
    ("e: {A: b}\n", "e: {A: b, NODE_ENV: development}\n"),
    ("e: {}\n", "e: {NODE_ENV: development}\n"),
    ("e: { A: b }\n", "e: { A: b, NODE_ENV: development }\n"),
])
def test_add_to_flow_mapping(text: str, expected: str) -> None:
    file = source(text)
    assert applied(file, [compose_edit.add_to_mapping(file, node(file, "e"), {"NODE_ENV": "development"}, STYLE)]) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("l:\n  - a\n  - b   # note\nn: 1\n", "l:\n  - a\n  - b   # note\n  - .env.development\nn: 1\n"),
    ("l:\n- a\nn: 1\n", "l:\n- a\n- .env.development\nn: 1\n"),
    ("l: [ a ]\n", "l: [ a, .env.development ]\n"),
    ("l: []\n", "l: [.env.development]\n"),
    ("l:\n  -   a\n", "l:\n  -   a\n  -   .env.development\n"),
])
def test_add_to_sequence_in_the_lists_own_style(text: str, expected: str) -> None:
    file = source(text)
    after = applied(file, [compose_edit.add_to_sequence(file, node(file, "l"), [".env.development"], STYLE)])
    assert after == expected
    assert loads(after)["l"][-1] == ".env.development"


@pytest.mark.parametrize(("text", "expected"), [
    ("s:\n  e:\nt: 1\n", "s:\n  e:\n    NODE_ENV: development\nt: 1\n"),
    ("s:\n  e: ~\nt: 1\n", "s:\n  e:\n    NODE_ENV: development\nt: 1\n"),
    ("s:\n  e: null  # none yet\n", "s:\n  e:  # none yet\n    NODE_ENV: development\n"),
])
def test_fill_a_null_value_with_a_block(text: str, expected: str) -> None:
    file = source(text)
    mapping = node(file, "s")
    key, value = mapping.value[0]
    after = applied(file, compose_edit.fill_null(file, key, value, {"NODE_ENV": "development"}, STYLE))
    assert after == expected
    assert loads(after)["s"]["e"] == {"NODE_ENV": "development"}


# --- removing -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "item", "expected"), [
    ('p:\n  - "9092:9092"   # host\n  - "29092:29092"\n', 0, 'p:\n  - "29092:29092"\n'),
    ('p:\n  - "29092:29092"\n  - "9092:9092"\nq: 1\n', 1, 'p:\n  - "29092:29092"\nq: 1\n'),
    ('p: ["9092:9092", "29092:29092"]\n', 0, 'p: ["29092:29092"]\n'),
    ('p: [ "29092:29092" , "9092:9092" ]\n', 1, 'p: [ "29092:29092" ]\n'),
])
def test_remove_item(text: str, item: int, expected: str) -> None:
    file = source(text)
    sequence = node(file, "p")
    assert applied(file, [compose_edit.remove_item(file, sequence, sequence.value[item])]) == expected


def test_remove_the_only_item_is_left_to_remove_key() -> None:
    file = source('s:\n  ports:\n    - "9092:9092"\n  image: x\n')
    sequence = node(file, "s", "ports")
    assert compose_edit.remove_item(file, sequence, sequence.value[0]) is None
    after = applied(file, [compose_edit.remove_key(file, node(file, "s"), "ports")])
    assert after == "s:\n  image: x\n"


# --- files: CRLF, BOM, comment before ---, the override ------------------------------------------


def test_edits_in_a_crlf_file_with_a_bom_keep_both() -> None:
    file = source("services:\r\n  api:\r\n    environment:\r\n      A: b\r\n", bom=True)
    edit = compose_edit.add_to_mapping(file, node(file, "services", "api", "environment"), {"NODE_ENV": "x"}, STYLE)
    after = edit_ops.apply(file.data, [edit])
    assert after == b"\xef\xbb\xbfservices:\r\n  api:\r\n    environment:\r\n      A: b\r\n      NODE_ENV: x\r\n"


def test_extend_an_override_with_a_comment_before_the_document_start() -> None:
    text = "# dev\n---\nservices:\n    api:\n        command: npm run dev\n"
    file = source(text, "docker-compose.override.yml")
    style = compose_edit.style_of(file)
    assert style.unit == "    "
    wants = [ServiceWants("api", [("NODE_ENV", "development")], env_file=[".env.development"]),
             ServiceWants("worker", [("NODE_ENV", "development")], env_form="list")]
    edits, added = compose_edit.extend_override(file, wants, style)
    after = applied(file, edits)
    assert after == text + ("        environment:\n            NODE_ENV: development\n"
                            "        env_file:\n            - .env.development\n"
                            "    worker:\n        environment:\n            - NODE_ENV=development\n")
    assert added == ["api: NODE_ENV, env_file .env.development", "worker (new: environment)"]
    # what is already there is not added twice
    again = source(after, "docker-compose.override.yml")
    assert compose_edit.extend_override(again, wants, style) == ([], [])


def test_extend_an_override_without_services() -> None:
    file = source("version: '3.8'\n", "docker-compose.override.yml")
    edits, _ = compose_edit.extend_override(file, [ServiceWants("api", [("NODE_ENV", "development")])], STYLE)
    assert loads(applied(file, edits)) == {"version": "3.8", "services": {"api": {"environment": {"NODE_ENV": "development"}}}}


def test_an_alias_in_the_override_is_not_extended_silently() -> None:
    file = source("x: &env\n  A: b\nservices:\n  api:\n    environment: *env\n", "docker-compose.override.yml")
    with pytest.raises(ValueError, match="anchor"):
        compose_edit.extend_override(file, [ServiceWants("api", [("NODE_ENV", "development")])], STYLE)


def test_a_merged_environment_in_the_override_is_not_replaced() -> None:
    # a new `environment:` of api's own would hide every merged variable (YAML merges whole keys)
    file = source("x: &base\n  environment:\n    A: b\nservices:\n  api:\n    <<: *base\n", "docker-compose.override.yml")
    with pytest.raises(ValueError, match="anchor"):
        compose_edit.extend_override(file, [ServiceWants("api", [("NODE_ENV", "development")])], STYLE)


def test_style_of_a_file_with_flush_lists() -> None:
    file = source("services:\n  api:\n    ports:\n    - 80:80\n")
    assert compose_edit.style_of(file) == compose_edit.Style("  ", "", "\n")


def test_new_override_copies_the_version_line_and_the_line_ending() -> None:
    base = source("version: \"3.8\"   # legacy\r\nservices:\r\n  api:\r\n    image: x\r\n")
    text = compose_edit.new_override(base, [ServiceWants("api", [("NODE_ENV", "development")])])
    assert "\r\nversion: \"3.8\"   # legacy\r\nservices:\r\n  api:\r\n" in text
    assert "\n" not in text.replace("\r\n", "")
    assert compose_merge.schema_errors(text.encode()) == []


def test_new_override_of_a_base_with_a_bom_has_none_inside() -> None:
    """The BOM belongs to the base's first line; copied with its `version:` line it would end
    up in the middle of the new file (a key named '\ufeffversion')."""
    base = source("version: '3.8'\nservices:\n  api:\n    image: x\n", bom=True)
    text = compose_edit.new_override(base, [ServiceWants("api", [("NODE_ENV", "development")])])
    assert "\ufeff" not in text
    assert loads(text)["version"] == "3.8"


@pytest.mark.parametrize(("path", "role"), [
    ("docker-compose.yml", "base"), ("infra/compose.yaml", "base"), ("compose.override.yml", "override"),
    ("docker-compose.prod.yml", "production"), ("compose.production.yaml", "production"),
    ("docker-compose.dev.yml", "development"), ("docker-compose.local.yml", "development"),
    ("compose.ci.yaml", "other"), ("docker-compose-test.yml", "other"),
])
def test_role(path: str, role: str) -> None:
    assert compose_edit.role(path) == role


def test_override_path_follows_compose_and_the_base_name() -> None:
    assert compose_edit.override_path(frozenset(), "docker-compose.yml") == ("docker-compose.override.yml", False)
    assert compose_edit.override_path(frozenset(), "x/compose.yaml") == ("x/compose.override.yaml", False)
    found = frozenset({"compose.override.yml", "docker-compose.override.yml"})
    assert compose_edit.override_path(found, "docker-compose.yml") == ("compose.override.yml", True)


# --- the merge rules the tests rely on -------------------------------------------------------------


def test_merge_environment_in_either_form_the_override_winning() -> None:
    base = loads("services:\n  a:\n    environment:\n      - NODE_ENV=${NODE_ENV:-production}\n      - PORT=3000\n")
    override = loads("services:\n  a:\n    environment:\n      NODE_ENV: development\n")
    assert compose_merge.resolve([base])["a"]["environment"] == {"NODE_ENV": "production", "PORT": "3000"}
    assert compose_merge.resolve([base], {"NODE_ENV": "staging"})["a"]["environment"]["NODE_ENV"] == "staging"
    assert compose_merge.resolve([base, override])["a"]["environment"] == {"NODE_ENV": "development", "PORT": "3000"}


def test_merge_env_file_appends_and_drops_duplicates_after_interpolation() -> None:
    base = loads("services:\n  a:\n    env_file: .env.${ENV:-production}\n")
    override = loads("services:\n  a:\n    env_file:\n      - .env.development\n")
    paths = lambda shell: [f["path"] for f in compose_merge.resolve([base, override], shell)["a"]["env_file"]]
    assert paths({}) == [".env.production", ".env.development"]
    assert paths({"ENV": "development"}) == [".env.development"]


def test_merge_lists_append_but_commands_and_health_tests_are_replaced() -> None:
    base = loads("services:\n  a:\n    ports: ['80:80']\n    command: [a]\n    healthcheck:\n      test: [CMD, x]\n")
    override = loads("services:\n  a:\n    ports: ['80:80', '9092:9092']\n    command: [b]\n    healthcheck:\n      test: [CMD, y]\n")
    merged = compose_merge.resolve([base, override])["a"]
    assert merged["ports"] == ["80:80", "9092:9092"]
    assert merged["command"] == ["b"] and merged["healthcheck"]["test"] == ["CMD", "y"]


def test_environment_reads_env_files_in_order_then_environment() -> None:
    files = {".env.production": "A=prod\nB=prod\n", ".env.development": "A=dev\n"}
    service = compose_merge.resolve([loads(
        "services:\n  a:\n    env_file: [.env.production, .env.development]\n    environment:\n      B: set\n")])["a"]
    assert compose_merge.environment(service, files.get) == {"A": "dev", "B": "set"}
    with pytest.raises(FileNotFoundError):
        compose_merge.environment(service, {}.get)


@pytest.mark.parametrize(("value", "shell", "expected"), [
    ("${A:-d}", {}, "d"), ("${A:-d}", {"A": ""}, "d"), ("${A-d}", {"A": ""}, ""), ("$$A", {"A": "x"}, "$A"),
    ("$A/b", {"A": "x"}, "x/b"), ("${A}", {}, ""),
])
def test_interpolation(value: str, shell: dict, expected: str) -> None:
    assert compose_merge.interpolate(value, shell) == expected


def test_a_block_scalar_reads_as_loaded_and_is_replaced_by_one_line() -> None:
    """A folded scalar's value is what a loader gives (ruamel's round-trip composer marks its
    folds with `\\a`), and `replace_scalar` puts a one-line scalar in a block scalar's place,
    keeping the line breaks after it."""
    file = source("a: >-\n  PLAINTEXT://kafka:29092,\n  PLAINTEXT_HOST://localhost:9092\n"
                  "b: >\n  one\n  two\n\n  three\nc: |\n  x\n  y\n\nd: 1\n")
    document = yamlfile.compose_all(file.data)[0]
    values = {key: str(value.value) for key, value in yamlfile.items(document)}
    assert values == yamlfile.load_all(file.data)[0] | {"d": "1"}
    assert values["a"] == "PLAINTEXT://kafka:29092, PLAINTEXT_HOST://localhost:9092"
    edited = applied(file, [compose_edit.replace_scalar(file, yamlfile.get(document, "a"), "PLAINTEXT://kafka:9092"),
                            compose_edit.replace_scalar(file, yamlfile.get(document, "c"), "z")])
    assert edited == "a: PLAINTEXT://kafka:9092\nb: >\n  one\n  two\n\n  three\nc: z\n\nd: 1\n"
    assert yamlfile.load_all(edited.encode())[0]["a"] == "PLAINTEXT://kafka:9092"


# --- env files go first in the override; long-form items ---------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    # compose reads env files in order, the later winning: the developer's own file stays last
    ("s:\n  api:\n    env_file:\n      - .env.local\n", "s:\n  api:\n    env_file:\n      - .env.development\n      - .env.local\n"),
    ("s:\n  api:\n    env_file: [.env.local]\n", "s:\n  api:\n    env_file: [.env.development, .env.local]\n"),
    ("s:\n  api:\n    env_file: .env.local\n", "s:\n  api:\n    env_file: [.env.development, .env.local]\n"),
    ("s:\n  api:\n    env_file: './.env.local'\n", "s:\n  api:\n    env_file: [.env.development, './.env.local']\n"),
])
def test_the_development_env_file_goes_before_the_overrides_own(text: str, expected: str) -> None:
    file = source(text)
    service, key = node(file, "s", "api"), yamlfile.key_node(node(file, "s"), "api")
    edits, _ = compose_edit._extend_service(file, key, service, ServiceWants("api", env_file=[".env.development"]), STYLE)
    assert applied(file, edits) == expected


def test_long_form_items_are_written_as_mappings_in_block_and_flow_lists() -> None:
    optional = {"path": ".env.development", "required": False}
    port = {"target": compose_edit.Verbatim("9092", "9092"), "published": compose_edit.Verbatim("9092", '"9092"'),
            "host_ip": compose_edit.Verbatim("127.0.0.1", "127.0.0.1")}
    block = compose_edit.render_block({"api": ServiceWants("api", env_file=[optional], ports=[port]).tree()}, "  ", STYLE)
    assert block == ("  api:\n    env_file:\n      - path: .env.development\n        required: false\n"
                     "    ports:\n      - target: 9092\n        published: \"9092\"\n        host_ip: 127.0.0.1\n")
    assert loads("services:\n" + block)["services"]["api"]["env_file"] == [optional]
    file = source("s:\n  api:\n    env_file:\n      - .env.local\n    ports: [\"80:80\"]\n")
    service, key = node(file, "s", "api"), yamlfile.key_node(node(file, "s"), "api")
    edits, _ = compose_edit._extend_service(file, key, service, ServiceWants("api", env_file=[optional], ports=[port]),
                                            STYLE)
    after = loads(applied(file, edits))["s"]["api"]
    assert after["env_file"] == [optional, ".env.local"]
    assert after["ports"] == ["80:80", {"target": 9092, "published": "9092", "host_ip": "127.0.0.1"}]
    assert compose_edit.item_text(port) == "127.0.0.1:9092:9092" and compose_edit.item_text(optional) == ".env.development"


@pytest.mark.parametrize("text", [
    "services:\n  api:\n    image: a\n  api:\n    image: b\n",
    "services:\n  api:\n    environment:\n      NODE_ENV: production\n      NODE_ENV: development\n",
    "{services: {api: {image: a}, api: {image: b}}}\n",
])
def test_a_key_defined_twice_is_refused_like_compose_refuses_it(text: str) -> None:
    # the composer keeps both copies; an edit of the first one would change a value that nothing reads
    with pytest.raises(yamlfile.YamlError, match="already defined at line"):
        yamlfile.compose_all(text.encode())


def test_merge_keys_and_equal_values_in_different_mappings_are_not_duplicates() -> None:
    text = ("x-base: &base\n  image: a\nservices:\n  api:\n    <<: *base\n    image: b\n"
            "  web:\n    <<: *base\n    image: b\n")
    assert len(yamlfile.compose_all(text.encode())) == 1
