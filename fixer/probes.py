"""Health probes wherever they live: Dockerfile HEALTHCHECK, compose `healthcheck.test`,
Kubernetes/Helm `httpGet` probes. Each probe knows its text spans, the URL host and path
it calls (those of the script it runs: `node healthcheck.js`), and which service it probes."""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass, replace
from typing import Any, Iterable, Iterator

from fixer.errors import ParseError
from fixer.parsing import dockerfile as dockerfile_parser
from fixer.parsing import envfile, typescript, yamlfile
from fixer.scripts import containers, copied_from, stage_copies
from fixer.repo import CODE_KINDS, IMPORTED_MODULES, RUN_SCRIPT, ComposeService, FactsSpec, Repo, Service, SourceFile, image_name

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "[::1]", "::1", "[::]"})

_VARIABLE = r"\$\{[^}\s]*\}"  # ${PORT}, ${PORT:-3000}
URL = re.compile(
    rf"(?P<scheme>https?)://(?:[^\s/@'\"`]+@)?(?P<host>\[[^\]\s]+\]|(?:{_VARIABLE}|[A-Za-z0-9_.$-])+)"
    rf"(?::(?P<port>(?:{_VARIABLE}|[A-Za-z0-9_$])*))?"
    r"(?P<path>/[^\s'\"\\),;`]*)?"
)
_QUOTED_PATH = re.compile(r"""['"](/[^'"\s]*)['"]""")


@dataclass(frozen=True)
class Probe:
    file: str
    # "dockerfile", "compose", "k8s" (the kubelet's httpGet) or "k8s-exec" (a command in the container); "helm-values":
    # where a chart's values file writes the path of a template's httpGet probe (`path: {{ .Values.probes.path }}`),
    # the text a rename edits: the template's own probe stands for the probe (its `url_path` is this value), this
    # one has none
    source: str
    label: str  # how to name it to a user: "HEALTHCHECK", "compose healthcheck of api", "livenessProbe"
    line: int
    col: int
    spans: tuple[tuple[int, int], ...]  # byte spans of the probe's own text (where its edits may go)
    host: str | None
    url_path: str | None
    service: str | None  # the probed service's directory ("" = repository root), None if unknown
    disabled: bool = False  # HEALTHCHECK NONE, `disable: true`
    external: bool = False  # probes a third-party container (a compose image that is none of our services)
    # the file of the repository a `node healthcheck.js` probe runs, whose requests are the probe's (its host and
    # path, when the command names no URL, are the script's first request's: `script_requests`)
    script: str | None = None
    # what the probe runs that no fix follows into or edits (`shell_runs`): a shell script (a file of the
    # repository, `the heredoc at <Dockerfile>:<line>` of a `COPY <<EOF`, or its path in the image when fixer cannot
    # tell which file it is: `hc.sh (copied from the image acme/probes:1)` from another image), a node script that is
    # no file of the repository (a heredoc's, another image's), or a program that is not curl, wget, node or a tool
    # that makes no HTTP request
    runs: str = ""
    # the paths of the URLs in what it runs (its first URL's host and path are the probe's, when the command
    # names none); None when fixer could not read it: it may call any path
    runs_paths: tuple[str, ...] | None = ()

    def text(self, source_file: SourceFile) -> str:
        return " ".join(source_file.data[a:b].decode("utf-8", "replace") for a, b in self.spans)


# grpc_health_probe (grpc-ecosystem/grpc-health-probe) `-addr=localhost:50051`: a host and port, no HTTP path
GRPC_PROBE_ADDR = re.compile(r"""grpc[_-]health[_-]probe\b[^;&|\n]*?\s['"]?-{1,2}addr(?:=|['"]?,?\s+['"]?)"""
                             r"""(?P<host>\[[^\]\s'"]+\]|[^\s:'"\[]+):""")


def parse_target(text: str) -> tuple[str | None, str | None]:
    """The host and path a probe command calls (`http://localhost:3000/health` -> localhost, /health;
    `grpc_health_probe -addr=localhost:50051` -> localhost, no path)."""
    grpc = GRPC_PROBE_ADDR.search(text) if URL.search(text) is None else None
    if grpc is not None:
        return grpc.group("host"), None
    match = URL.search(text)
    if match:
        path = match.group("path")
        if path is None:
            rest = text[match.end():]
            quoted = _QUOTED_PATH.search(rest)
            path = quoted.group(1) if quoted else "/"
        return match.group("host"), path.split("?")[0].split("#")[0] or "/"
    quoted = _QUOTED_PATH.search(text)
    return None, (quoted.group(1) if quoted else None)


def probes_in(source_file: SourceFile) -> list[Probe]:
    if source_file.kind == "dockerfile":
        return list(_dockerfile_probes(source_file))
    if source_file.kind == "compose":
        return list(_compose_probes(source_file))
    if source_file.kind == "yaml":
        return list(_k8s_probes(source_file)) + list(_helm_value_probes(source_file))
    return []


def all_probes(repo: Repo) -> list[Probe]:
    found: list[Probe] = []
    for source_file in repo.files({"dockerfile", "compose", "yaml"}):
        try:
            found.extend(probes_in(source_file))
        except ParseError as reason:
            repo.skips[source_file.path] = str(reason)
    return found


def _service_key(repo: Repo, path: str) -> str | None:
    service = repo.service_for(path)
    return service.dir if service else None


# --- Dockerfile ---------------------------------------------------------------------


def _dockerfile_probes(source_file: SourceFile) -> Iterator[Probe]:
    """Every stage's HEALTHCHECK: `docker build --target <stage>` runs a builder stage's too."""
    repo = source_file.repo
    owner = repo.service_of_dockerfile(source_file.path) or repo.service_for(source_file.path)
    for instruction in source_file.instructions:
        if instruction.cmd != "HEALTHCHECK":
            continue
        lines = dockerfile_parser.code_lines(source_file.text, instruction)
        spans = tuple(source_file.text.line_span(line) for line in lines)
        disabled = bool(instruction.value) and instruction.value[0].upper() == "NONE"
        command = " ".join(instruction.value[1:]) if instruction.value else ""
        host, path = parse_target(command)
        contexts = [c.context for c in repo.compose_services if c.dockerfile == source_file.path and c.context is not None]
        # (the stage with those it is built `FROM`, whose files and WORKDIR it has)
        chain = dockerfile_parser.stage_chain(source_file.instructions, instruction.stage)
        stage = [i for i in source_file.instructions if i.stage in chain]
        script = None if disabled else _script_run(repo, command, stage, contexts or [source_file.dir], source_file)
        if script is not None and URL.search(command) is None:
            host, path = _script_target(repo, script)
        # (exec form runs no shell: its words are one program's, quoted as they are)
        run = shlex.join(instruction.value[1:]) if instruction.json else command
        runs, paths, target = ("", (), None) if disabled else shell_runs(
            repo, run, stage, contexts or [source_file.dir], source_file)
        if target is not None and script is None and URL.search(command) is None:
            host, path = target
        yield Probe(source_file.path, "dockerfile", "HEALTHCHECK", instruction.start_line, 1, spans,
                    host, path, owner.dir if owner else None, disabled, script=script, runs=runs, runs_paths=paths)


# --- compose ------------------------------------------------------------------------


def _compose_probes(source_file: SourceFile) -> Iterator[Probe]:
    repo = source_file.repo
    services = {c.name: c for c in repo.compose_services if c.file == source_file.path}
    for document in source_file.yaml_documents:
        for name, node in yamlfile.items(yamlfile.get(document, "services")):
            healthcheck = yamlfile.get(node, "healthcheck")
            test = yamlfile.get(healthcheck, "test")
            disable = yamlfile.get(healthcheck, "disable")
            if test is None:
                continue
            parts = [s for s in yamlfile.scalars(test)]
            spans = tuple(yamlfile.span(source_file.text, s) for s in parts)
            command = " ".join(str(s.value) for s in parts)
            target_host, target_path = parse_target(command)
            # the services that run this test: this one (when compose runs its file's services), and each
            # that extends it (`extends:`, from any compose file) without a test of its own
            users: list[ComposeService | None] = list(repo.compose_users(source_file.path, name, "healthcheck", "test"))
            if not users and (source_file.path not in repo.compose_files or repo.compose_files[source_file.path].runs):
                users = [services.get(name)]
            for compose in users:
                host, path = target_host, target_path
                label = name if compose is None or (compose.file, compose.name) == (source_file.path, name) else \
                    f"{compose.name} ({'' if compose.file == source_file.path else f'in {compose.file}, '}through `extends: {name}`)"
                found = repo.compose_value(compose, "healthcheck", "disable") if compose is not None else None
                off = found[2] if found is not None else disable
                owner = repo.service_of_compose(compose) if compose else None
                # an image that is none of our services (nats:2.10, postgres:16) is a third party's
                external = owner is None and compose is not None and compose.context is None and \
                    bool(compose.image) and "$" not in image_name(compose.image or "")
                disabled = (isinstance(off, yamlfile.ScalarNode) and str(off.value).lower() == "true") or (
                    bool(parts) and str(parts[0].value).upper() == "NONE"
                )
                script = _compose_script(repo, compose, command) if compose is not None and not disabled else None
                if script is not None and URL.search(command) is None:
                    host, path = _script_target(repo, script)
                runs, paths, target = ("", (), None) if disabled or external else _compose_runs(
                    repo, compose, [s.value for s in parts])
                if target is not None and script is None and URL.search(command) is None:
                    host, path = target
                yield Probe(source_file.path, "compose", f"compose healthcheck of {label}", yamlfile.line(test),
                            yamlfile.column(test), spans, host, path, owner.dir if owner else None, disabled,
                            external, script, runs, paths)


def _compose_script(repo: Repo, compose: ComposeService, command: str) -> str | None:
    """The script a compose healthcheck runs with node, in the image its Dockerfile builds from its context."""
    dockerfile = repo.read(compose.dockerfile) if compose.context is not None and compose.dockerfile else None
    if dockerfile is None or dockerfile.kind != "dockerfile":
        return None
    try:
        chain = dockerfile_parser.stage_chain(dockerfile.instructions)
    except ParseError:
        return None
    stage = [i for i in dockerfile.instructions if i.stage in chain]
    return _script_run(repo, command, stage, [compose.context or ""], dockerfile)


def _compose_runs(repo: Repo, compose: ComposeService | None, test: list[Any]) -> tuple[str, tuple[str, ...] | None,
                                                                                tuple[str | None, str | None] | None]:
    """`shell_runs` of a compose healthcheck's `test` (`["CMD", …]`: one program's words; `["CMD-SHELL", "…"]` or a
    string: a shell's command; null: none), in the image its Dockerfile builds (none: an image's own files)."""
    words = [str(word) for word in test if word is not None]
    if not words or words in (["null"], ["~"], ["Null"], ["NULL"]):  # (`test: !reset null`: none)
        return "", (), None
    command = shlex.join(words[1:]) if words[0] == "CMD" else " ".join(words[1:] if words[0] == "CMD-SHELL" else words)
    dockerfile = repo.read(compose.dockerfile) if compose is not None and compose.context is not None \
        and compose.dockerfile else None
    stage: list[Any] = []
    if dockerfile is not None and dockerfile.kind == "dockerfile":
        try:
            chain = dockerfile_parser.stage_chain(dockerfile.instructions)
            stage = [i for i in dockerfile.instructions if i.stage in chain]
        except ParseError:
            stage = []
    context = compose.context or "" if compose is not None else ""
    return shell_runs(repo, command, stage, [context], dockerfile if stage else None)


def compose_service_of(repo: Repo, file: str, name: str) -> ComposeService | None:
    for compose in repo.compose_services:
        if compose.file == file and compose.name == name:
            return compose
    return None


def compose_image(repo: Repo, compose: ComposeService) -> tuple[list[Any], str, str | None] | None:
    """What a compose service's container is made of, for what its healthcheck's test can run there: (the instructions
    of the stages of the image its Dockerfile builds, to its `build.target`, the image the first of them is built
    FROM, and that Dockerfile), or ([], its `image:`, None); None when that Dockerfile is not read or has no such stage."""
    if compose.context is None or not compose.dockerfile:
        return [], compose.image or "", None
    source_file = repo.read(compose.dockerfile) if repo.exists(compose.dockerfile) else None
    if source_file is None or source_file.kind != "dockerfile":
        return None
    try:
        instructions = source_file.instructions
        target = yamlfile.get(yamlfile.get(compose.node, "build"), "target")
        stage = dockerfile_parser.stage_named(instructions, str(target.value)) \
            if isinstance(target, yamlfile.ScalarNode) else max((i.stage for i in instructions), default=0)
    except ParseError:
        return None
    if stage is None:
        return None
    image = [i for each in dockerfile_parser.stage_chain(instructions, stage) for i in instructions if i.stage == each]
    root = image[0] if image and image[0].cmd == "FROM" else None
    return image, (root.value[0] if root is not None and root.value else ""), compose.dockerfile


def exec_form_advice(image: str, label: str = "HEALTHCHECK") -> str:
    """What to write instead of a probe that an image with no shell and no package manager (`dockerfile.bare_image`)
    cannot run: the exec form, with the image's node and a small script, or a program the image has."""
    bare = dockerfile_parser.bare_image(image)

    def form(*argv: str) -> str:
        words = ", ".join(f'"{word}"' for word in argv)
        return f"HEALTHCHECK CMD [{words}]" if label == "HEALTHCHECK" else f'test: ["CMD", {words}]'
    if bare is not None and bare[1]:
        return (f"use the exec form with the image's node and a small script: `{form(bare[1], 'healthcheck.js')}`, "
                "healthcheck.js: `fetch('http://127.0.0.1:<port>/health').then(r => process.exit(r.ok ? 0 : 1), "
                "() => process.exit(1))`")
    return f"use the exec form with a program the image has (a static health-check binary copied in: `{form('/healthcheck')}`)"


