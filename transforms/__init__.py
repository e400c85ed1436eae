"""The registry: every fix, listed explicitly, in the audit's priority order.

Third-party fixes register through the entry-point group `fixer.transforms`
(each entry point names a module that satisfies `fixer.model.Fix`).
"""

from __future__ import annotations

from importlib.metadata import entry_points
from types import ModuleType

from transforms import console_to_logger
from transforms import cors_validation
from transforms import db_degradation
from transforms import eager_init
from transforms import env_separation
from transforms import graceful_shutdown
from transforms import health_endpoints
from transforms import healthcheck_loopback
from transforms import kafka_listeners
from transforms import secrets
from transforms import stdout_logging

BUILTIN: list[ModuleType] = [
    secrets,
    health_endpoints,
    healthcheck_loopback,
    console_to_logger,
    env_separation,
    db_degradation,
    eager_init,
    stdout_logging,
    graceful_shutdown,
    cors_validation,
    kafka_listeners,
]


def registry() -> dict[str, ModuleType]:
    """Fix id -> module, sorted by week then order (built-ins first on ties)."""
    modules = list(BUILTIN)
    known = {m.INFO.id for m in modules}
    for entry in entry_points(group="fixer.transforms"):
        try:
            module = entry.load()
        except Exception:  # a broken plug-in must not break fixer
            continue
        if getattr(module, "INFO", None) is not None and module.INFO.id not in known:
            modules.append(module)
            known.add(module.INFO.id)
    modules.sort(key=lambda m: (m.INFO.week, m.INFO.order))
    return {m.INFO.id: m for m in modules}
