"""`.fixer.toml`: optional settings at the target repository's root.

    include = ["services/**"]          # only these paths (globs, relative to the root)
    exclude = ["services/legacy/**"]   # never these
    max-file-size = 2000000            # bytes; bigger files are skipped

    [fix.health-endpoints]
    keep-alias = true

    [logger]                           # the logger fixes log through (default: inferred)
    module = "@scope/shared"           # import specifier, or a repository path like "shared/src/logger.ts"
    import = "logger"                  # the exported name; "default" for a default export
    name = "logger"                    # the local binding
    create = true                      # no logger anywhere: add a shared winston logger module (at `module`
                                       # when that is a repository path) and import it
    shape = "winston"                  # the logger at `module` takes winston's (message, meta) ("pino":
                                       # pino's (meta, message)), when fixer cannot see it made

    [[ignore]]                         # file-level ignores (a reason is required)
    path = "services/legacy/**"
    fixes = ["console-to-logger"]
    reason = "replaced in Q3"

Unknown keys are an error that names the key. Command-line flags win over the file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fixer.errors import UsageError

FILENAME = ".fixer.toml"
DEFAULT_MAX_FILE_SIZE = 2_000_000


@dataclass
class Config:
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    fixes: dict[str, dict[str, Any]] = field(default_factory=dict)  # fix id -> options
    logger: dict[str, Any] = field(default_factory=dict)  # module / import / name / create
    ignores: list[dict[str, Any]] = field(default_factory=list)  # [[ignore]] path / fixes / reason


def load(root: Path, registry: dict[str, Any]) -> Config:
    path = root / FILENAME
    if not path.is_file():
        if path.is_dir() or path.is_symlink():  # (a broken link, a directory: its rules would be dropped silently)
            raise UsageError(f"{FILENAME}: not a readable file ({'a directory' if path.is_dir() else 'a broken link'})")
        return Config()
    return loads(path.read_bytes(), registry)


def loads(data: bytes, registry: dict[str, Any], where: str = FILENAME) -> Config:
    """The settings these bytes of a `.fixer.toml` hold (`where`: how to name it in the error)."""
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise UsageError(f"{where}: not valid TOML ({error})") from None
    return parse(raw, registry)


def listing(root: Path) -> tuple[Config, bytes] | None:
    """What `.fixer.toml` says about which files there are (include, exclude, max-file-size:
    all the listing needs), read without the fixes, and the file's bytes; None when it does
    not parse or those keys are not valid (`load` reports why)."""
    path = root / FILENAME
    if not path.is_file():
        return None if path.is_dir() or path.is_symlink() else (Config(), b"")
    try:
        data = path.read_bytes()
        raw = tomllib.loads(data.decode("utf-8"))
        return parse({key: value for key, value in raw.items() if key in ("include", "exclude", "max-file-size")},
                     {}), data
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, UsageError):
        return None


def parse(raw: dict[str, Any], registry: dict[str, Any]) -> Config:
    config = Config()
    known = {"include", "exclude", "max-file-size", "fix", "logger", "ignore"}
    for key, value in raw.items():
        if key not in known:
            raise UsageError(f"{FILENAME}: unknown key {key!r} (known: {', '.join(sorted(known))})")
        if key in ("include", "exclude"):
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                raise UsageError(f"{FILENAME}: {key!r} must be a list of glob strings")
            setattr(config, key, value)
        elif key == "max-file-size":
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise UsageError(f"{FILENAME}: 'max-file-size' must be a positive integer (bytes)")
            config.max_file_size = value
        elif key == "logger":
            config.logger = _logger_table(value)
        elif key == "ignore":
            config.ignores = _ignore_rules(value, registry)
        else:
            config.fixes = _fix_tables(value, registry)
    return config


def _ignore_rules(value: Any, registry: dict[str, Any]) -> list[dict[str, Any]]:
    """[[ignore]] tables: path (glob), fixes (ids), reason (required)."""
    if not isinstance(value, list) or not all(isinstance(rule, dict) for rule in value):
        raise UsageError(f"{FILENAME}: write ignores as [[ignore]] tables with path, fixes and reason")
    rules = []
    for rule in value:
        unknown = set(rule) - {"path", "fixes", "reason"}
        if unknown:
            raise UsageError(f"{FILENAME}: unknown key {sorted(unknown)[0]!r} in [[ignore]] (known: fixes, path, reason)")
        if not isinstance(rule.get("path"), str) or not rule["path"]:
            raise UsageError(f"{FILENAME}: [[ignore]] needs a 'path' glob")
        fixes = rule.get("fixes")
        if not isinstance(fixes, list) or not fixes or not all(isinstance(f, str) for f in fixes):
            raise UsageError(f"{FILENAME}: [[ignore]] for {rule['path']!r} needs 'fixes', a list of fix ids")
        for fix_id in fixes:
            if fix_id not in registry:
                raise UsageError(f"{FILENAME}: [[ignore]] names unknown fix {fix_id!r} (known: {', '.join(registry)})")
        if not isinstance(rule.get("reason"), str) or not rule["reason"].strip():
            raise UsageError(f"{FILENAME}: [[ignore]] for {rule['path']!r} needs a 'reason'")
        rules.append({"path": rule["path"], "fixes": list(fixes), "reason": rule["reason"].strip()})
    return rules


def _logger_table(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise UsageError(f"{FILENAME}: [logger] must be a table")
    known = {"module", "import", "name", "create", "shape"}
    for key, item in value.items():
        if key not in known:
            raise UsageError(f"{FILENAME}: unknown key {key!r} in [logger] (known: {', '.join(sorted(known))})")
        if key == "create":
            if not isinstance(item, bool):
                raise UsageError(f"{FILENAME}: [logger] create must be true or false")
        elif not isinstance(item, str) or not item:
            raise UsageError(f"{FILENAME}: [logger] {key} must be a non-empty string")
        elif key == "shape" and item not in ("winston", "pino"):
            raise UsageError(f"{FILENAME}: [logger] shape must be \"winston\" or \"pino\"")
    if value.get("shape") and "module" not in value:
        raise UsageError(f"{FILENAME}: [logger] shape needs 'module' (the logger it describes)")
    if "module" not in value and not value.get("create"):
        raise UsageError(f"{FILENAME}: [logger] needs 'module' (or 'create = true')")
    return dict(value)


def _fix_tables(value: Any, registry: dict[str, Any]) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict):
        raise UsageError(f"{FILENAME}: 'fix' must be a table of [fix.<id>] tables")
    tables: dict[str, dict[str, Any]] = {}
    for fix_id, options in value.items():
        if fix_id not in registry:
            raise UsageError(f"{FILENAME}: unknown fix [fix.{fix_id}] (known: {', '.join(registry)})")
        if not isinstance(options, dict):
            raise UsageError(f"{FILENAME}: [fix.{fix_id}] must be a table")
        tables[fix_id] = {key: check_option(registry[fix_id].INFO, key, val) for key, val in options.items()}
    return tables


def check_option(info: Any, key: str, value: Any, where: str = FILENAME) -> Any:
    """`value` of option `key` of a fix, checked; `where` names its source in errors."""
    option = info.options.get(key)
    if option is None:
        known = ", ".join(info.options) or "none"
        raise UsageError(f"{where}: unknown option {key!r} for fix {info.id} (known: {known})")
    expected = option.type
    if expected is bool and not isinstance(value, bool):
        raise UsageError(f"option {info.id}.{key} must be true or false")
    if expected is not bool and not isinstance(value, expected):
        raise UsageError(f"option {info.id}.{key} must be a {expected.__name__}")
    return value


def parse_cli_option(text: str, registry: dict[str, Any]) -> tuple[str, str, Any]:
    """`health-endpoints.keep-alias=true` -> (fix id, key, value)."""
    name, sep, raw = text.partition("=")
    fix_id, dot, key = name.partition(".")
    if not sep or not dot:
        raise UsageError(f"--option {text!r}: expected FIX.KEY=VALUE, e.g. health-endpoints.keep-alias=true")
    if fix_id not in registry:
        raise UsageError(f"--option {text!r}: unknown fix {fix_id!r} (known: {', '.join(registry)})")
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw  # a bare word is a string
    return fix_id, key, check_option(registry[fix_id].INFO, key, value, f"--option {text!r}")


def options_for(info: Any, config: Config, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The options a fix runs with: defaults, then `.fixer.toml`, then the command line."""
    options = {key: option.default for key, option in info.options.items()}
    options.update(config.fixes.get(info.id, {}))
    options.update(overrides or {})
    return options