def missing_tool_advice(tool: str, image: str, label: str = "HEALTHCHECK") -> str:
    """What to do about a probe whose program (`tool`: curl, wget, "/bin/sh") its image lacks
    (`dockerfile.tool_missing`): the exec form on an image nothing can be installed in (`exec_form_advice`), else
    install it, busybox's wget on alpine, or node's fetch. The checklist's advice and healthcheck-loopback's."""
    if dockerfile_parser.bare_image(image) is not None:
        return exec_form_advice(image, label)
    fix = "install it in the final stage" + (", or use `wget -qO- http://127.0.0.1:<port>/health` (busybox)"
                                              if "alpine" in image and tool != "wget" else "")
    return (f"{fix}, or `node -e \"fetch('http://127.0.0.1:<port>/health').then(r => process.exit(r.ok ? 0 : 1), "
            "() => process.exit(1))\"`")


_NODE_IMAGE = re.compile(r"^(?:docker\.io/)?(?:library/)?node(?:[:@]|$)")


def compose_test_missing(repo: Repo, compose: ComposeService, test: Any) -> tuple[str, str, str | None] | None:
    """(the program, the image, the Dockerfile building it or None) when a compose service's healthcheck `test` (as
    `Repo.compose_value` gives it) runs what the service's image lacks (`dockerfile.tool_missing`): the image its
    Dockerfile builds (to its `build.target`), or a node image it runs (`image: node:20-alpine`; another image's
    tools are not known here). Compose runs the test instead of the image's HEALTHCHECK."""
    words = [str(node.value) for node in yamlfile.scalars(test[2]) if node.value is not None]
    command = " ".join(words[1:] if words and words[0] in ("CMD", "CMD-SHELL") else words)
    shell = isinstance(test[2], yamlfile.ScalarNode) or bool(words) and words[0] == "CMD-SHELL"
    made = compose_image(repo, compose)
    if made is None:
        return None
    image, base, dockerfile = made
    if dockerfile is None and not _NODE_IMAGE.match(base) and dockerfile_parser.bare_image(base) is None:
        return None
    tool = dockerfile_parser.tool_missing(image, command, base, shell=shell)
    return (tool, base, dockerfile) if tool is not None else None


# --- a probe that runs a script: `node healthcheck.js` ---------------------------------

# `node healthcheck.js`, `node --max-old-space-size=32 ./scripts/health.mjs`, `/nodejs/bin/node health.js` (distroless):
# not `node -e "…"` (the code is the command)
_NODE_SCRIPT = re.compile(r"(?:^|[\s;&|(])(?:[\w@.+-]*/)*node(?:js)?\s+(?:--?[\w-]+(?:=\S*)?\s+)*(?P<script>[\w@./-]+\.[cm]?js)(?![\w./-])")
_SCRIPT_KINDS = frozenset({"js", "ts"})


def _script_run(repo: Repo, command: str, stage: list[Any], contexts: list[str],
                dockerfile: SourceFile | None = None) -> str | None:
    """The file of the repository a probe's `node <script>` runs: the script's path in the image (against
    the stage's last WORKDIR, where the check runs) traced back through the stage's COPY and ADD to the build
    context (`COPY . .`, `COPY healthcheck.js ./`, `COPY scripts/ /usr/local/lib/`), through another stage's
    (`COPY --from=build /app /app`: `_written_at`), or the source the build compiles it from (`node
    dist/healthcheck.js` of src/healthcheck.ts); through the package.json script the probe runs (`npm run
    healthcheck`: the image's package.json in the WORKDIR). None when fixer cannot tell which file it is (copied
    from another image, by a glob, made by the build from something else, a `COPY <<EOF` heredoc's:
    `shell_runs` reads that)."""
    match = _NODE_SCRIPT.search(command)
    named = RUN_SCRIPT.search(command) if match is None else None
    if match is None and named is None:
        return None
    workdir = stage_copies(stage)[0]
    for context in contexts:
        script = match
        if named is not None:  # the script's command, from the package.json the image has in its WORKDIR
            manifest = _repository_file(repo, stage, context, posixpath.join(workdir, "package.json"), dockerfile)
            scripts = repo.packages.get(posixpath.dirname(manifest), {}).get("scripts") if manifest else None
            run = scripts.get(named.group(1)) if isinstance(scripts, dict) else None
            script = _NODE_SCRIPT.search(run) if isinstance(run, str) else None
            if script is None:
                continue
        found = _repository_file(repo, stage, context, posixpath.normpath(posixpath.join(workdir, script.group("script"))),
                                 dockerfile, compiled=True)
        if found is not None:
            return found if repo.kind(found) in _SCRIPT_KINDS else None
    return None


def _repository_file(repo: Repo, stage: list[Any], context: str, image: str, dockerfile: SourceFile | None,
                     compiled: bool = False) -> str | None:
    """The file of the repository the stage puts at `image` (`_written_at`), None when it is none."""
    written = _written_at(repo, stage, [context], image, dockerfile, compiled)
    return written.file if written is not None else None


# --- a probe that runs a shell script or a program: `./healthcheck.sh`, `sh /app/hc.sh` -------

# programs a probe's command may run whose requests fixer reads where they are (curl's and wget's URL in the
# command, node's script: `_script_run`), and tools that make no HTTP request of a path
_FOLLOWED = frozenset({"curl", "wget", "node", "nodejs", "bun", "deno", "npm", "npx", "yarn", "pnpm"})
_NO_HTTP = frozenset({"exit", "true", "false", "test", "[", "[[", "]", "]]", "echo", "printf", "cat", "grep", "egrep",
                      "pgrep", "pidof", "ps", "kill", "sleep", "stat", "ls", "nc", "netcat", "redis-cli", "pg_isready",
                      "mysqladmin", "grpc_health_probe", "cd", "set", "return", ":"})
_PREFIXES = frozenset({"exec", "env", "timeout", "nice", "nohup", "command", "!", "then", "else", "do", "if", "while",
                       "CMD", "CMD-SHELL"})  # (a test's markers, written into a HEALTHCHECK's exec form by mistake)
_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "ksh"})
_SEPARATOR = re.compile(r"&&|\|\||;|\||&|\n|\$\(|`|\)")


def shell_runs(repo: Repo, command: str, stage: list[Any], contexts: list[str], dockerfile: SourceFile | None
               ) -> tuple[str, tuple[str, ...] | None, tuple[str | None, str | None] | None]:
    """What a probe's command runs that no fix follows into: a shell script (`./healthcheck.sh`, `sh
    /app/hc.sh`, `/usr/local/bin/healthcheck.sh`), read where it is — the file of the repository the stage's
    COPY and ADD put at its path in the image (against the stage's last WORKDIR: `stage_copies`), or the body
    of the `COPY <<EOF /app/hc.sh` heredoc that writes it, through the stage a `COPY --from` copies it from
    (`_written_at`) —, a node script no file of the repository holds (`_script_run` follows those: a heredoc's,
    read as a script, `_read_node_runs`; another image's, unread) or a program that is neither curl, wget, node
    nor a tool that makes no HTTP request (`_NO_HTTP`). Returns what it is ("" when nothing), the paths of
    the URLs in its text (None when fixer cannot read it) and its first URL's host and path (None: none)."""
    blanked = _blank_quoted_separators(command)
    bounds = [0] + [i for m in _SEPARATOR.finditer(blanked) for i in m.span()] + [len(command)]
    for start, end in zip(bounds[::2], bounds[1::2]):
        part = command[start:end]
        if re.match(r"^\s*\S*\b(?:sh|bash|ash|dash|zsh|ksh)\s+(?:-\w+\s+)*-\w*c\w*\s+", part):  # `sh -c './hc.sh'`
            inner = part.split(None, 1)[1]
            inner = re.sub(r"^(?:-\w+\s+)*", "", inner).strip()
            inner = inner[1:-1] if len(inner) > 1 and inner[0] == inner[-1] and inner[0] in "'\"" else inner
            found = shell_runs(repo, inner, stage, contexts, dockerfile) if inner != command else ("", (), None)
            if found[0]:
                return found
            continue
        words = [w.strip("'\"") for w in _blank_quoted_separators(part).split()]
        while words and (re.match(r"^[A-Za-z_]\w*=", words[0]) or words[0] in _PREFIXES or re.fullmatch(r"\d+[smhd]?", words[0])
                         or (words[0].startswith("-") and len(words) > 1)):
            words = words[1:]
        if not words or not words[0] or words[0].startswith("$"):
            continue
        program = words[0]
        name = program.rsplit("/", 1)[-1]  # (`/nodejs/bin/node`, distroless's node, is node)
        if name in _PACKAGE_MANAGERS:
            found = _package_script_runs(repo, part, stage, contexts, dockerfile)
            if found is not None:
                return found
            continue
        script = _NODE_SCRIPT.search(part) if name in ("node", "nodejs") else None
        if script is not None and _script_run(repo, part, stage, contexts, dockerfile) is None:
            # a node script that is no file of the repository: a `COPY <<EOF` heredoc's (read, not edited), or one
            # fixer cannot read (another image's, `COPY --from=node:20`): what the probe calls is there
            image = posixpath.normpath(posixpath.join(stage_copies(stage)[0], script.group("script")))
            written = _written_at(repo, stage, contexts, image, dockerfile, compiled=True)
            text = _text_of(repo, written)
            if written is None or text is None:
                return _unread(script.group("script"), written), None, None
            return _read_node_runs(written.where, text)
        if name in _SHELLS:
            rest = [w for w in words[1:] if not w.startswith("-")]
            if not rest:
                continue
            program = rest[0]
        elif name in _FOLLOWED or name in _NO_HTTP:
            continue
        elif not ("/" in program or program.endswith(".sh")):
            return program, None, None  # a program on the image's PATH: fixer cannot read what it calls
        # a bare name is looked up on the image's PATH (the official node images' default), a path against the WORKDIR
        images = [posixpath.join(directory, program) for directory in _IMAGE_PATH] if "/" not in program else [
            posixpath.normpath(posixpath.join(stage_copies(stage)[0], program))]
        found = next(filter(None, (_written_at(repo, stage, contexts, image, dockerfile) for image in images)), None)
        text = _text_of(repo, found)
        if found is None or text is None:
            return _unread(program, found), None, None
        return _read_runs(found.where, "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")))
    return "", (), None


def _unread(program: str, written: _Written | None) -> str:
    """How `shell_runs` names what a probe runs that fixer cannot read: as the command names it, and the image it
    is copied from (`healthcheck.js (copied from the image node:20)`)."""
    return f"{program} (copied from {written.where})" if written is not None and written.unread else program


def _text_of(repo: Repo, written: _Written | None) -> str | None:
    """The text of what `_written_at` found: a heredoc's body, a repository file's; None when fixer cannot read it."""
    if written is None or written.unread:
        return None
    if written.file is None:
        return written.text
    source = repo.read(written.file)
    return source.data.decode("utf-8", "replace") if source is not None else None


_PATH_IN_STRING = re.compile(r"(?<![\w:/.$-])/[^\s'\"`$?#]*")


def _read_node_runs(where: str, text: str) -> tuple[str, tuple[str, ...] | None, tuple[str | None, str | None] | None]:
    """`shell_runs`' answer for a node script fixer reads where no fix edits it (a `COPY <<EOF` heredoc's body): the
    host and path of its first request (`script_requests`: a URL in a string, request options), and the paths of
    its requests and of every path its strings hold (a URL may be put together from pieces: `'http://localhost:'
    + port + '/healthz'`)."""
    source = SourceFile("healthcheck.js", text.encode("utf-8"), None)  # type: ignore[arg-type]
    try:
        requests = script_requests(source)
        strings = [typescript.node_text(node) for node in typescript.descendants(source.tree.root_node, "string",
                                                                                    "template_string")]
    except ParseError:
        return where, None, None
    paths = [request.path for request in requests if request.path] + [
        found.split("?")[0] for string in strings for found in _PATH_IN_STRING.findall(string)]
    return where, tuple(dict.fromkeys(paths)), ((requests[0].host, requests[0].path) if requests else None)


_IMAGE_PATH = ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")
_PACKAGE_MANAGERS = frozenset({"npm", "yarn", "pnpm", "bun"})


def _read_runs(where: str, text: str) -> tuple[str, tuple[str, ...], tuple[str | None, str | None] | None]:
    """`shell_runs`' answer for a text fixer reads: the paths of its URLs and its first URL's host and path."""
    urls = list(URL.finditer(text))
    paths = tuple((u.group("path") or "/").split("?")[0].split("#")[0] or "/" for u in urls)
    return where, paths, ((urls[0].group("host"), paths[0]) if urls else None)


