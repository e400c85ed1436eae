"""Dockerfiles through BuildKit's own parser (the `dockerfile` package).

It gives exact 1-based inclusive line ranges for every instruction, including
heredocs, `# escape=` directives, comments inside continuations and CRLF. Its
`original` text is normalised: edit the original bytes inside the ranges, never
write `original` back.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

import dockerfile as buildkit

from fixer.parsing.text import BOM, Text, parsed_once


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
    # (name, body) of each heredoc (`RUN <<EOF`, `COPY <<EOF /app/hc.sh`), in order, as BuildKit reads them
    # (its terminator, `<<-`, quoted names; the body's bytes as written, CRLF kept): the one reader of heredoc bodies
    heredocs: tuple[tuple[str, str], ...] = ()


# Set in a forked worker (`fixer.parallel`): BuildKit's parser is Go, and a Go runtime started in
# the parent is not fork-safe (a worker can hang for good inside it). The parent parses every
# Dockerfile a worker may ask for before it forks (`parsed_once` answers those); any other is an
# error there, never a hang.
IN_FORKED_WORKER = False


@parsed_once(4096)  # the services model, the checklist and the probe lookups each ask for every Dockerfile
def parse(data: bytes) -> list[Instruction]:
    if IN_FORKED_WORKER:
        raise DockerfileError("not parsed in a worker process (the parser is not fork-safe)")
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
                heredocs=tuple((heredoc.name, heredoc.content) for heredoc in command.heredocs),
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


_HEREDOC_MARKER = re.compile(r"""<<-?\s*(["']?)[A-Za-z_][\w.-]*\1""")
_SHELL = re.compile(r"^(?:/usr)?(?:/bin/)?(?:sh|bash|ash|dash)(?:\s+(?:-[A-Za-z]+|[-+]o\s+\w+))*$")
_SHELL_SHEBANG = re.compile(r"#!\s*(?:/usr)?/bin/(?:env\s+)?(?:sh|bash|ash|dash)\b")


def run_script(instruction: Instruction) -> str:
    """The shell text a shell-form RUN runs: its command line, then the body of each heredoc a shell runs as a
    script (`RUN <<EOF`, `RUN bash -e <<EOF`, `RUN <<EOF sh`; as BuildKit does, a lone `<<EOF` body is the script
    unless a `#!` names another interpreter), line continuations joined. Not a heredoc that is a file's text or
    another program's input (`RUN cat <<EOF > /etc/motd`, `RUN python3 <<EOF`)."""
    text = " ".join(instruction.value)
    if instruction.cmd != "RUN" or instruction.json or not instruction.heredocs:
        return text
    command = _HEREDOC_MARKER.sub(" ", text).strip()
    scripts = []
    for _name, body in instruction.heredocs:
        if (not command and len(instruction.heredocs) == 1 and (not body.startswith("#!") or _SHELL_SHEBANG.match(body))) \
                or _SHELL.match(command):
            scripts.append(re.sub(r"\\\r?\n", " ", body))
    return "\n".join([text, *scripts])


def final_stage(instructions: list[Instruction]) -> list[Instruction]:
    last = max((i.stage for i in instructions), default=-1)
    return [i for i in instructions if i.stage == last]


def stage_chain(instructions: list[Instruction], stage: int | None = None) -> list[int]:
    """The stages an image is made of, first to last: `stage` (default: the final one) after
    the stages it is built `FROM` (`FROM base` inherits base's ENV, USER and files), each once."""
    names = {i.value[2].lower(): i.stage for i in instructions
             if i.cmd == "FROM" and len(i.value) >= 3 and i.value[1].upper() == "AS"}
    chain = [max((i.stage for i in instructions), default=-1) if stage is None else stage]
    while True:
        start = next((i for i in instructions if i.stage == chain[0] and i.cmd == "FROM"), None)
        parent = names.get(start.value[0].lower()) if start is not None and start.value else None
        if parent is None or parent in chain:
            return chain
        chain.insert(0, parent)


def stage_named(instructions: list[Instruction], name: str) -> int | None:
    """The index of the stage `FROM … AS name` starts (a compose `build.target`), None when there is none."""
    return next((i.stage for i in instructions if i.cmd == "FROM" and len(i.value) >= 3 and i.value[1].upper() == "AS"
                 and i.value[2].lower() == name.lower()), None)


def run_argv(instructions: list[Instruction], chain: list[int]) -> tuple[list[str], list[str], Instruction | None]:
    """What an image made of the stages of `chain` (`stage_chain`) runs: its ENTRYPOINT's and its CMD's
    words (the last of each in the chain; a shell form is `/bin/sh -c '<text>'`, a shell-form ENTRYPOINT
    ignores CMD, and an ENTRYPOINT set in a later stage than the CMD resets it, as Docker does with a base
    image's CMD), and the last of the two instructions (where the image says what it runs; None: neither)."""
    last: dict[str, Instruction] = {}
    for instruction in instructions:
        if instruction.cmd in ("ENTRYPOINT", "CMD") and instruction.stage in chain:
            last[instruction.cmd] = instruction
    entry, cmd = last.get("ENTRYPOINT"), last.get("CMD")
    if entry is not None and cmd is not None and (not entry.json or chain.index(cmd.stage) < chain.index(entry.stage)):
        cmd = None

    def argv(instruction: Instruction | None) -> list[str]:
        if instruction is None:
            return []
        return list(instruction.value) if instruction.json else ["/bin/sh", "-c", " ".join(instruction.value)]
    said = max((i for i in (entry, cmd) if i is not None), key=lambda i: i.start_line, default=None)
    return argv(entry), argv(cmd), said


def base_image(instructions: list[Instruction]) -> str:
    """The image the final stage is built on, through the stages it is built `FROM` (`FROM base`):
    `nginx:1.27-alpine`; "" when there is none."""
    chain = stage_chain(instructions)
    start = next((i for i in instructions if i.stage == chain[0] and i.cmd == "FROM"), None) if chain else None
    return start.value[0] if start is not None and start.value else ""


_WEB_SERVER_IMAGE = re.compile(r"^(?:nginx|httpd|caddy|traefik|haproxy|envoy|openresty|lighttpd)(?:[-_.].*)?$")


def web_server_image(image: str) -> bool:
    """Whether an image runs a web server, not Node (an SPA served by nginx): `nginx:1.27-alpine`,
    `docker.io/library/httpd@sha256:…`, `caddy`."""
    return bool(_WEB_SERVER_IMAGE.match(image.partition("@")[0].rsplit("/", 1)[-1].partition(":")[0].lower()))


# images with no package manager (nothing can be installed in them; no HTTP client either), most with no shell:
# distroless (its :debug tags have busybox at /busybox/sh, not /bin/sh: not judged), its node at /nodejs/bin/node
# (the entrypoint; not on PATH); chainguard's node and static (their -dev tags have a shell and apk), its node on
# PATH; scratch (nothing at all). A digest with no tag may be any variant: no shell is not judged.
_DISTROLESS = re.compile(r"(?:^|/)distroless/(?P<name>[^:@/]+)(?::(?P<tag>[^@]+))?(?P<digest>@.*)?$")
_CHAINGUARD = re.compile(r"^cgr\.dev/chainguard/(?P<name>node|static)(?::(?P<tag>[^@]+))?(?P<digest>@.*)?$")
SHELL_PROGRAM = re.compile(r"^(?:\S*/)?(?:sh|bash|ash|dash|busybox)$")


def bare_image(base: str) -> tuple[bool, str] | None:
    """For an image with no package manager (`_DISTROLESS`, `_CHAINGUARD`, scratch): whether it surely has no shell,
    and how an exec form runs its node ("" when it has none). None for any other image, or one not known."""
    distroless, chainguard = _DISTROLESS.search(base), _CHAINGUARD.match(base)
    if distroless is not None:
        tag = distroless.group("tag") or ("" if distroless.group("digest") else "latest")
        return bool(tag) and "debug" not in tag, "/nodejs/bin/node" if distroless.group("name").startswith("nodejs") else ""
    if chainguard is not None and not (chainguard.group("digest") and not chainguard.group("tag")) \
            and "dev" not in (chainguard.group("tag") or ""):
        return True, "node" if chainguard.group("name") == "node" else ""
    return (True, "") if base == "scratch" else None


def shell_added(image: list[Instruction]) -> bool:
    """Whether a stage may give the image a shell after all: a SHELL instruction, or a COPY/ADD of a shell or into
    the directories one lives in (`COPY --from=busybox /bin/sh /bin/sh`)."""
    for instruction in image:
        if instruction.cmd == "SHELL":
            return True
        if instruction.cmd in ("COPY", "ADD") and len(instruction.value) >= 2:
            *sources, destination = instruction.value
            if any("busybox" in flag for flag in instruction.flags) or any(SHELL_PROGRAM.match(s.rstrip("/")) for s in sources) \
                    or posixpath.normpath(destination) in ("/", "/bin", "/bin/sh", "/usr", "/usr/bin", "/usr/bin/sh"):
                return True
    return False


def shell_missing(image: list[Instruction], base: str, command: str, shell: bool) -> bool:
    """Whether a health check's command needs a shell the image surely has not, so it never runs: it is run by one
    (`shell`: a HEALTHCHECK's shell form, a compose test's `CMD-SHELL` or string) or runs one (`["sh", "-c", …]`), in
    an image with none (`bare_image`, `base` its first stage's FROM) that no instruction of `image` (the stages it is
    made of) gives one (`shell_added`). The one rule of the checklist's health-check items and healthcheck-loopback."""
    bare = bare_image(base) if "$" not in base else None
    return bare is not None and bare[0] and (shell or bool(SHELL_PROGRAM.match(command.split(maxsplit=1)[0] if command.split() else ""))) \
        and not shell_added(image)


INSTALL = re.compile(r"\b(?:apk\s+add|apt-get\s+install|apt\s+install|yum\s+install|dnf\s+install)\b(.*)")
COMMANDS = re.compile(r"&&|\|\||;|\||\n")  # (a newline too: a RUN heredoc's script, `run_script`)
# the official node image in a full (buildpack-deps: gcc, make, python, curl, wget) variant: every tag but the slim and
# alpine ones (node:20, node:iron, node:lts-iron, node:24-trixie, node:10-stretch, node:4-onbuild); not a Windows one,
# nor a tag an ARG sets (`node:${NODE_VERSION}`: which variant is not known here)
FULL_NODE = re.compile(r"^(?:docker\.io/)?(?:library/)?node(?::(?![^@]*(?:slim|alpine|nanoserver|windowsservercore|\$))[^@/]+)?(?:@.*)?$")
_PROBE_TOOL = re.compile(r"(?<![\w/-])(?:/usr/bin/|/bin/)?(curl|wget)\b")
# what HTTP clients an image family has: debian-based node (buildpack-deps) has both; node's alpine variants and alpine
# itself have busybox's wget; slim and distroless images have neither. Other images (nginx:alpine has curl): not known,
# not judged.
_IMAGE_TOOLS = ((re.compile(r"(?:^|/)distroless/|-slim\b|^(?:docker\.io/)?(?:library/)?debian:[\w.]*-slim$"), frozenset()),
                (re.compile(r"^(?:docker\.io/)?(?:library/)?(?:node:[^@/]*alpine|alpine(?:[:@]|$))"), frozenset({"wget"})),
                (FULL_NODE, frozenset({"curl", "wget"})))


def tool_missing(image: list[Instruction], command: str, base: str, before: int | None = None, shell: bool = False) -> str | None:
    """The HTTP client (curl, wget) a health check's command runs that an image lacks: its base's family has none
    (`_IMAGE_TOOLS`, `bare_image`) and no RUN of its stages (before line `before`, when given) installs it; or
    "/bin/sh" for a command run by a shell (`shell`: a shell form, a compose `CMD-SHELL`) in an image with none
    (`shell_missing`). The one rule of a Dockerfile's HEALTHCHECK and of a compose healthcheck's test (which replaces
    it, in the image built), for the checklist's health-check items and healthcheck-loopback."""
    if shell_missing(image, base, command, shell):
        return "/bin/sh"
    bare = bare_image(base) if "$" not in base else None
    tool = _PROBE_TOOL.search(command)
    if tool is None or re.search(r"\bnode\b", command[: tool.start()]):
        return None  # `node -e "fetch(…)"`, a script of the project's
    have = frozenset() if bare is not None else next((tools for pattern, tools in _IMAGE_TOOLS if pattern.search(base)), None)
    if have is None or "$" in base or tool.group(1) in have:
        return None
    for instruction in image:
        if instruction.cmd == "RUN" and (before is None or instruction.start_line < before):
            for install in INSTALL.finditer(run_script(instruction)):
                if tool.group(1) in COMMANDS.split(install.group(1))[0].split():
                    return None
    return tool.group(1)


# --- ENV / ARG / LABEL assignments with byte spans ------------------------------------

_DIRECTIVE = re.compile(r"^#\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*(\S*)\s*$")


def escape_char(text: Text) -> str:
    """The file's line-continuation/escape character: `\\`, or what a `# escape=` parser
    directive at the top of the file sets (directives end at the first other line)."""
    for line in range(1, len(text.line_starts) + 1):
        raw = text.line_text(line).lstrip("\ufeff")
        match = _DIRECTIVE.match(raw.strip())
        if not match:
            break
        if match.group(1).lower() == "escape" and match.group(2) in ("\\", "`"):
            return match.group(2)
    return "\\"


@dataclass(frozen=True)
class Assignment:
    """One `KEY=value` of an ENV, ARG or LABEL instruction (or the legacy `ENV KEY value`)."""

    key: str
    value: str  # quotes removed, escapes resolved
    start: int  # byte span of the raw value in the file, quotes included
    end: int
    line: int  # 1-based line of the value's start
    col: int  # 1-based column (characters) of the value's start


def assignments(text: Text, instruction: Instruction) -> list[Assignment]:
    """The assignments of an ENV/ARG/LABEL instruction with exact byte spans.

    Works on the original bytes of the instruction's code lines (comment lines inside a
    continuation are left out, as BuildKit does), with the file's escape character."""
    if instruction.cmd not in ("ENV", "ARG", "LABEL") or instruction.has_heredoc:
        return []
    escape = escape_char(text)
    chars = _instruction_chars(text, instruction, escape)
    tokens = _tokens(chars, escape)
    if not tokens:
        return []
    found: list[Assignment] = []
    first_key, first_eq = _split_assignment(tokens[0], escape)
    if instruction.cmd == "ENV" and first_eq is None:  # legacy `ENV KEY value with spaces`
        if len(tokens) < 2:
            return []
        start, end = tokens[1][0][1], tokens[-1][-1][1] + len(tokens[-1][-1][0].encode())
        value = " ".join(_decode([c for c, _ in token], escape) for token in tokens[1:])
        line, col = text.line_col(start)
        return [Assignment(first_key, value, start, end, line, col)]
    for token in tokens:
        key, eq = _split_assignment(token, escape)
        if eq is None or not key:
            continue
        raw = token[eq + 1 :]
        if not raw:
            continue
        start = raw[0][1]
        end = raw[-1][1] + len(raw[-1][0].encode())
        line, col = text.line_col(start)
        found.append(Assignment(key, _decode([c for c, _ in raw], escape), start, end, line, col))
    return found


def _instruction_chars(text: Text, instruction: Instruction, escape: str) -> list[tuple[str, int]]:
    """(character, byte offset) of the instruction's arguments; a line continuation
    becomes one space (offset -1: it is not in the file)."""
    chars: list[tuple[str, int]] = []
    for line in code_lines(text, instruction):
        start, end = text.line_span(line)
        raw = text.data[start:end].decode("utf-8", "replace")
        offset = start
        if line == instruction.start_line:
            if raw.startswith("\ufeff"):
                raw, offset = raw[1:], offset + 3
            match = re.match(r"\s*[A-Za-z]+\s*", raw)
            skipped = match.group(0) if match else ""
            raw, offset = raw[len(skipped):], offset + len(skipped.encode())
        body = raw.rstrip()
        continued = body.endswith(escape) and not body.endswith(escape * 2)
        if continued:
            body = body[:-1]
        for char in body:
            chars.append((char, offset))
            offset += len(char.encode())
        if continued:
            chars.append((" ", -1))
    return chars


def _tokens(chars: list[tuple[str, int]], escape: str) -> list[list[tuple[str, int]]]:
    """Split on whitespace outside quotes (an escaped character never splits or quotes)."""
    tokens: list[list[tuple[str, int]]] = []
    current: list[tuple[str, int]] = []
    quote = ""
    index = 0
    while index < len(chars):
        char, offset = chars[index]
        if char == escape and quote != "'" and index + 1 < len(chars):
            current += [chars[index], chars[index + 1]]
            index += 2
            continue
        if quote:
            if char == quote:
                quote = ""
        elif char in ("'", '"'):
            quote = char
        elif char.isspace():
            if current:
                tokens.append(current)
            current = []
            index += 1
            continue
        current.append((char, offset))
        index += 1
    if current:
        tokens.append(current)
    return [[(c, o) for c, o in token if o >= 0] or token for token in tokens]


def _split_assignment(token: list[tuple[str, int]], escape: str) -> tuple[str, int | None]:
    quote = ""
    for index, (char, _offset) in enumerate(token):
        if quote:
            if char == quote:
                quote = ""
        elif char in ("'", '"'):
            quote = char
        elif char == "=":
            return "".join(c for c, _ in token[:index]), index
    return "".join(c for c, _ in token), None


def _decode(raw: list[str], escape: str) -> str:
    out = []
    quote = ""
    index = 0
    while index < len(raw):
        char = raw[index]
        if char == escape and quote != "'" and index + 1 < len(raw):
            out.append(raw[index + 1])
            index += 2
            continue
        if quote and char == quote:
            quote = ""
        elif not quote and char in ("'", '"'):
            quote = char
        else:
            out.append(char)
        index += 1
    return "".join(out)
