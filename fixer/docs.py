"""A fix documents itself in its module docstring; `fixer show` and docs/fixes/<id>.md
are both rendered from it here, so they cannot drift apart."""

from __future__ import annotations

import inspect
import re
from typing import Any

SECTIONS = ("What it does", "Why", "Example", "Fix safety")


def sections(module: Any) -> dict[str, str]:
    """The docstring's summary line (key "summary") and its `## Heading` sections."""
    text = inspect.getdoc(module) or ""
    summary, _, rest = text.partition("\n")
    found = {"summary": summary.strip()}
    parts = re.split(r"^## +(.+?)\s*$", rest, flags=re.M)
    for heading, body in zip(parts[1::2], parts[2::2]):
        found[heading.strip()] = body.strip("\n").rstrip()
    return found


def missing_sections(module: Any) -> list[str]:
    found = sections(module)
    return [name for name in SECTIONS if not found.get(name)]


def render_markdown(module: Any) -> str:
    info = module.INFO
    found = sections(module)
    options = "; ".join(
        f"`{key}` (default `{str(option.default).lower() if isinstance(option.default, bool) else option.default}`): {option.help}"
        for key, option in info.options.items()
    ) or "none"
    lines = [
        f"# {info.id} — {info.title}",
        "",
        found["summary"],
        "",
        "| | |",
        "|---|---|",
        f"| Audit | {info.audit} |",
        f"| Priority | week {info.week}, order {info.order} |",
        f"| Severity | {info.severity} |",
        f"| Fix safety | {info.safety} |",
        f"| Reads | {', '.join(sorted(info.kinds))} |",
        f"| Options | {options} |",
        f"| Branch | `fixer/{info.id}` |",
        "",
    ]
    for name in SECTIONS:
        lines += [f"## {name}", "", found.get(name, "(not documented)"), ""]
    extra = [key for key in found if key not in SECTIONS and key != "summary"]
    for name in extra:
        lines += [f"## {name}", "", found[name], ""]
    return "\n".join(lines).rstrip() + "\n"