def _package_script_runs(repo: Repo, command: str, stage: list[Any], contexts: list[str], dockerfile: SourceFile | None
                         ) -> tuple[str, tuple[str, ...] | None, tuple[str | None, str | None] | None] | None:
    """`shell_runs` of the package.json script a probe's `npm run healthcheck` runs (the image's package.json in
    the stage's WORKDIR), when it is not a node script (`_script_run` follows those): `curl -f
    http://localhost:3000/health` is read there, a shell script it runs is followed. None: not a script run, or
    not one fixer can find."""
    named = RUN_SCRIPT.search(command)
    if named is None or _NODE_SCRIPT.search(command):
        return None
    workdir = stage_copies(stage)[0]
    for context in contexts:
        manifest = _repository_file(repo, stage, context, posixpath.join(workdir, "package.json"), dockerfile)
        scripts = repo.packages.get(posixpath.dirname(manifest), {}).get("scripts") if manifest else None
        run = scripts.get(named.group(1)) if isinstance(scripts, dict) else None
        if not isinstance(run, str):
            continue
        inner = shell_runs(repo, run, stage, contexts, dockerfile) if run.strip() != command.strip() else ("", (), None)
        if inner[0] or _NODE_SCRIPT.search(run):  # (a node script of the repository: `_script_run` follows it)
            return inner if inner[0] else None
        return _read_runs(f"the `{named.group(1)}` script of {manifest}", run)
    return None


def _blank_quoted_separators(command: str) -> str:
    """The command with the shell's separators inside quotes blanked (`node -e "…get(url, (r) => …)"` is one
    command)."""
    out, quote = [], ""
    for char in command:
        if quote:
            quote = "" if char == quote else quote
            out.append(" " if char in "&|;()`\n$" else char)
        else:
            quote = char if char in "'\"" else ""
            out.append(char)
    return "".join(out)


@dataclass(frozen=True)
class _Written:
    """What writes a file of an image (`_written_at`)."""

    where: str  # the repository file; `the heredoc at <Dockerfile>:<line>`; unread: the image it is copied from
    file: str | None = None  # the repository file it is
    text: str | None = None  # a heredoc's body
    unread: bool = False  # fixer cannot read it: another image's (`COPY --from=node:20`)


def _written_at(repo: Repo, stage: list[Any], contexts: list[str], image: str, dockerfile: SourceFile | None,
                compiled: bool = False, seen: frozenset[int] = frozenset()) -> _Written | None:
    """Where the file at `image` comes from: the last COPY or ADD of the stage that writes it — a heredoc of the
    Dockerfile (`COPY <<EOF /app/hc.sh`), a file of the build context (`compiled`: else the source the build
    compiles it from, `copied_from`), or another stage's file (`COPY --from=build /app /app`), followed to what
    writes it there (that stage's COPY from the build context, against its own WORKDIR, through the stages it
    is built `FROM`). Unread (`_Written.unread`) when it is copied from another image (`--from=node:20`); None
    when fixer cannot tell (by a glob, made by a RUN, in the base image, where a stage it is copied from has it)."""
    found: _Written | None = None
    for instruction in stage:
        if instruction.cmd not in ("COPY", "ADD") or len(instruction.value) < 2:
            continue
        *sources, destination = instruction.value
        destination = posixpath.normpath(posixpath.join(stage_copies(stage[: stage.index(instruction)])[0] if stage else "/",
                                                        destination))
        into = image.startswith(destination.rstrip("/") + "/") or image == destination
        origin = next((flag.split("=", 1)[1] for flag in instruction.flags if flag.startswith("--from=")), None)
        if origin is not None or any(flag.startswith("--from") for flag in instruction.flags):
            if into:
                found = _from_stage(repo, origin or "", sources, destination, image, contexts, dockerfile, compiled,
                                    seen | {instruction.stage}, found)
            continue
        if instruction.has_heredoc:
            heredocs = [s[2:].lstrip("-").strip("'\"") for s in sources if s.startswith("<<")]
            named = image == destination or image == posixpath.join(destination, heredocs[0] if heredocs else "")
            if into and (len(sources) != 1 or len(heredocs) != 1 or dockerfile is None):
                found = None  # (several heredocs, or heredocs beside files: which is which is not read)
            elif named:
                body = [dockerfile.text.line_text(n) for n in range(instruction.start_line + 1, instruction.end_line)]
                found = _Written(f"the heredoc at {dockerfile.path}:{instruction.start_line}", text="\n".join(body))
            continue
        copies = stage_copies([instruction])[1]
        copies = tuple((destination, sources_) for _destination, sources_ in copies)
        for context in contexts:
            local = copied_from(repo, copies, context, image, compiled=compiled)
            if local is not None:
                found = _Written(local, file=local)
                break
        else:
            if into and any(any(c in s for c in "*?[$") or "://" in s for s in sources):
                found = None  # (a glob or a URL may be what writes it)
    return found


def _from_stage(repo: Repo, origin: str, sources: list[str], destination: str, image: str, contexts: list[str],
                dockerfile: SourceFile | None, compiled: bool, seen: frozenset[int], before: _Written | None
                ) -> _Written | None:
    """What writes the file at `image` that a `COPY --from=<origin> <sources> <destination>` puts there: the file of
    the stage `origin` names (`AS build`, or its index) at the path it is copied from (a source path is the stage's
    from its root, not its WORKDIR; a directory's content lands under the destination), as `_written_at` finds it
    there; unread when `origin` is an image (`node:20`); None when fixer does not see that stage write it; `before`
    (what wrote it before this COPY) when no source lands on it (`COPY --from=build /app/package.json ./` writes
    no /app/healthcheck.js: a name with an extension is taken for a file, not a directory)."""
    if any(any(c in s for c in "*?[$") or "://" in s for s in sources):
        return None  # (a glob, a variable: what it copies is not read)
    candidates, lands = [], False  # the paths in that stage the file may come from; whether a source may land on it
    for source in sources:
        path = posixpath.normpath(posixpath.join("/", source))
        inside = image[len(destination.rstrip("/")) + 1:] if image.startswith(destination.rstrip("/") + "/") else None
        named = image in (destination, posixpath.join(destination, posixpath.basename(path)))
        lands = lands or named or (inside is not None and not posixpath.splitext(posixpath.basename(path))[1])
        candidates += ([path] if named else []) + ([posixpath.join(path, inside)] if inside else [])
    try:
        instructions = dockerfile.instructions if dockerfile is not None else []
    except ParseError:
        instructions = []
    index = int(origin) if origin.isdigit() else dockerfile_parser.stage_named(instructions, origin) if origin else None
    if index is None and origin and "$" not in origin:
        return _Written(f"the image {origin}", unread=True) if lands else before
    if index is None or index in seen or not any(i.stage == index for i in instructions):
        return None if lands else before  # (a stage or image named at build time, `--from=${BUILDER}`)
    chain = dockerfile_parser.stage_chain(instructions, index)
    stage = [i for i in instructions if i.stage in chain]
    for candidate in dict.fromkeys(candidates):
        found = _written_at(repo, stage, contexts, candidate, dockerfile, compiled, seen | set(chain))
        if found is not None:
            return found
    return None if lands else before


@dataclass(frozen=True)
class Request:
    """An HTTP request a probe's script makes: the host it calls, where that host is written."""

    offset: int  # the host's byte offset in the script
    host: str
    scheme: str  # "http", "https" (request options: "https" when the script loads Node's https module)
    path: str | None


_HOST_KEYS = frozenset({"host", "hostname"})
_LOADS_HTTPS = re.compile(rb"""(?:require\(\s*|\bfrom\s+|import\(\s*)['"](?:node:)?https['"]|['"]https:['"]""")


def script_requests(source_file: SourceFile) -> list[Request]:
    """The requests a probe's script makes, in file order: a URL in a string (`http.get('http://localhost:3000/
    health')`, `fetch(`http://localhost:${port}/health`)`) and request options given as an object (`{ host:
    'localhost', port, path: '/health' }`). Comments are none."""
    if source_file.kind not in CODE_KINDS:
        return []
    found = []
    secure = "https" if _LOADS_HTTPS.search(source_file.data) else "http"
    for node in typescript.descendants(source_file.tree.root_node, "string", "template_string", "pair"):
        if node.type == "pair":
            key = node.child_by_field_name("key")
            name = typescript.string_value(key) if key is not None and key.type == "string" else typescript.node_text(key)
            value = node.child_by_field_name("value")
            host = typescript.string_value(value)
            holder = node.parent.parent if node.parent is not None else None  # (`headers: { host }` is no request's)
            in_headers = holder is not None and holder.type == "pair" and typescript.node_text(
                holder.child_by_field_name("key")).strip("'\"").lower() == "headers"
            if name in _HOST_KEYS and host and value is not None and node.parent is not None and not in_headers:
                path = typescript.string_value(typescript.object_property(node.parent, "path"))
                found.append(Request(value.start_byte + 1, host, secure, path))
            continue
        text = typescript.node_text(node)
        for match in URL.finditer(text):
            path = match.group("path") or "/"
            found.append(Request(node.start_byte + len(text[: match.start("host")].encode()), match.group("host"),
                                 match.group("scheme").lower(), path.split("?")[0].split("#")[0] or "/"))
    return sorted(found, key=lambda request: request.offset)


def _script_target(repo: Repo, script: str) -> tuple[str | None, str | None]:
    """The host and path of the first request of a probe's script."""
    source_file = repo.read(script)
    try:
        requests = script_requests(source_file) if source_file is not None else []
    except ParseError:
        return None, None
    return (requests[0].host, requests[0].path) if requests else (None, None)


# --- Kubernetes / Helm --------------------------------------------------------------

_PROBE_KEY = re.compile(r"^(\s*)(livenessProbe|readinessProbe|startupProbe):\s*$")
_PATH_LINE = re.compile(r"""^(\s*)(?:-\s+)?path:\s*(?P<q>['"]?)(?P<value>[^'"\s#]+)(?P=q)""")
# a Helm template's path: `path: {{ .Values.probes.livenessPath }}`, `path: "{{ … }}"`, `path: {{ .Values.prefix }}/health`
_TEMPLATED_PATH_LINE = re.compile(r"""^(\s*)(?:-\s+)?path:\s*(?P<q>['"]?)(?P<value>[^'"\s#]*\{\{.*\}\}[^'"\s#]*)(?P=q)\s*(?:#.*)?$""")
# a value read as it is from the chart's values (`.Values.a.b`, `$.Values.a.b`), quoted or not, with the path a
# `default` gives when the values set none (`{{ .Values.a | default "/health" }}`, `{{ default "/health" .Values.a }}`)
_VALUES_KEY = re.compile(r"""^\{\{-?\s*(?:default\s+"(?P<before>[^"\\]*)"\s+)?\$?\.Values\.(?P<key>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)"""
                         r"""(?P<pipes>(?:\s*\|\s*(?:default\s+"[^"\\]*"|quote|squote|toString))*)\s*-?\}\}$""")
_PIPED_DEFAULT = re.compile(r'\|\s*default\s+"(?P<value>[^"\\]*)"')
# a kustomize JSON 6902 patch's operation on a probe: `- op: replace` / `path: /spec/…/livenessProbe/httpGet/path` /
# `value: /healthz` (or `…/livenessProbe` with a value that is the probe, `…/livenessProbe/httpGet` with its httpGet)
_OP_VALUE_LINE = re.compile(r"""^(\s*)(?:-\s+)?value:\s*(?P<q>['"]?)(?P<value>/[^'"\s#]*)(?P=q)\s*(?:#.*)?$""")
_OP_PROBE = re.compile(r"/(?P<probe>livenessProbe|readinessProbe|startupProbe)(?P<rest>(?:/httpGet(?:/path)?)?)$")
_LEAD = re.compile(r"^(\s*)(-\s+)?")
_MAY_HOLD_PROBES = re.compile(rb"Probe(?::|/|['\"]?[ \t]*\r?$)", re.M)
_HOST_LINE = re.compile(r"""^\s*host:\s*(?P<q>['"]?)(?P<value>[^'"\s#]+)(?P=q)""")


def _k8s_probes(source_file: SourceFile) -> Iterator[Probe]:
    """Line-based, so Helm templates (which are not YAML until rendered) work too."""
    if not source_file.is_k8s_manifest and not _MAY_HOLD_PROBES.search(source_file.data):
        return
    text = source_file.text
    lines = [text.line_text(n) for n in range(1, len(text.line_starts) + 1)]
    owners = _k8s_owners(source_file, lines)
    templated = {read.line: read for read in _templated_paths(source_file, lines, owners)}
    for number, line in enumerate(lines, start=1):
        if number in templated:
            read = templated[number]
            given = _helm_value(source_file.repo, source_file.path, read.key) if read.key else None
            # a path the chart's values give is the probe's (a rename edits it there: `_helm_value_probes`); one its
            # action's `default` gives is written in the action, which no fix edits; any other is set when the chart
            # is rendered: unread
            value = given or read.default
            runs = "" if given else f"`{read.expression}` (a path set when the chart is rendered)"
            # (an action's text is no edit's: only literal text around one, `{{ .Values.prefix }}/healthz`, may be)
            spans = () if read.key else (read.span,)
            yield Probe(source_file.path, "k8s", read.label, number, read.col, spans, read.host, value, read.owner,
                        runs=runs, runs_paths=() if given else (value,) if value is not None else None)
            continue
        match = _PATH_LINE.match(line)
        label = _probe_context(lines, number - 1, len(match.group(1))) if match else None
        if match is None:
            match = _OP_VALUE_LINE.match(line)
            pointer = _op_pointer(lines, number - 1) if match else None
            found = _OP_PROBE.search(pointer) if pointer else None
            label = f"{found.group('probe')} (JSON patch)" if found and found.group("rest") == "/httpGet/path" else None
        if label is None or match is None:
            continue
        start, _ = text.line_span(number)
        value_start = start + len(line[: match.start("value")].encode())
        value_end = value_start + len(match.group("value").encode())
        host = _http_get_host(lines, number - 1, line.index("path:")) if "path:" in line else None
        if "{{" in match.group("value"):  # (a template action `_TEMPLATED_PATH_LINE` does not read: unread, never "{{")
            written = line.split(":", 1)[1].split(" #", 1)[0].strip()
            yield Probe(source_file.path, "k8s", label, number, match.start("value") + 1, (), host, None,
                        owners[number - 1], runs=f"`{written}` (a path set when the chart is rendered)", runs_paths=None)
            continue
        yield Probe(source_file.path, "k8s", label, number, match.start("value") + 1,
                    ((value_start, value_end),), host, match.group("value"), owners[number - 1])
    yield from _k8s_exec_probes(source_file, lines, owners)


