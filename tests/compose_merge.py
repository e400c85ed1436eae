"""What `docker compose` makes of a base file and its override, for the attributes the compose
fixes touch: the Compose Specification's interpolation and merge rules, and how a
service's environment is assembled from `env_file` and `environment`.

  files = [load(base_bytes), load(override_bytes)]       # production: [load(base_bytes)]
  services = resolve(files, shell={"ENV": "development"})
  environment(services["api"], read)                      # read(path) -> dotenv text

Rules (compose-spec "Merge and override", compose-go's loader):
- every file is interpolated on its own (`${VAR}`, `${VAR:-default}`, `${VAR-default}`,
  `$VAR`, `$$`) before the files are merged;
- mappings merge by key, the later file winning; `environment` (and `labels`, build
  `args`, …) in list form `KEY=value` is read as a mapping first;
- `env_file` and `ports` append, an entry that is already there keeping its place;
- `command`, `entrypoint` and `healthcheck.test` are replaced, other lists append;
- a service's environment is its env files in order (a later file wins), then `environment`.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping

from fixer.parsing import yamlfile

MAPPING_LIKE = {"environment", "labels", "args", "annotations", "sysctls", "extra_hosts"}
REPLACED = {"command", "entrypoint", "test"}
UNIQUE = {"env_file": lambda item: item["path"], "ports": lambda item: str(item)}

_VARIABLE = re.compile(r"\$(?:(?P<escaped>\$)|\{(?P<braced>[^}]*)\}|(?P<named>[A-Za-z_][A-Za-z0-9_]*))")


def load(data: bytes) -> dict[str, Any]:
    """The compose document of a file (the one with `services:`)."""
    documents = [d for d in yamlfile.load_all(data) if isinstance(d, dict)]
    return next((d for d in documents if "services" in d), documents[0] if documents else {})


def interpolate(value: Any, shell: Mapping[str, str]) -> Any:
    if isinstance(value, dict):
        return {key: interpolate(item, shell) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, shell) for item in value]
    if not isinstance(value, str):
        return value
    return _VARIABLE.sub(lambda match: _substitute(match, shell), value)


def _substitute(match: re.Match[str], shell: Mapping[str, str]) -> str:
    if match.group("escaped"):
        return "$"
    if match.group("named"):
        return shell.get(match.group("named"), "")
    expression = match.group("braced")
    for operator in (":-", "-", ":?", "?", ":+", "+"):
        name, found, rest = expression.partition(operator)
        if found and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            present = name in shell and (shell[name] != "" or ":" not in operator)
            if operator.endswith("-"):
                return shell[name] if present else rest
            if operator.endswith("?"):
                if not present:
                    raise KeyError(f"required variable {name} is missing: {rest}")
                return shell[name]
            return rest if present else ""
    return shell.get(expression, "")


def normalize(service: dict[str, Any]) -> dict[str, Any]:
    """Short forms read the way compose reads them."""
    service = dict(service)
    for key in MAPPING_LIKE & set(service):
        service[key] = as_mapping(service[key])
    if "env_file" in service:
        files = service["env_file"]
        files = [files] if isinstance(files, str) else files or []
        service["env_file"] = [{"path": f, "required": True} if isinstance(f, str) else dict(f) for f in files]
    if isinstance(service.get("ports"), list):
        service["ports"] = [str(p) if not isinstance(p, dict) else f"{p.get('published')}:{p.get('target')}"
                            for p in service["ports"]]
    return service


def as_mapping(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return {str(k): v for k, v in value.items()}
    found: dict[str, Any] = {}
    for item in value or []:
        key, sep, rest = str(item).partition("=")
        found[key] = rest if sep else None
    return found


def merge(base: Any, override: Any, key: str = "") -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for name, value in override.items():
            merged[name] = merge(base[name], value, name) if name in base else value
        return merged
    if isinstance(base, list) and isinstance(override, list) and key not in REPLACED:
        if key in UNIQUE:
            return _unique(base + override, UNIQUE[key])
        return base + override
    return override


def _unique(items: list[Any], key: Callable[[Any], str]) -> list[Any]:
    """compose-go's rule: a later duplicate takes the earlier one's place."""
    found: list[Any] = []
    where: dict[str, int] = {}
    for item in items:
        name = key(item)
        if name in where:
            found[where[name]] = item
        else:
            where[name] = len(found)
            found.append(item)
    return found


def resolve(files: list[dict[str, Any]], shell: Mapping[str, str] | None = None) -> dict[str, dict[str, Any]]:
    """The services of `files` merged in order (base first), each file interpolated first."""
    shell = shell or {}
    merged: dict[str, Any] = {}
    for document in files:
        services = interpolate(document.get("services") or {}, shell)
        normalized = {name: normalize(spec or {}) for name, spec in services.items()}
        merged = merge(merged, normalized)
    return merged


def environment(service: dict[str, Any], read: Callable[[str], str | None]) -> dict[str, str | None]:
    """A service's environment: its env files in order (a later file wins), then `environment`.
    A required env file that `read` cannot find is an error, as in compose."""
    from fixer.parsing import envfile

    values: dict[str, str | None] = {}
    for item in service.get("env_file", []):
        text = read(item["path"])
        if text is None:
            if item.get("required", True) not in (False, "false"):
                raise FileNotFoundError(f"env file {item['path']} not found")
            continue
        values.update(envfile.as_dict(text.encode()))
    for key, value in (service.get("environment") or {}).items():
        values[key] = None if value is None else str(value).lower() if isinstance(value, bool) else str(value)
    return values


def compose_schema() -> dict[str, Any]:
    """The Compose Specification JSON schema, as vendored by `check-jsonschema`."""
    import json
    from importlib import resources

    return json.loads((resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json").read_text())


def schema_errors(data: bytes) -> list[str]:
    """Why a compose file does not validate against the Compose Specification ([] if it does)."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(compose_schema())
    return [f"{'.'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
            for document in yamlfile.load_all(data) if document is not None
            for error in validator.iter_errors(document)]
