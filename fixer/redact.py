"""Secrets never leave fixer in full: every line of output passes through here.

A finding lists the secret values it concerns (`Finding.secrets`); every report,
diff, summary, JSON document, commit message and error message is redacted
against all of them, keeping only the first 4 characters and the length.
"""

from __future__ import annotations

from typing import Iterable, TypeVar

T = TypeVar("T", str, bytes)

VISIBLE = 4


def mask(value: str) -> str:
    """`sk_live_abc…` -> `sk_l…(32 chars)`: enough to recognise, never enough to use."""
    return f"{value[:VISIBLE]}…({len(value)} chars)"


def redact(text: T, secrets: Iterable[str]) -> T:
    values = sorted({s for s in secrets if len(s) > VISIBLE}, key=len, reverse=True)
    if not values:
        return text
    if isinstance(text, bytes):
        for value in values:
            text = text.replace(value.encode("utf-8"), mask(value).encode("utf-8"))
        return text
    for value in values:
        text = text.replace(value, mask(value))
    return text