@dataclass(frozen=True)
class _TemplatedPath:
    """A Helm template's httpGet probe whose path is a template action (`path: {{ .Values.probes.livenessPath }}`)."""

    line: int
    col: int
    label: str
    expression: str  # the path as the template writes it
    key: str | None  # the values key it reads as it is (`probes.livenessPath`); None: anything else (a pipeline…)
    default: str | None  # the path it gives when the values set none (`| default "/health"`: written in the template)
    span: tuple[int, int]
    host: str | None
    owner: str | None


def _templated_paths(source_file: SourceFile, lines: list[str], owners: list[str | None]) -> Iterator[_TemplatedPath]:
    if b"{{" not in source_file.data:
        return
    for number, line in enumerate(lines, start=1):
        match = _TEMPLATED_PATH_LINE.match(line)
        label = _probe_context(lines, number - 1, len(match.group(1))) if match else None
        if match is None or label is None:
            continue
        start = source_file.text.line_span(number)[0] + len(line[: match.start("value")].encode())
        value = match.group("value")
        key = _VALUES_KEY.match(value)
        defaults = ([key.group("before")] if key and key.group("before") is not None else []) + \
            [d.group("value") for d in _PIPED_DEFAULT.finditer(key.group("pipes") if key else "")]
        yield _TemplatedPath(number, match.start("value") + 1, label, value, key.group("key") if key else None,
                             defaults[0] if len(defaults) == 1 and defaults[0] else None,
                             (start, start + len(value.encode())), _http_get_host(lines, number - 1, line.index("path:")),
                             owners[number - 1])


def _chart_of(repo: Repo, path: str) -> str | None:
    """The directory of the Helm chart whose template `path` is (`<chart>/templates/…` beside `<chart>/Chart.yaml`)."""
    parts = path.split("/")
    for index in range(len(parts) - 2, -1, -1):
        if parts[index] == "templates" and repo.exists("/".join(parts[:index] + ["Chart.yaml"])):
            return "/".join(parts[:index])
    return None


_VALUES_FILE = re.compile(r"^(?:[\w.-]*[-_.])?values(?:[-_.][\w.-]*)?\.ya?ml$", re.IGNORECASE)


def _values_files(repo: Repo, chart: str) -> list[str]:
    """A chart's values files: `values.yaml` (its defaults) first, then `values-prod.yaml`, `prod.values.yaml`… of
    its directory."""
    found = [path for path in repo.paths_of({"yaml"}) if posixpath.dirname(path) == chart
             and _VALUES_FILE.match(posixpath.basename(path))]
    return sorted(found, key=lambda path: (posixpath.basename(path) not in ("values.yaml", "values.yml"), path))


def _values_scalar(repo: Repo, path: str, key: str) -> Any:
    """The string a values file gives a key (`probes.livenessPath`), as its scalar node; None when it gives none."""
    source_file = repo.read(path)
    try:
        documents = source_file.yaml_documents if source_file is not None else []
    except ParseError:
        return None
    node = yamlfile.get_path(documents[0], *key.split(".")) if documents else None
    if isinstance(node, yamlfile.ScalarNode) and isinstance(node.value, str) and node.tag.endswith(":str"):
        return node
    return None


def _helm_reads(repo: Repo) -> dict[str, list[tuple[_TemplatedPath, str, Any]]]:
    """Values file -> the templates' probes whose path it gives: (the template's probe, the template, the scalar)."""
    memo = repo.derived.get("probes/helm-values")
    if memo is not None:
        return memo
    memo = {}
    for path in repo.paths_of({"yaml"}):
        chart = _chart_of(repo, path) if "/templates/" in f"/{path}" else None
        source_file = repo.read(path) if chart is not None else None
        if source_file is None or b".Values." not in source_file.data or not _MAY_HOLD_PROBES.search(source_file.data):
            continue
        text = source_file.text
        lines = [text.line_text(n) for n in range(1, len(text.line_starts) + 1)]
        for read in _templated_paths(source_file, lines, _k8s_owners(source_file, lines)):
            for values in _values_files(repo, chart) if read.key else ():
                scalar = _values_scalar(repo, values, read.key)
                if scalar is not None:
                    memo.setdefault(values, []).append((read, path, scalar))
    repo.derived["probes/helm-values"] = memo
    return memo


def helm_value_reads(repo: Repo) -> tuple[tuple[str, str, str, int], ...]:
    """(values file, key, template, line) of each template probe whose path a values file gives: what a scan of a
    values file depends on besides its own bytes (its probes are its chart's templates'), for a fix's context to
    hold so a cached scan of an unchanged values file is not reused once a template reads another key."""
    return tuple(sorted((values, read.key or "", path, read.line) for values, reads in _helm_reads(repo).items()
                        for read, path, _scalar in reads))


def _helm_value(repo: Repo, template: str, key: str) -> str | None:
    """The path a chart's values give a template's `{{ .Values.<key> }}`: its values.yaml's (the default), else the
    first other values file's that sets it."""
    for reads in _helm_reads(repo).values():
        for read, path, scalar in reads:
            if path == template and read.key == key:
                return str(scalar.value)
    return None


def _helm_value_probes(source_file: SourceFile) -> Iterator[Probe]:
    """The paths a values file gives the probes of its chart's templates (`source` "helm-values": the text a rename
    of the path edits), one per key."""
    reads = _helm_reads(source_file.repo).get(source_file.path, [])
    by_key: dict[str, list[tuple[_TemplatedPath, str, Any]]] = {}
    for found in reads:
        by_key.setdefault(found[0].key or "", []).append(found)
    for key, found in by_key.items():
        scalar = found[0][2]
        kinds = " and ".join(dict.fromkeys(read.label for read, _path, _scalar in found))
        lines: dict[str, list[str]] = {}
        for read, path, _scalar in found:
            lines.setdefault(path, []).append(str(read.line))
        where = "; ".join(f"{path}:{', '.join(numbers)}" for path, numbers in lines.items())
        owners = {read.owner for read, _path, _scalar in found}
        hosts = {read.host for read, _path, _scalar in found}
        yield Probe(source_file.path, "helm-values", f"{kinds} of {where} (its path, .Values.{key})",
                    yamlfile.line(scalar), yamlfile.column(scalar), (yamlfile.span(source_file.text, scalar),),
                    hosts.pop() if len(hosts) == 1 else None, None, owners.pop() if len(owners) == 1 else None)


def _op_pointer(lines: list[str], index: int) -> str | None:
    """The `path:` (a JSON pointer) of the JSON 6902 patch operation whose key is at line `index` (`value: /healthz`
    of `- op: replace` / `path: /spec/…`); None when the line is in no list item that has one."""
    lead = _LEAD.match(lines[index])
    column = lead.end() if lead else 0
    start = index
    if lead is not None and not lead.group(2):
        for previous in range(index - 1, -1, -1):
            current = lines[previous]
            if not current.strip() or current.lstrip().startswith("#"):
                continue
            above = _LEAD.match(current)
            if above is None or above.end() > column:
                continue  # (a deeper line: a sibling's value)
            if above.end() < column:
                return None
            start = previous
            if above.group(2):
                break
        else:
            return None
    for later in range(start, len(lines)):
        current = lines[later]
        if not current.strip() or current.lstrip().startswith("#"):
            continue
        below = _LEAD.match(current)
        if below is None or (later > start and (below.end() < column or (below.end() == column and below.group(2)))):
            break
        found = re.match(r"""path:\s*(['"]?)(/\S*?)\1\s*$""", current[column:]) if below.end() == column else None
        if found:
            return found.group(2)
    return None


_EXEC_COMMAND = re.compile(r"^(\s*)command:\s*(?P<flow>\[.*)?$")
_BLOCK_ITEM = re.compile(r"^(\s*)-\s+(?P<item>\S.*)$")


def _k8s_exec_probes(source_file: SourceFile, lines: list[str], owners: list[str | None]) -> Iterator[Probe]:
    """`livenessProbe: exec: command: [curl, -f, http://localhost:3000/health]` (a flow list or a block list): the
    command runs inside the container, where `localhost` is the container's own, as in a HEALTHCHECK. Its host and
    path are its first URL's (`parse_target`); its spans, the command's lines (what healthcheck-loopback may edit
    there it finds by its own patterns: a URL's host, a bare host after curl or wget)."""
    text = source_file.text
    for index, line in enumerate(lines):
        probe = _PROBE_KEY.match(line)
        if probe is None:
            continue
        indent, label = len(probe.group(1)), probe.group(2)
        block = []  # (index, line) of the probe's block
        for later in range(index + 1, len(lines)):
            current = lines[later]
            if current.strip() and not current.lstrip().startswith("#") and len(current) - len(current.lstrip()) <= indent:
                break
            block.append((later, current))
        exec_at = next((i for i, current in block if current.strip() == "exec:"), None)
        if exec_at is None:
            continue
        command_at = next(((i, m) for i, current in block if i > exec_at and (m := _EXEC_COMMAND.match(current))), None)
        if command_at is None:
            continue
        at, command = command_at
        spans_at = _exec_command_lines(command, at, block)
        if not spans_at:
            continue
        words = " ".join(_BLOCK_SCALAR.sub("", lines[i].split("command:", 1)[-1].strip().lstrip("-").strip())
                         if i == at or _BLOCK_ITEM.match(lines[i]) else lines[i].strip() for i in spans_at)
        host, path = parse_target(words)
        if host is None:
            continue  # (no URL in it: `cat /tmp/healthy`, `pg_isready`)
        yield Probe(source_file.path, "k8s-exec", f"{label} (exec)", spans_at[0] + 1, 1,
                    tuple(text.line_span(i + 1) for i in spans_at), host, path, owners[index])


# a block scalar's header (`|`, `>-`, `|+2`), an item's whole value: its text is the lines below, more indented
_BLOCK_SCALAR = re.compile(r"^[|>][-+0-9]*\s*(?:#.*)?$")


def _exec_command_lines(command: re.Match[str], at: int, block: list[tuple[int, str]]) -> list[int]:
    """The lines (indexes) of an exec probe's `command:` at line `at`: a flow list up to its closing bracket
    (`command: ["sh", "-c",` over several lines), or a block list's items with what each item's value holds on
    the lines below it, more indented than its `-`: a block scalar's text (`- |` or `- >-`, then the shell's
    command), a plain or quoted scalar's next lines (not a comment between items)."""
    if command.group("flow"):
        found, depth = [at], _flow_depth(command.group("flow"))
        for i, current in block:
            if depth <= 0:
                break
            if i > at and not current.lstrip().startswith("#"):
                found.append(i)
                depth += _flow_depth(current)
        return found
    found, column, scalar = [], None, False
    for i, current in block:
        if i <= at or not current.strip():
            continue
        lead = len(current) - len(current.lstrip())
        item = _BLOCK_ITEM.match(current)
        if column is None and item is None and current.lstrip().startswith("#"):
            continue
        if column is None and item is None:
            break
        column = lead if column is None else column
        if item is not None and lead == column:
            found.append(i)
            scalar = _BLOCK_SCALAR.match(item.group("item")) is not None
        elif lead > column and (scalar or not current.lstrip().startswith("#")):
            found.append(i)  # (a block scalar's lines are its text, `#` ones too: no comment)
        elif not current.lstrip().startswith("#"):
            break
    return found


def _flow_depth(text: str) -> int:
    """How many more `[` than `]` a line of a flow list opens (outside quotes, up to a comment)."""
    depth, quote, before = 0, "", " "
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and before.isspace():
            break
        else:
            depth += {"[": 1, "]": -1}.get(char, 0)
        before = char
    return depth


def _http_get_host(lines: list[str], index: int, column: int) -> str | None:
    """The `host:` beside the `path:` at line `index` (key at `column`) in its `httpGet:`
    block; None when there is none (the kubelet then probes the pod's IP)."""
    start = index
    while start > 0 and (not lines[start - 1].strip() or lines[start - 1].lstrip().startswith("#")
                         or len(lines[start - 1]) - len(lines[start - 1].lstrip()) >= column):
        start -= 1
    for number, line in enumerate(lines[start:], start=start):
        if number != index and line.strip() and not line.lstrip().startswith("#") \
                and len(line) - len(line.lstrip()) < column:
            break  # the end of the block (the path line may be a `- path:` item)
        match = _HOST_LINE.match(line)
        if match and line.index("host:") == column:
            return match.group("value")
    return None


def _probe_context(lines: list[str], index: int, indent: int) -> str | None:
    """The probe kind if line `index` is `path:` under `httpGet:` under a `*Probe:` key; in a kustomize JSON 6902
    patch, under the `value:` an operation on the probe (`…/livenessProbe`) or on its httpGet gives it."""
    expect_http = True
    for previous in range(index - 1, -1, -1):
        line = lines[previous]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        current = len(line) - len(line.lstrip())
        if current >= indent:
            continue
        if re.fullmatch(r"(?:-\s+)?value:", line.strip()):
            pointer = _op_pointer(lines, previous)
            found = _OP_PROBE.search(pointer) if pointer else None
            wanted = "/httpGet" if expect_http else ""
            return f"{found.group('probe')} (JSON patch)" if found and found.group("rest") == wanted else None
        if expect_http:
            if line.strip() != "httpGet:":
                return None
            expect_http, indent = False, current
            continue
        match = _PROBE_KEY.match(line)
        return match.group(2) if match else None
    return None


