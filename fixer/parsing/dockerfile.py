"""Dockerfiles through BuildKit's own parser (the `dockerfile` package).

It gives exact 1-based inclusive line ranges for every instruction, including
heredocs, `# escape=` directives, comments inside continuations and CRLF. Its
`original` text is normalised: edit the original bytes inside the ranges, never
write `original` back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import dockerfile as buildkit

from fixer.parsing.text import BOM, Text


class DockerfileError(ValueError):
    pass


@dataclass(frozen=True)
class Instruction:
    cmd: str  # upper-case: FROM, RUN, HEALTHCHECK, …
    start_line: int
    end_line: int
    value: tuple[str, ...]
    flags: tuple[str, ...]
    json: bool
    has_heredoc: bool
    stage: int  # index of the FROM this instruction belongs to (-1 before the first FROM)


def parse(data: bytes) -> list[Instruction]:
    text = data[len(BOM):] if data.startswith(BOM) else data
    try:
        commands = buildkit.parse_string(text.decode("utf-8"))
    except buildkit.GoParseError as error:  # type: ignore[attr-defined]
        raise DockerfileError(str(error).strip().splitlines()[0]) from None
    instructions: list[Instruction] = []
    stage = -1
    for command in commands:
        cmd = command.cmd.upper()
        if cmd == "FROM":
            stage += 1
        instructions.append(
            Instruction(
                cmd=cmd,
                start_line=command.start_line,
                end_line=command.end_line,
                value=tuple(command.value),
                flags=tuple(command.flags),
                json=command.json,
                has_heredoc=bool(command.heredocs),
                stage=stage,
            )
        )
    return instructions


def code_lines(text: Text, instruction: Instruction) -> list[int]:
    """The lines of an instruction that hold its code: not comment lines inside a
    continuation, not heredoc bodies."""
    if instruction.has_heredoc:
        return [instruction.start_line]
    lines = []
    for line in range(instruction.start_line, instruction.end_line + 1):
        if re.match(r"\s*#", text.line_text(line)) and line != instruction.start_line:
            continue
        lines.append(line)
    return lines


def final_stage(instructions: list[Instruction]) -> list[Instruction]:
    last = max((i.stage for i in instructions), default=-1)
    return [i for i in instructions if i.stage == last]