def _k8s_owners(source_file: SourceFile, lines: list[str]) -> list[str | None]:
    """The service each line's document belongs to: the directory it lives in, else the one
    service whose name the document mentions."""
    repo = source_file.repo
    located = repo.service_for(source_file.path)
    if located is not None and located.dir:
        return [located.dir] * len(lines)
    owners: list[str | None] = []
    chunk: list[int] = []

    def flush() -> None:
        text = "\n".join(lines[i] for i in chunk)
        matches = {
            service.dir
            for service in repo.services
            if service.dir and any(re.search(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", text) for alias in service.aliases)
        }
        owner = matches.pop() if len(matches) == 1 else None
        owners.extend([owner] * len(chunk))
        chunk.clear()

    for index, line in enumerate(lines):
        if line.startswith("---") and chunk:
            flush()
        chunk.append(index)
    if chunk:
        flush()
    return owners


KUBERNETES_GRACE = 30  # s: a pod's terminationGracePeriodSeconds when its spec sets none
_WORKLOAD_KIND = re.compile(r"""^kind:\s*['"]?(?:Deployment|StatefulSet|DaemonSet|ReplicaSet|Pod|Job|CronJob|Rollout)['"]?\s*(?:#.*)?$""")
_GRACE_LINE = re.compile(r"""^\s*terminationGracePeriodSeconds:\s*(?P<q>['"]?)(?P<value>[^'"#]*?)(?P=q)\s*(?:#.*)?$""")
# a Helm template's `{{ .Values.a.b }}`, `{{ .Values.a | default 45 }}`
# a preStop hook's `sleep N` (`command: ["sleep", "10"]`, `["/bin/sh", "-c", "sleep 15"]`): it runs before the SIGTERM,
# within the grace period
_PRE_STOP_SLEEP = re.compile(r"""\bsleep['",\s]+(\d+)\b""")
_GRACE_VALUES = re.compile(r"^\{\{-?\s*\$?\.Values\.(?P<key>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)(?:\s*\|\s*default\s+(?P<default>\d+))?\s*-?\}\}$")


def termination_grace_periods(repo: Repo) -> list[tuple[str, int | None, str, bool]]:
    """(service directory, seconds, where it is read, whether the spec sets it) of each Kubernetes workload
    (Deployment, StatefulSet, Pod…) of a service (`_k8s_owners`: a manifest or Helm template in its directory, or
    whose document names it alone): its pod spec's `terminationGracePeriodSeconds` ("path:line"; a Helm template's
    `{{ .Values.<key> }}` as the chart's values files give it, its `| default N` else), KUBERNETES_GRACE where it sets
    none ("path:line" of its `kind:`), None where fixer cannot read it (set at deploy time); less a preStop hook's
    `sleep N`, which runs first, within it (the time left after the SIGTERM; None: a preStop hook fixer cannot time)."""
    memo = repo.derived.get("probes/grace-periods")
    if memo is not None:
        return memo
    found: list[tuple[str, int | None, str, bool]] = []
    for source_file in repo.files({"yaml"}, (b"kind:",)):
        if not source_file.is_k8s_manifest:
            continue
        text = source_file.text
        lines = [text.line_text(n) for n in range(1, len(text.line_starts) + 1)]
        owners = _k8s_owners(source_file, lines)
        starts = [0] + [i for i, line in enumerate(lines) if line.startswith("---") and i] + [len(lines)]
        for start, end in zip(starts, starts[1:]):
            kind = next((i for i in range(start, end) if _WORKLOAD_KIND.match(lines[i])), None)
            if kind is None or owners[start] is None:
                continue
            at = next((i for i in range(start, end) if _GRACE_LINE.match(lines[i])), None)
            hook = next((i for i in range(start, end) if lines[i].strip().startswith("preStop:")), None)
            # (the hook's lines: those indented under its key)
            depth = len(lines[hook]) - len(lines[hook].lstrip()) if hook is not None else 0
            body = [] if hook is None else [lines[i] for i in range(hook + 1, end)]
            body = body[:next((n for n, line in enumerate(body) if line.strip() and len(line) - len(line.lstrip()) <= depth), len(body))]
            sleep = _PRE_STOP_SLEEP.search(" ".join(body)) if hook is not None else None
            prestop = 0 if hook is None else int(sleep.group(1)) if sleep else None
            note = "" if hook is None else f", less the preStop hook's sleep {prestop} s at {source_file.path}:{hook + 1}" \
                if prestop is not None else f", less a preStop hook at {source_file.path}:{hook + 1} fixer cannot time"
            if at is None:
                found.append((owners[start], KUBERNETES_GRACE - prestop if prestop is not None else None,
                              f"{source_file.path}:{kind + 1}{note}", False))
                continue
            value = _GRACE_LINE.match(lines[at]).group("value").strip()
            where = f"{source_file.path}:{at + 1}"
            seconds: int | None = int(value) if value.isdigit() else None
            templated = _GRACE_VALUES.match(value)
            chart = _chart_of(repo, source_file.path) if templated else None
            for values in _values_files(repo, chart) if chart is not None else ():
                read = repo.read(values)
                try:
                    documents = read.yaml_documents if read is not None else []
                except ParseError:
                    continue
                node = yamlfile.get_path(documents[0], *templated.group("key").split(".")) if documents else None
                if isinstance(node, yamlfile.ScalarNode) and str(node.value).isdigit():
                    seconds, where = int(node.value), f"{values}:{yamlfile.line(node)} (.Values.{templated.group('key')}, read at {where})"
                    break
            else:
                if templated and templated.group("default"):
                    seconds = int(templated.group("default"))
            found.append((owners[start], seconds - prestop if seconds is not None and prestop is not None else None,
                          where + note, True))
    repo.derived["probes/grace-periods"] = found
    return found


# --- what address a probed service listens on -----------------------------------------


@dataclass(frozen=True)
class Listen:
    """A server's `listen(...)` call and the host it binds."""

    file: str
    line: int  # the line of `.listen(`
    host: str | None  # None: no host given (Node binds every interface); "?": decided at run time
    ipv6_only: bool = False
    expression: str = ""  # the host argument's source text (the options' when `options`), for messages
    options: bool = False  # listen options fixer cannot read (`app.listen(config.listen)`): host "?"
    # "fastify": a Fastify instance's listen(), whose host defaults to 'localhost' (not every interface, as Node's,
    # Express's and Koa's do), bound on each address localhost resolves to (Fastify 4 and later: 127.0.0.1 and ::1);
    # "fastify<4": Fastify 3's, bound on the first of them only, as Node binds 'localhost'; "grpc": a @grpc/grpc-js
    # Server's `bindAsync(address)`, bound on every address its host resolves to; "loopback": a LoopBack 4
    # app's `rest: { host, port }` config (its RestServer listens on them: every interface when given no host)
    framework: str = ""
    # the environment variable the host is read from first (`process.env.HOST || 'localhost'`): what the service's
    # container sets it to, when its image or compose service does, is the host (`in_container`)
    env: str = ""
    set_by: str = ""  # where the container sets `env` (`services/a/Dockerfile:8 sets HOST=0.0.0.0`), once read
    port: int | None = None  # the port the code binds, where it writes it: a gRPC bind address's (`_grpc_port`)

    @property
    def reaches_ipv4_loopback(self) -> bool | None:
        """Whether a probe on 127.0.0.1 reaches it: True, False, or None (cannot tell)."""
        if self.ipv6_only:
            return False
        if self.framework in ("fastify", "grpc") and self.host == "localhost":
            # fastify/lib/server.js `multipleBindings`: every address `dns.lookup('localhost', { all: true })` gives;
            # grpc-js's bindAsync binds every address its resolver gives a name
            return True
        # "::": libuv binds it dual-stack (IPV6_V6ONLY off unless ipv6Only), whatever the kernel's
        # bindv6only says: the socket `listen(PORT)` opens too
        if self.host is None or self.host in ("0.0.0.0", "127.0.0.1", "", "::"):
            return True
        if self.host == "?":
            return None
        return False  # "::1", "localhost" (Node binds its first address: ::1 in most containers), an IP

    @property
    def loopback_only(self) -> bool:
        """Whether it binds the container's loopback only, which nothing outside the container reaches."""
        return self.host in ("localhost", "127.0.0.1", "::1", "[::1]")


_LISTEN_PREFILTER = b".listen("
_PORTISH = re.compile(r"port", re.IGNORECASE)
_DIGITS = re.compile(r"\d{2,5}")
_NUMERIC_CALLS = frozenset({b"Number", b"parseInt", b"parseFloat", b"Math.floor", b"Math.trunc"})
_A_SERVER = re.compile(rb"server$", re.IGNORECASE)
_TEST_FILE = re.compile(r"(^|/)(tests?|__tests__)/|\.(test|spec)\.")  # `io.listen(server)`: socket.io attaching to a server


def listen_calls(repo: Repo, service_dir: str) -> list[Listen]:
    """Every server `listen()` in a service's production code: `app.listen(PORT)`, `server.listen(PORT,
    '0.0.0.0', cb)`, Fastify's `listen({ port, host: '::' })`, a Hono app's `serve({ fetch, port, hostname })`
    (@hono/node-server), and listen options fixer cannot read (`app.listen(config.listen)`, host "?"). Tests, tooling (`examples/`, `benchmarks/`:
    `Repo.is_production_code`) and build output are left out; when the service's entry point
    is known to reach some of them (`entry_reach`), only those: a listen() in a module the
    entry never loads (a library's `startApp()`, a CLI's) is not the service's server."""
    by_service = repo.derived.get("probes/listens")
    if by_service is None:  # (grouped once per repository: the checklist asks for every service, many times)
        by_service = {}
        for path, listens in repo.facts_of(LISTENS).items():
            if not listens or _TEST_FILE.search(path) or not repo.is_production_code(path):
                continue
            owner = repo.service_for(path)
            if owner is not None:
                by_service.setdefault(owner.dir, []).extend(listens)
        repo.derived["probes/listens"] = by_service
    service = next((s for s in repo.services if s.dir == service_dir), None)
    # a LoopBack app's `rest:` config is a server of a service that runs LoopBack's RestServer
    found = [listen for listen in by_service.get(service_dir, [])
             if listen.framework != "loopback" or service is not None and _runs_loopback(service)]
    reached = entry_reach(repo, service) if service is not None else None
    preferred = [listen for listen in found if reached is not None and listen.file in reached]
    return [in_container(repo, service_dir, listen) for listen in preferred or found]


def _runs_loopback(service: Service) -> bool:
    return any(isinstance(service.package.get(key), dict) and "@loopback/rest" in service.package[key]
               for key in ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies"))


def in_container(repo: Repo, service_dir: str, listen: Listen) -> Listen:
    """A service's listen() as its containers run it: a host read from the environment first (`process.env.HOST
    || 'localhost'`) is the value the containers set (the final stage's `ENV HOST=0.0.0.0` of its image, its
    compose service's `environment:` or `env_file:`, which win over the image's). Where none sets it, the code's
    default stands; where they set different hosts (or one fixer cannot read: `${HOST}`), a host known at run
    time ("?")."""
    if not listen.env or listen.set_by:
        return listen
    containers = _container_env(repo, service_dir, listen.env)
    given = [(value, where) for value, where in containers if value]
    if not given:
        return listen
    hosts = {("?" if "$" in value else value) if value else listen.host for value, _where in containers}
    set_by = "; ".join(sorted({f"{where} sets {listen.env}={value}" for value, where in given}))
    return replace(listen, host=hosts.pop() if len(hosts) == 1 else "?", set_by=set_by)


def _container_env(repo: Repo, service_dir: str, name: str) -> list[tuple[str | None, str]]:
    """(value or None when unset, where it is set) of an environment variable in each container a service runs
    in: one per compose service running it (its `environment:`, else its `env_file:` files, else its image's), one
    per Dockerfile of the service no compose service builds (the image's: its final stage, and the stages that
    stage is built `FROM`). An entry that passes the variable through from the shell (`- HOST`) is a value fixer
    cannot read ("$")."""
    memo = repo.derived.setdefault("probes/container-env", {})
    if (service_dir, name) in memo:
        return memo[service_dir, name]

    service = next((s for s in repo.services if s.dir == service_dir), None)
    images = {path: image_env(repo, path, name) for path in (service.dockerfiles if service is not None else [])}
    found, built = [], set()
    for compose in repo.compose_services:
        owner = repo.service_of_compose(compose)
        if owner is None or owner.dir != service_dir:
            continue
        built.add(compose.dockerfile if compose.context is not None else None)
        given = compose_env(repo, compose, name, images)
        if given is not None:
            found.append(("$" if given[0] is None else given[0], given[1]))
        elif compose.context is None or not compose.dockerfile:
            # (an image built elsewhere, `image: acme/api`: the service's own Dockerfiles stand for it)
            found += [image for image in images.values() if image is not None]
    # an image no compose service builds runs as it is built
    found += [image for path, image in images.items() if image is not None and path not in built]
    memo[service_dir, name] = found
    return found


def compose_env(repo: Repo, compose: ComposeService, name: str,
                images: dict[str, tuple[str | None, str] | None] | None = None) -> tuple[str | None, str] | None:
    """(value, where it is set: `file:line`) of an environment variable a compose service runs with: its own
    `environment:` or that of a service it extends (the nearest that sets it), else its `env_file:` files (the
    last that sets it), else the image it builds (`images`: those already read, by Dockerfile). Value None:
    passed through from the shell (`- HOST`). None: nothing sets it."""
    from fixer.parsing import compose_edit  # (compose_edit reads nothing of this module)

    for file, service_name in ((compose.file, compose.name), *compose.extends):
        node = compose.node if (file, service_name) == (compose.file, compose.name) \
            else repo.compose_definitions.get((file, service_name))
        entry = next((e for e in compose_edit.env_entries(yamlfile.get(node, "environment")) if e.key == name), None)
        if entry is not None:
            return entry.value, f"{file}:{yamlfile.line(entry.node)}"
    from_file = _env_file_value(repo, compose, name)
    if from_file is not None:
        return from_file
    if compose.context is not None and compose.dockerfile:
        image = (images or {}).get(compose.dockerfile) if compose.dockerfile in (images or {}) \
            else image_env(repo, compose.dockerfile, name)
        return image if image is not None and image[0] is not None else None
    return None


def image_env(repo: Repo, path: str, name: str) -> tuple[str | None, str] | None:
    """The value the image a Dockerfile builds gives an environment variable (`ENV HOST=0.0.0.0` in its final
    stage or a stage that stage is built from), None when unset; None for a Dockerfile fixer cannot read."""
    source_file = repo.read(path)
    if source_file is None or source_file.kind != "dockerfile":
        return None
    try:
        instructions = source_file.instructions
    except ParseError:
        return None
    chain = dockerfile_parser.stage_chain(instructions)
    value, where = None, ""
    for instruction in instructions:
        if instruction.cmd == "ENV" and instruction.stage in chain and name in instruction.value:
            for assignment in dockerfile_parser.assignments(source_file.text, instruction):
                if assignment.key == name:
                    value, where = assignment.value, f"{path}:{assignment.line}"
    return value, where


def _env_file_value(repo: Repo, compose: ComposeService, name: str) -> tuple[str | None, str] | None:
    """The value the `env_file:` files of a compose service give a variable (the last file that sets it
    wins), from those of the repository; None when none does."""
    found = None
    for path, entry in env_file_entries(repo, compose):
        if entry.key == name:
            found = (entry.value, f"{path}:{entry.line}")
    return found


def env_file_entries(repo: Repo, compose: ComposeService) -> list[tuple[str, envfile.EnvLine]]:
    """(path, assignment) of each `env_file:` file of a compose service that the repository holds, in the order
    compose reads them (a later file's value wins)."""
    files = yamlfile.get(compose.node, "env_file")
    found = []
    for node in (files.value if isinstance(files, yamlfile.SequenceNode) else [files] if files is not None else []):
        if isinstance(node, yamlfile.MappingNode):
            node = yamlfile.get(node, "path")
        if not isinstance(node, yamlfile.ScalarNode) or not isinstance(node.value, str):
            continue
        path = posixpath.normpath(posixpath.join(posixpath.dirname(compose.file), node.value))
        source_file = repo.read(path) if repo.exists(path) else None
        found += [(path, entry) for entry in (envfile.parse(source_file.data) if source_file is not None else ())]
    return found


# --- what a service's entry point loads ---------------------------------------------------

# `require(name)`, `import(\`./${x}\`)`: a module named at run time, which fixer cannot follow
_DYNAMIC_LOAD = re.compile(rb"(?<![\w.$])(?:require|import)\(\s*(?![\s)]|['\"][^'\"\n]*['\"]\s*[),])")


def _loads_dynamically(source_file: SourceFile) -> bool:
    return bool(_DYNAMIC_LOAD.search(source_file.data))


DYNAMIC_LOADS = FactsSpec("probes/dynamic-loads", _loads_dynamically, CODE_KINDS, (b"require(", b"import("))


# --- what a container runs: its image's ENTRYPOINT and CMD, as its compose service overrides them ------------


@dataclass(frozen=True)
class Process:
    """A process a container of the repository runs, and the image's HEALTHCHECK that probes it."""

    file: str  # where it is said: the compose service's `command:`, `entrypoint:` or `build`, or the Dockerfile's CMD/ENTRYPOINT
    line: int
    col: int
    name: str  # the compose service's name, or the Dockerfile's path (its image as built)
    command: str  # what it runs, as written there
    service: Service
    paths: tuple[str, ...] | None  # the service's files it runs (`node dist/worker.js`: src/worker.ts); None: unknown
    probe: Probe | None  # the image's HEALTHCHECK it inherits (None: none, `NONE`, or a compose healthcheck of its own)
    compose: bool = False  # run by a compose service that overrides what its image runs (or builds another stage)


# programs that run the command they are given (`ENTRYPOINT ["tini", "--"]`)
_INITS = frozenset({"tini", "tini-static", "dumb-init", "catatonit"})


def run_lines(argv: list[str]) -> list[str]:
    """The shell lines a process's words run: its words, or the command a shell is given (`sh -c "node
    dist/worker.js"`, `["bash", "-lc", "…"]`, nested too), after an init that runs its arguments (`tini --`)."""
    while argv and posixpath.basename(argv[0]) in _INITS:
        argv = argv[1:]
        while argv and argv[0].startswith("-"):
            argv = argv[1:]
    if argv and posixpath.basename(argv[0]) in _SHELLS:
        for index, word in enumerate(argv[1:], 1):
            if not word.startswith("-"):
                break
            if not word.startswith("--") and "c" in word[1:]:
                return _shell_lines(argv[index + 1]) if index + 1 < len(argv) else []
    return [shlex.join(argv)] if argv else []


def _shell_lines(text: str) -> list[str]:
    """A shell command's commands (`cd /app && exec node dist/worker.js`), a `sh -c '…'` among them read through."""
    blanked = _blank_quoted_separators(text)
    bounds = [0] + [i for m in _SEPARATOR.finditer(blanked) for i in m.span()] + [len(text)]
    lines = []
    for start, end in zip(bounds[::2], bounds[1::2]):
        part = text[start:end].strip()
        try:
            words = shlex.split(part)
        except ValueError:
            words = part.split()
        while words and (words[0] in ("exec", "env") or re.match(r"^[A-Za-z_]\w*=", words[0])):
            words = words[1:]
        lines += run_lines(words) if words and posixpath.basename(words[0]) in _SHELLS | _INITS else [part] if part else []
    return lines


def files_of_process(repo: Repo, service: Service, argv: list[str], workdir: str = "/") -> tuple[str, ...] | None:
    """The service's files a process runs (`files_run` of its lines, `npm run worker` through the service's
    package.json scripts; a path under the image's WORKDIR made relative to it, as the service's directory is
    copied there), as `source_files` finds them; None when fixer cannot tell (no file named, or one that is
    none of the service's: `next start`, a file the build makes)."""
    from fixer.scripts import files_run, source_files  # (fixer.scripts reads the services fixer.repo builds)

    scripts = service.package.get("scripts") if isinstance(service.package, dict) else None
    scripts = scripts if isinstance(scripts, dict) else {}
    lines = run_lines(argv)
    files: list[str] = []
    for _depth in range(4):  # (a script that runs a script: `"worker": "npm run worker:prod"`)
        files += [f for line in lines for f in files_run(line)]
        lines = [inner for line in lines for match in RUN_SCRIPT.finditer(line)
                 if isinstance(scripts.get(match.group(1)), str) for inner in _shell_lines(scripts[match.group(1)])]
        if files or not lines:
            break
    base = service.dir + "/" if service.dir else ""
    inside = workdir.rstrip("/") + "/"
    paths = [next(iter(source_files(repo, base, posixpath.normpath(f[len(inside):] if inside != "/" and
                                                                   f.startswith(inside) else f))), None) for f in files]
    return tuple(p for p in paths if p is not None) if paths and None not in paths else None


def image_probe(repo: Repo, dockerfile: str, stage: int | None = None) -> Probe | None:
    """The HEALTHCHECK an image built from a Dockerfile (to `stage`, default its final one) runs: the last of
    that stage or of a stage it is built `FROM` (None when there is none, or it is `HEALTHCHECK NONE`)."""
    memo = repo.derived.setdefault("probes/image-probe", {})
    if (dockerfile, stage) not in memo:  # (each compose service built from it asks)
        memo[(dockerfile, stage)] = _image_probe(repo, dockerfile, stage)
    return memo[(dockerfile, stage)]


def _image_probe(repo: Repo, dockerfile: str, stage: int | None) -> Probe | None:
    source_file = repo.read(dockerfile)
    if source_file is None or source_file.kind != "dockerfile":
        return None
    try:
        chain = dockerfile_parser.stage_chain(source_file.instructions, stage)
        lines = [i.start_line for i in source_file.instructions if i.cmd == "HEALTHCHECK" and i.stage in chain]
        probe = next((p for p in probes_in(source_file) if lines and p.line == lines[-1]), None)
    except ParseError:
        return None
    return None if probe is None or probe.disabled else probe


def container_processes(repo: Repo) -> list[Process]:
    """What each container of the repository runs (`scripts.containers`: each service's image as its Dockerfile
    builds it, and each compose service that runs something else of it: its `command:`, its `entrypoint:` — which
    clears the image's CMD —, or a `build.target` stage), with the image's HEALTHCHECK it inherits."""
    memo = repo.derived.setdefault("probes/container-processes", {})
    if "all" not in memo:
        memo["all"] = list(_container_processes(repo))
    return memo["all"]


def _container_processes(repo: Repo) -> Iterator[Process]:
    for container in containers(repo):
        compose = container.compose
        own = compose is not None and yamlfile.get(compose.node, "healthcheck") is not None
        yield Process(container.file, container.line, container.col, container.name, container.command,
                      container.service, files_of_process(repo, container.service, list(container.argv), container.workdir),
                      None if own else image_probe(repo, container.dockerfile, container.stage), compose=compose is not None)


def starts_server(repo: Repo, paths: Iterable[str]) -> bool | None:
    """Whether the files a process runs start a server: a listen() in them or in what they import (relative
    imports, tsconfig aliases, workspace packages); None when fixer cannot tell (an import it cannot follow,
    a module named at run time)."""
    reached = process_reach(repo, paths)
    if reached is None:
        return None
    listens = repo.facts_of(LISTENS)
    return any(listens.get(path) for path in reached)


def process_reach(repo: Repo, paths: Iterable[str]) -> frozenset[str] | None:
    """The files a process that runs `paths` loads, themselves included (relative imports, tsconfig aliases,
    workspace packages); None when fixer cannot tell (an import it cannot follow, a module named at run time)."""
    from fixer.logger import imported_closure  # (fixer.logger reads facts this module's users gather)

    paths = list(paths)
    imported = repo.facts_of(IMPORTED_MODULES)
    reached = imported_closure(repo, paths, lambda path: imported.get(path, ()), strict=True, packages=True)
    if reached is None:
        return None
    reached |= set(paths)
    dynamic = repo.facts_of(DYNAMIC_LOADS)
    return None if any(dynamic.get(path) for path in reached) else frozenset(reached)


def idle_probed(repo: Repo) -> list[Process]:
    """The containers whose image's HTTP HEALTHCHECK can never pass: what they run starts no server
    (`starts_server` is False: a queue worker run from the API's image with `command: node dist/worker.js`,
    `sh -c "…"`, `npm run worker`, an image whose ENTRYPOINT is the worker), yet they inherit a probe that
    calls a URL (or runs a node script that requests one). Docker marks them unhealthy forever. The one
    rule of healthcheck-loopback's finding and of the checklist's health-check item. An image's own process
    is judged so only in a service with a server elsewhere in its code (`listen_calls`: the probe is that
    server's): one whose server fixer does not see (started by a package it imports: `start(express())` of
    `@acme/server-kit`) may serve."""
    memo = repo.derived.setdefault("probes/container-processes", {})
    if "idle" not in memo:  # (the checklist asks for each Dockerfile)
        memo["idle"] = [process for process in container_processes(repo)
                        if process.probe is not None and process.paths and (process.probe.host is not None or
                                                                            process.probe.script is not None)
                        and starts_server(repo, process.paths) is False
                        and (process.compose or listen_calls(repo, process.service.dir))]
    return memo["idle"]


def entry_reach(repo: Repo, service: Service) -> frozenset[str] | None:
    """The files of the repository a service's entry point (`Service.entry`: package.json main or
    start script, the image's CMD) loads, itself included, following relative imports and tsconfig
    aliases (`logger.resolve_import`) transitively; a package's import is the package's own code
    (a workspace package's too: what its functions do is not the entry's to run). None when fixer
    cannot tell: no entry, a module named at run time (`require(name)`) or a relative import that
    names no file of the repository (build output) on the way."""
    memo = repo.derived.setdefault("probes/entry-reach", {})
    if service.dir not in memo:
        memo[service.dir] = _entry_reach(repo, service)
    return memo[service.dir]


def _entry_reach(repo: Repo, service: Service) -> frozenset[str] | None:
    from fixer import logger  # (fixer.logger reads facts this module's users gather)

    entry = service.entry
    if not entry or not repo.exists(entry):
        return None
    imported = repo.facts_of(IMPORTED_MODULES)
    reached = logger.imported_closure(repo, [entry], lambda path: imported.get(path, ()), strict=True)
    if reached is None:
        return None
    dynamic = repo.facts_of(DYNAMIC_LOADS)
    return None if any(dynamic.get(path) for path in reached | {entry}) else frozenset(reached | {entry})


def _listens_of(source_file: SourceFile) -> list[Listen]:
    data = source_file.data
    hapi = _HAPI_NEEDLE.search(data) is not None and (b"hapi" in data or b"register" in data)
    loopback = _LOOPBACK_NEEDLE.search(data) is not None
    hono = _HONO_SERVER in data
    if not hapi and not loopback and not hono and _LISTEN_PREFILTER not in data and _GRPC_BIND not in data and \
            not any(needle in data for needle in _LISTEN_REFERENCES):
        return []  # (`plugins`, `createServer(` alone: no parse)
    root = source_file.tree.root_node
    found = [_hono_listen(source_file, root, call) for call in hono_serves(root)] if hono else []
    for call in [*typescript.iter_member_calls(root), *_wrapped_listens(source_file, root)]:
        if isinstance(call, Listen):  # (a wrapped listen() fixer cannot follow)
            found.append(call)
            continue
        if call.method == "bindAsync" and call.args:  # a @grpc/grpc-js Server's `bindAsync('0.0.0.0:50051', creds, cb)`
            bound = _grpc_listen(source_file, call)
            found += [bound] if bound is not None else []
            continue
        if call.method != "listen" or not call.args:
            continue
        listen = _listen(source_file, root, call)
        if listen is not None:
            found.append(_per_framework(root, call, listen))
    if hapi:
        found += _hapi_servers(source_file, root)
    if loopback:
        found += _loopback_servers(source_file, root)
    return found


_GRPC_BIND = b".bindAsync("
_HONO_SERVER = b"@hono/node-server"


def hono_serves(root: Any, table: dict[str, typescript.Imported] | None = None) -> Iterator[typescript.MemberCall]:
    """The `serve(…)` calls of @hono/node-server (`import { serve } from '@hono/node-server'`, renamed too: a call
    whose `object` is its callee), and `nodeServer.serve(…)` of a namespace import or a require of the module.
    (`table`: the file's `typescript.import_table`, when the caller has it.)"""
    table = typescript.import_table(root) if table is None else table
    if not any(i.module == "@hono/node-server" for i in table.values()):
        return
    for node in typescript.descendants(root, "call_expression"):
        callee, arguments = node.child_by_field_name("function"), node.child_by_field_name("arguments")
        if callee is None or arguments is None:
            continue
        if callee.type == "identifier":
            imported, name = table.get((callee.text or b"").decode()), callee
        elif callee.type == "member_expression" and (holder := callee.child_by_field_name("object")) is not None \
                and holder.type == "identifier" and (name := callee.child_by_field_name("property")) is not None \
                and name.text == b"serve":
            imported = table.get((holder.text or b"").decode())
            imported = imported if imported is not None and imported.name in ("*", "default") else None
        else:
            continue
        if imported is not None and imported.module == "@hono/node-server" and (imported.name == "serve" or name is not callee):
            yield typescript.MemberCall(node, callee, "serve", name, arguments)


def _hono_listen(source_file: SourceFile, root: Any, call: Any) -> Listen:
    """A Hono app's server: @hono/node-server's `serve({ fetch: app.fetch, port, hostname })` listens on
    `server.listen(options.port ?? 3000, options.hostname)` (its dist/server.js): every interface when given no
    hostname, as Node's listen() given no host. Options fixer cannot read are a host it cannot tell."""
    line = source_file.line_col(call.call.start_byte)[0]
    first = typescript.unwrap(call.args[0]) if call.args else None
    value = _value_of(root, first, call.call) if first is not None else None
    if value is None or value.type != "object":
        return Listen(source_file.path, line, "?", False, typescript.one_line((first.text or b"").decode("utf-8", "replace"))
                      if first is not None else "", options=True, framework="hono")
    listen = _options_listen(source_file, root, value, line, "hostname")
    return replace(listen or Listen(source_file.path, line, None), framework="hono")


def _grpc_listen(source_file: SourceFile, call: Any) -> Listen | None:
    """A gRPC server's `bindAsync(address, …)`: the host of `'0.0.0.0:50051'`, `'[::]:50051'`, `` `0.0.0.0:${port}` ``
    (grpc-js binds every address a name resolves to: `localhost`, 127.0.0.1 and ::1); "?" when the address is set at
    run time; None for a unix socket's (`unix:/tmp/grpc.sock`), no TCP server a probe calls."""
    first = typescript.unwrap(call.args[0])
    line = source_file.line_col(call.method_node.start_byte)[0]
    text = (first.text or b"").decode("utf-8", "replace") if first is not None else ""
    literal = typescript.string_value(first)
    if literal is None and first is not None and first.type == "template_string":
        literal = text[1:].split("${", 1)[0] if "${" in text else text[1:-1]  # (the text up to the first `${`)
    if (literal or "").startswith("unix:"):
        return None
    address = re.match(r"^(?:dns:|ipv4:|ipv6:)?(?:///)?(?P<host>\[[^\]]*\]|[^:\[]*):", literal or "")
    port = _grpc_port(first, call.call)
    if address is None or not address.group("host") or "$" in address.group("host"):
        return Listen(source_file.path, line, "?", False, typescript.one_line(text), framework="grpc", port=port)
    host = address.group("host").strip("[]")
    return Listen(source_file.path, line, host, False, typescript.one_line(text), framework="grpc", port=port)


_ADDRESS_PORT = re.compile(r":(\d{2,5})$")
_DEFAULT_PORT = re.compile(r"^\s*(\d{2,5})\s*$|(?:\|\||\?\?)\s*['\"]?(\d{2,5})['\"]?\s*\)?\s*$")


def _grpc_port(first: Any, at: Any) -> int | None:
    """The port of a gRPC bind address as the code writes it: `'0.0.0.0:50051'`, or the substitution after its
    colon (`` `0.0.0.0:${port}` ``) when that is a number or ends in a default (`process.env.GRPC_PORT || 50051`),
    itself or as the variable it names is declared (`const port = process.env.GRPC_PORT ?? '50051'`)."""
    if first is None:
        return None
    literal = typescript.string_value(first)
    if literal is not None:
        found = _ADDRESS_PORT.search(literal)
        return int(found.group(1)) if found else None
    if first.type != "template_string":
        return None
    parts = first.named_children
    last = parts[-1] if parts else None
    before = parts[-2] if len(parts) > 1 else None
    if last is None or last.type != "template_substitution" or before is None or not (before.text or b"").endswith(b":"):
        return None  # (`${address}` alone, `${host}:${port}/x`: no port fixer reads)
    return written_port(last.named_children[0] if last.named_children else None, at)


def written_port(value: Any, at: Any) -> int | None:
    """A port as the code writes it: a number, or a value that ends in a default (`process.env.GRPC_PORT || 50051`),
    itself or as the variable it names is declared, seen from `at` (`const port = process.env.GRPC_PORT ?? '50051'`)."""
    value = typescript.unwrap(value)
    if value is not None and value.type in ("identifier", "shorthand_property_identifier"):  # (`{ port }`)
        declarator = typescript.declarator_in_scope((value.text or b"").decode(), at)
        value = typescript.unwrap(declarator.child_by_field_name("value")) if declarator is not None else None
    found = _DEFAULT_PORT.search((value.text or b"").decode("utf-8", "replace")) if value is not None else None
    return int(found.group(1) or found.group(2)) if found else None


_LOOPBACK_NEEDLE = re.compile(rb"""(?<![\w.$])['"]?rest['"]?\s*:\s*\{""")  # `rest: {`: not `...rest: T[]`


def _loopback_servers(source_file: SourceFile, root: Any) -> list[Listen]:
    """LoopBack 4 apps' servers: the `rest: { port, host }` of the config an app is made or started with (`new
    App({ rest: … })`, `main(config)` of `const config = { rest: { host: process.env.HOST || '127.0.0.1' } }`,
    as `lb4 app` generates index.ts), on which its RestServer listens (@loopback/http-server: `server.listen({
    port, host })`, every interface when given no host). Framework "loopback": the service's listens only when
    it depends on @loopback/rest (`listen_calls`); `listenOnStart: false` starts none."""
    found = []
    for pair in typescript.descendants(root, "pair"):
        key = pair.child_by_field_name("key")
        rest = typescript.unwrap(pair.child_by_field_name("value"))
        config = pair.parent
        if key is None or rest is None or rest.type != "object" or config is None or \
                typescript.key_name(key) != "rest":
            continue
        holder = config.parent
        while holder is not None and holder.type in ("as_expression", "satisfies_expression", "parenthesized_expression",
                                                     "non_null_expression"):
            holder = holder.parent
        if holder is None or holder.type not in ("arguments", "variable_declarator"):
            continue  # (some other object's `rest`: a config is given to a call or named)
        started = typescript.object_property(rest, "listenOnStart")
        if started is not None and started.type == "false":
            continue
        line = source_file.line_col(key.start_byte)[0]
        listen = _options_listen(source_file, root, rest, line) or Listen(source_file.path, line, None)
        expression = f"rest.host: {listen.expression}" if listen.expression and not listen.options else listen.expression
        found.append(replace(listen, framework="loopback", expression=expression))
    return found


_HAPI_NEEDLE = re.compile(rb"\.\s*[sS]erver\s*\(|\bServer\s*\(|\bplugins\b")
# `promisify(server.listen)`, `server.listen.bind(server)`, `server.listen.apply(server, args)` (NodeBB)
_LISTEN_REFERENCES = (b".listen)", b".listen.bind(", b".listen.apply(", b".listen.call(")


def _wrapped_listens(source_file: SourceFile, root: Any) -> Iterator[Any]:
    """A server's listen() run through a wrapper: `util.promisify(server.listen).bind(server)(port, host)`
    (etherpad), `promisify(server.listen.bind(server))(port)`, as the call that runs it (a `MemberCall` whose
    arguments are that call's); a `server.listen` taken elsewhere (`const listen = promisify(…)`) is a listen
    on a host fixer cannot tell."""
    if not any(needle in source_file.data for needle in _LISTEN_REFERENCES):
        return
    for node in typescript.descendants(root, "member_expression"):
        name = node.child_by_field_name("property")
        receiver = node.child_by_field_name("object")
        parent = node.parent
        if name is None or receiver is None or name.text != b"listen" or parent is None or \
                parent.type == "call_expression" and parent.child_by_field_name("function") == node:
            continue  # (a call: `iter_member_calls` reads it)
        outer, wrapped = node, False
        while (parent := outer.parent) is not None:
            callee = parent.parent.child_by_field_name("function") if parent.type == "arguments" and parent.parent else None
            if callee is not None and (callee.text or b"").endswith(b"promisify"):
                outer, wrapped = parent.parent, True  # promisify(x.listen)
            elif parent.type == "member_expression" and parent.child_by_field_name("object") == outer and \
                    (parent.child_by_field_name("property").text or b"") == b"bind" and parent.parent is not None \
                    and parent.parent.type == "call_expression":
                outer, wrapped = parent.parent, True  # x.listen.bind(x), promisify(…).bind(x)
            elif outer is node and parent.type == "member_expression" and parent.child_by_field_name("object") == node and \
                    (parent.child_by_field_name("property").text or b"") in (b"apply", b"call") and \
                    parent.parent is not None and parent.parent.type == "call_expression":
                # `server.listen.apply(server, args)`: arguments fixer cannot line up with listen()'s
                line = source_file.line_col(name.start_byte)[0]
                yield Listen(source_file.path, line, "?", False, typescript.one_line(parent.parent.text), options=True)
                break
            elif parent.type == "call_expression" and parent.child_by_field_name("function") == outer and wrapped:
                arguments = parent.child_by_field_name("arguments")
                yield typescript.MemberCall(parent, receiver, "listen", name, arguments)  # (…)(port, host)
                break
            else:
                if wrapped and _A_SERVER.search(receiver.text or b""):
                    line = source_file.line_col(name.start_byte)[0]
                    yield Listen(source_file.path, line, "?", False, typescript.one_line(outer.text))
                break
_HAPI_MODULES = frozenset({"@hapi/hapi", "hapi"})


def _hapi_servers(source_file: SourceFile, root: Any) -> list[Listen]:
    """hapi's servers, which `server.start()` starts on the options they are made with: `Hapi.server({ port,
    host })`, `new Hapi.Server(…)`, a @hapi/glue manifest's `server: { port, host }` (beside its `register`).
    hapi listens on `address`, else `host`, else on every interface (@hapi/hapi 21 lib/core.js `_listen`:
    `listener.listen(port, settings.address || settings.host || null)`; the machine's hostname it defaults
    `host` to names `server.info.uri` only)."""
    table = typescript.import_table(root)
    hapi = {name for name, imported in table.items() if imported.module in _HAPI_MODULES}
    found = []
    for node in typescript.descendants(root, "call_expression", "new_expression", "object"):
        if node.type == "object":  # a Glue manifest: `{ server: {…}, register: { plugins: […] } }`
            register = typescript.unwrap(typescript.object_property(node, "register"))
            if register is None or register.type != "object" or typescript.object_property(register, "plugins") is None:
                continue
            options = typescript.unwrap(typescript.object_property(node, "server"))
            at = options if options is not None else node
        else:
            callee = node.child_by_field_name("function" if node.type == "call_expression" else "constructor")
            head, _, method = (callee.text or b"").decode().rpartition(".") if callee is not None else ("", "", "")
            if method not in ("server", "Server") or (head not in hapi if head else table.get(method, None) is None
                                                         or table[method].module not in _HAPI_MODULES):
                continue
            arguments = node.child_by_field_name("arguments")
            options = typescript.unwrap(typescript.list_items(arguments)[0]) if arguments is not None \
                and typescript.list_items(arguments) else None
            at = node
        found.append(_hapi_listen(source_file, root, options, source_file.line_col(at.start_byte)[0]))
    return found


def _hapi_listen(source_file: SourceFile, root: Any, options: Any, line: int) -> Listen:
    value = _value_of(root, options, options) if options is not None else None
    if value is None:
        return Listen(source_file.path, line, None, framework="hapi")
    if value.type != "object":
        return Listen(source_file.path, line, "?", False, typescript.one_line(options.text), True, "hapi")
    host = typescript.object_property(value, "address") or typescript.object_property(value, "host")
    if host is None and any(c.type == "spread_element" or (c.type == "shorthand_property_identifier" and c.text in (b"host", b"address"))
                            for c in value.named_children):
        return Listen(source_file.path, line, "?", False, typescript.one_line(value.text), True, "hapi")
    if host is None:
        return Listen(source_file.path, line, None, framework="hapi")
    return replace(_host_listen(source_file, root, host, line, False), framework="hapi")


def _per_framework(root: Any, call: Any, listen: Listen) -> Listen:
    """A Fastify instance's listen() (`const app = Fastify(…)`, `require('fastify')(…)`, NestJS on
    `FastifyAdapter`): given no host, Fastify binds 'localhost', not every interface."""
    if not _fastify_instance(root, call):
        return listen
    return replace(listen, host="localhost" if listen.host is None else listen.host, framework="fastify")


def _fastify_instance(root: Any, call: Any) -> bool:
    """Whether the receiver of `call` is made by Fastify's factory in this file, or is the app of a NestJS
    file that imports `@nestjs/platform-fastify` (`NestFactory.create(AppModule, new FastifyAdapter())`)."""
    if b"fastify" not in (root.text or b""):
        return False
    table = typescript.import_table(root)
    if any(imported.module == "@nestjs/platform-fastify" for imported in table.values()):
        return True
    value = typescript.unwrap(call.object)
    if value is not None and value.type == "identifier":
        value = _value_of(root, value, call.call)
    made = typescript.unwrap(value.child_by_field_name("function")) if value is not None and value.type == "call_expression" else None
    if made is not None and made.type == "member_expression":  # `Fastify.fastify(…)`, `fastify.default(…)`
        made = made.child_by_field_name("object")
    if made is None:
        return False
    if typescript.required_module(made) == "fastify":
        return True
    imported = table.get((made.text or b"").decode()) if made.type == "identifier" else None
    return imported is not None and imported.module == "fastify"


# 2: listen options fixer cannot read are listens on host "?"; the line is that of `.listen(`
LISTENS = FactsSpec("probes/listen", _listens_of, CODE_KINDS, (_LISTEN_PREFILTER, *_LISTEN_REFERENCES, b"erver(", b"plugins",
                                                              b"rest:", _GRPC_BIND, _HONO_SERVER),
                    version=10)  # 10: a gRPC bind's port (Listen.port); 9: @hono/node-server serve() (its hostname); 8: an identifier callback is no host (listen(port, resolve)), @grpc/grpc-js bindAsync; 7: the environment variable a host is read from (what the containers set decides), LoopBack rest config; 6: a listen given only a callback (`webserver.listen(next)`) is none, listen.apply/call are listens on a host fixer cannot read; 5: Socket.IO options are no host, listens run through promisify, one-line expressions; 4: each listen's framework (Fastify: localhost by default; hapi, Glue); 3: unix-socket listens are none


_CALLBACK_NAMES = frozenset({b"next", b"cb", b"callback", b"done", b"resolve"})


def _listen(source_file: SourceFile, root: Any, call: Any) -> Listen | None:
    """The server listen() a `.listen(…)` call is, or None when it is none: `emitter.listen('event')`,
    `history.listen(fn)`, `io.listen(server)`. A first argument that is neither a port nor options
    fixer can read (`config.listen`, a parameter, options assigned in branches) is a server listening
    on a host fixer cannot tell."""
    first = typescript.unwrap(call.args[0])
    second = call.args[1] if len(call.args) > 1 else None
    line = source_file.line_col(call.method_node.start_byte)[0]
    if first is None or first.type in typescript.FUNCTION_TYPES:
        return None  # `history.listen(fn)`
    if second is None and first.type == "identifier" and first.text in _CALLBACK_NAMES:
        return None  # `webserver.listen(next)`: a module's own listen() given its callback (NodeBB's app.js)
    literal = typescript.string_value(first)
    if literal is not None and not _DIGITS.fullmatch(literal):
        return None  # `emitter.listen('event')` (a unix socket's path is no TCP server either)
    text = (first.text or b"").decode("utf-8", "replace")
    value = _value_of(root, first, call.call)
    if value is not None and value.type in typescript.FUNCTION_TYPES:
        return None  # `emitter.listen(onChange)`
    if value is not None and value.type == "object":  # Fastify / net: listen({ port, host, ipv6Only })
        return _options_listen(source_file, root, value, line)
    if _path_like(first, value):
        return None  # `server.listen(socketPath)`: a unix socket or named pipe, no TCP server a probe calls
    port = _port_like(first, value)
    made = value.child_by_field_name("function") if value is not None and value.type == "call_expression" else None
    if not port and (first.type in ("identifier", "member_expression") and _A_SERVER.search(first.text or b"") or
                     made is not None and re.search(rb"(createServer|\.listen)$", made.text or b"")):
        # `io.listen(server)`, `io.listen(http.createServer(app))`, Socket.IO's `io.listen(server, { cookie: false })`:
        # a server given to another library, whose own listen() is read
        return None
    second_value = _value_of(root, second, call.call) if second is not None else None
    callback = second_value is None or second_value.type in typescript.FUNCTION_TYPES or (  # `onListening`
        len(call.args) == 2 and _a_callback(second_value, call.call))  # `listen(PORT, resolve)`
    if second_value is not None and second_value.type == "object":
        # `listen(port, { … })`: no host Node reads; a second argument's options are some other library's
        return Listen(source_file.path, line, "?", False, typescript.one_line(second.text if port else text), options=True)
    if not callback or port:
        # `listen(PORT)`, `listen(config.port, HOST, cb)`: a second argument that is no callback is the host
        if callback:
            return Listen(source_file.path, line, None)
        return _host_listen(source_file, root, second, line, False)
    return Listen(source_file.path, line, "?", False, typescript.one_line(text), options=True)


def _a_callback(node: Any, at: Any) -> bool:
    """Whether a name no declaration gives a value is a function: a parameter of a Promise's executor
    (`new Promise((resolve) => server.listen(PORT, resolve))`), one typed as a function (`done: () => void`), or
    a callback's usual name (`cb`, `next`, `done`). Node takes a function as listen()'s second argument for its
    callback: no host."""
    if node.type != "identifier":
        return False
    if node.text in _CALLBACK_NAMES:
        return True
    scope = at
    while (scope := typescript.enclosing_function(scope)) is not None:
        parameter = typescript.parameter_named(scope, (node.text or b"").decode("utf-8", "replace"))
        if parameter is None:
            continue
        annotation = parameter.child_by_field_name("type") if parameter.type != "identifier" else None
        if annotation is not None and any(n.type in ("function_type", "constructor_type") for n in annotation.named_children):
            return True
        arguments = scope.parent
        made = arguments.parent if arguments is not None and arguments.type == "arguments" else None
        return made is not None and made.type == "new_expression" and typescript.list_items(arguments)[:1] == [scope] \
            and (made.child_by_field_name("constructor").text or b"") == b"Promise"
    return False


def _value_of(root: Any, node: Any, at: Any) -> Any:
    """What an identifier is given where it is declared (`const options = { port }`), a function it
    names (`function onChange…`), or the node itself."""
    if node.type != "identifier":
        return node
    declarator = typescript.declarator_in_scope((node.text or b"").decode(), at)
    if declarator is not None:
        return typescript.unwrap(declarator.child_by_field_name("value")) or node
    named = next((f for f in typescript.descendants(root, "function_declaration")
                  if (f.child_by_field_name("name").text or b"") == node.text), None)
    return named if named is not None else node


_PATH_NAME = re.compile(rb"(?:path|sock(?:et)?|pipe)$", re.IGNORECASE)
_PATH_CALL = re.compile(rb"^(?:path\.(?:join|resolve|posix\.join)|join|resolve)$")


def _path_like(first: Any, value: Any) -> bool:
    """A unix socket's or named pipe's path: a string given to a name (`const sock = '/tmp/x.sock'`),
    a name that says so (`listenPath`, `options.socket`, `SOCK`), or `path.join(…)`."""
    if value is not first and value is not None:
        literal = typescript.string_value(value)
        if literal is not None and not _DIGITS.fullmatch(literal):
            return True
    if first.type in ("identifier", "member_expression") and _PATH_NAME.search(first.text or b"") \
            and not _port_like(first, value):
        return True
    callee = first.child_by_field_name("function") if first.type == "call_expression" else None
    return callee is not None and bool(_PATH_CALL.match(callee.text or b""))


def _port_like(first: Any, value: Any) -> bool:
    """A port: a number (`'3000'` too), a `PORT`/`port` name or member, `Number(…)` of anything, or a
    name given one."""
    for node in (first, value):
        literal = typescript.string_value(node)
        if node is None or literal is not None:
            if literal is not None and _DIGITS.fullmatch(literal):
                return True
            continue
        if _PORTISH.search((node.text or b"").decode("utf-8", "replace")) or \
                any(n.type == "number" for n in typescript.walk(node)):
            return True
        callee = node.child_by_field_name("function") if node.type == "call_expression" else None
        if callee is not None and callee.text in _NUMERIC_CALLS:
            return True
    return False


def _options_listen(source_file: SourceFile, root: Any, options: Any, line: int, key: str = "host") -> Listen | None:
    """`listen({ port, host, ipv6Only })`; `{ ...options }` may carry a host: "?"; `{ path }` is no TCP server.
    (`key`: the option naming the host: Hono's serve() calls it `hostname`.)"""
    host_node = typescript.object_property(options, key)
    ipv6 = typescript.object_property(options, "ipv6Only")
    ipv6_only = ipv6 is not None and ipv6.type == "true"
    # a spread after the host may replace it (`{ host: '0.0.0.0', ...overrides }`)
    spread = next((c for c in reversed(options.named_children) if c.type == "spread_element"
                   and (host_node is None or c.start_byte > host_node.start_byte)), None)
    if host_node is not None and spread is None:
        return _host_listen(source_file, root, host_node, line, ipv6_only)
    if _has_shorthand(options, key):
        return Listen(source_file.path, line, "?", ipv6_only, key)
    if spread is not None:
        spread = spread.named_children[0] if spread.named_children else spread  # `config.http` of `...config.http`
        return Listen(source_file.path, line, "?", ipv6_only, typescript.one_line(spread.text), options=True)
    if typescript.object_property(options, "port") is None and not _has_shorthand(options, "port"):
        return None
    return Listen(source_file.path, line, None, ipv6_only)


def _host_listen(source_file: SourceFile, root: Any, node: Any, line: int, ipv6_only: bool) -> Listen:
    text = (node.text or b"").decode("utf-8", "replace")
    expression = typescript.one_line(text)
    value, env = _host_value(node)
    if value is None and not env and node.type == "identifier":  # `const host = process.env.HOST || '0.0.0.0'`
        declared = _declared_host(root, text)
        if declared is not None:
            value, env = _host_value(declared)
            expression = typescript.one_line(f"{text} = {(declared.text or b'').decode('utf-8', 'replace')}")
    return Listen(source_file.path, line, value if value is not None else "?", ipv6_only, expression, env=env)


def _host_value(node: Any) -> tuple[str | None, str]:
    """The literal host an expression gives (None: none written) and the environment variable it reads
    first: `'0.0.0.0'`, `process.env.HOST` (HOST), `process.env.HOST || '0.0.0.0'` ('0.0.0.0', HOST)."""
    node = typescript.unwrap(node)
    if node is None:
        return None, ""
    literal = typescript.string_value(node)
    if literal is not None:
        return literal, ""
    if node.type == "binary_expression":  # process.env.HOST || '0.0.0.0'
        right = node.child_by_field_name("right")
        operator = node.child_by_field_name("operator")
        env = env_name(node.child_by_field_name("left")) if operator is not None and operator.type in ("||", "??") else ""
        return (typescript.string_value(right) if right is not None else None), env
    return None, env_name(node)


def env_name(node: Any) -> str:
    """The environment variable an expression reads: `process.env.HOST`, `process.env['HOST']`: HOST."""
    node = typescript.unwrap(node)
    if node is None or node.type not in ("member_expression", "subscript_expression"):
        return ""
    holder = node.child_by_field_name("object")
    if holder is None or re.sub(rb"\s", b"", holder.text or b"") != b"process.env":
        return ""
    if node.type == "member_expression":
        name = node.child_by_field_name("property")
        return (name.text or b"").decode() if name is not None else ""
    return typescript.string_value(node.child_by_field_name("index")) or ""


def _declared_host(root: Any, name: str) -> Any:
    """What `const HOST = '0.0.0.0'`, `const HOST = process.env.HOST || '0.0.0.0'` or `const HOST =
    process.env.HOST` gives the name: the first such declaration's value."""
    for declarator in typescript.descendants(root, "variable_declarator"):
        target, value = declarator.child_by_field_name("name"), typescript.unwrap(declarator.child_by_field_name("value"))
        if target is None or value is None or target.text != name.encode():
            continue
        if typescript.string_value(value) is not None or value.type == "binary_expression" or env_name(value):
            return value
    return None


def _has_shorthand(obj: Any, name: str) -> bool:
    return any(child.type == "shorthand_property_identifier" and child.text == name.encode()
               for child in obj.named_children)
