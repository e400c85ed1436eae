"""What a service's package.json scripts run, and which of those files are the service's own
process: one answer for every fix and the checklist (a load harness run by `npm run load`, a
seed run by `npm run seed` is no server to give a SIGTERM handler, a degraded start or a
logger's stdout)."""

from __future__ import annotations

import posixpath
import re
import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator

from fixer.parsing import yamlfile
from fixer.repo import ComposeService, Repo, Service

if TYPE_CHECKING:
    from fixer.probes import Process

# programs that run a file (`node dist/x.js`, `tsx watch src/x.ts`, `nodemon --exec ts-node src/x.ts`,
# `pm2 start dist/x.js`), not tools given one (`eslint src/x.ts`, `tsc src/x.ts`)
RUNNERS = frozenset({"node", "nodejs", "bun", "deno", "tsx", "ts-node", "ts-node-dev", "ts-node-esm", "nodemon",
                     "node-dev", "babel-node", "esno", "esr", "vite-node", "sucrase-node", "swc-node", "pm2",
                     "forever"})
# words before the runner (`npx tsx …`, `cross-env NODE_ENV=production node …`, `dotenv -- node …`)
_WRAPPERS = frozenset({"npx", "bunx", "pnpx", "exec", "run", "dlx", "--", "cross-env", "dotenv", "env"})
_NOT_RUN = frozenset({"--check", "-c", "--test", "-e", "--eval", "-p", "--print"})  # (parses, tests or evals)
_CODE_FILE = re.compile(r"\.(?:[cm]?[jt]s|tsx)$")
# scripts that run the service itself (`start`, `start:prod`, `serve`, `dev`), or a long-lived process of
# its own beside it (`worker`, `consumer`, `admin`, `scheduler`): what any other runs is a script
SERVICE_SCRIPT = re.compile(r"^(start|serve|server|dev|develop|prod|production|debug|watch)([:_-]|$)"
                            r"|(^|[:_-])(workers?|consumers?|admin|daemon|scheduler|cron|queues?|server|api|web|"
                            r"metrics|listeners?|processor)([:_-]|$)")


def files_run(command: str) -> list[str]:
    """The program file each command of a script hands to a runner (`tsc && node dist/migrate.js`
    -> dist/migrate.js; `node -r ts-node/register src/x.ts` -> src/x.ts; not `node --check x.js`)."""
    found = []
    for part in re.split(r"&&|\|\||;|\||&", command):
        words = [w.strip("'\"") for w in part.split() if not re.match(r"^[A-Za-z_]\w*=", w)]  # (`NODE_ENV=x node …`)
        while words and words[0] in _WRAPPERS:
            words = words[1:]
        if not words or words[0].rsplit("/", 1)[-1] not in RUNNERS or _NOT_RUN.intersection(words):
            continue
        program = next((w for w in words[1:] if not w.startswith("-") and _CODE_FILE.search(w)), None) \
            or _extensionless_program(words[1:])
        if program is not None:
            found.append(posixpath.normpath(program.removeprefix("./")))
    return found


# options of a runner that take the next word (`node -r dotenv/config bin/www`)
_TAKES_VALUE = frozenset({"-r", "--require", "--import", "--loader", "--experimental-loader", "--env-file", "--watch-path",
                          "--name", "-n", "-i", "--instances", "--cwd", "-x", "--exec", "-e", "--ext"})


def _extensionless_program(words: list[str]) -> str | None:
    """A program file named without an extension (express- and koa-generator's `node ./bin/www`):
    the first word that is a path (`dir/name`) whose name has no extension and that is not an
    option's value (`-r dotenv/config`)."""
    previous = ""
    for word in words:
        if not word.startswith("-") and previous not in _TAKES_VALUE and "/" in word.strip("/") \
                and "." not in posixpath.basename(word) and not word.startswith(("$", "%")):
            return word
        previous = word
    return None


_CODE_EXTENSION = re.compile(r"\.[cm]?[jt]sx?$")
_BUILD_DIR = re.compile(r"^(dist|build|lib|out)/")


def source_files(repo: Repo, base: str, file: str) -> list[str]:
    """The repository's source files a run file is (`dist/sync/load.js` runs src/sync/load.ts), under `base`."""
    stem = _CODE_EXTENSION.sub("", file)
    compiled = _BUILD_DIR.sub("src/", stem)
    options = [file, stem + ".ts", stem + ".js", compiled + ".ts", compiled + ".js", compiled + ".tsx",
               _BUILD_DIR.sub("", stem) + ".ts"]
    return [base + option for option in dict.fromkeys(options) if repo.exists(base + option)]


@dataclass(frozen=True)
class Runs:
    scripts: dict[str, tuple[str, ...]]  # path -> the names of the scripts that run it, in package.json order
    process: frozenset[str]  # the service's own process: entry, `main`, what a service script or its image runs


def runs_of(repo: Repo, service: Service) -> Runs:
    """What the service's package.json scripts run; which files are its process: its entry point,
    `main`, what a script named for the service runs (`SERVICE_SCRIPT`), and what its containers run
    (`containers`: its image's CMD and ENTRYPOINT, a compose `command:` built from it, through the
    package.json scripts they run: `CMD ["npm", "run", "load"]`, `command: node dist/x.js`). Not a
    file a Dockerfile only copies, a RUN runs at build time, a HEALTHCHECK probes with, or a script
    of another name runs (`"healthcheck": "node healthcheck.js"`)."""
    scripts = service.package.get("scripts") if isinstance(service.package, dict) else None
    base = service.dir + "/" if service.dir else ""
    process = {service.entry} if service.entry else set()
    main = service.package.get("main") if isinstance(service.package, dict) else None
    if isinstance(main, str):
        process.update(source_files(repo, base, posixpath.normpath(main.removeprefix("./"))))
    for file in repo.image_runs(service):  # (its entry may be `main`, an app factory the image's program loads)
        process.update(source_files(repo, base, posixpath.normpath(file.removeprefix("./"))))
    process.update(_container_runs(repo, service))  # (`command: node src/worker.js`: a process of its own)
    found: dict[str, list[str]] = {}
    if isinstance(scripts, dict) and scripts:
        for name, command in scripts.items():
            if not isinstance(command, str):
                continue
            serving = SERVICE_SCRIPT.search(str(name)) is not None
            for file in files_run(command):
                for path in source_files(repo, base, file):
                    found.setdefault(path, []).append(str(name))
                    if serving:
                        process.add(path)
    return Runs({path: tuple(names) for path, names in found.items()}, frozenset(p for p in process if p))


def script_files(repo: Repo, service: Service) -> dict[str, str]:
    """The files only package.json scripts that are not the service's process run (`"load": "bun
    src/sync/loadHarness.ts"`, `"seed": "tsx scripts/seed.ts"`): path -> the first script's name."""
    runs = repo.runs[service.dir]
    return {path: names[0] for path, names in runs.scripts.items() if path not in runs.process}


def all_script_files(repo: Repo) -> dict[str, str]:
    """`script_files` over every service: path -> why it is a script, not the service's process."""
    found: dict[str, str] = {}
    for service in repo.services:
        base = service.dir + "/" if service.dir else ""
        for path, name in script_files(repo, service).items():
            found.setdefault(path, f"run by the `{name}` script of {base}package.json, not by the service's start")
    return found


def _container_runs(repo: Repo, service: Service) -> Iterator[str]:
    """The service's files its containers run (`containers`), as `probes.files_of_process` finds them (a path
    under the image's WORKDIR too: `CMD ["node", "/app/src/server.js"]`; `npm run worker` through its scripts)."""
    from fixer.probes import files_of_process  # (fixer.probes reads what this module finds in images)

    for container in containers(repo):
        if container.service.dir == service.dir:
            yield from files_of_process(repo, service, list(container.argv), container.workdir) or ()


# --- what a container runs: its image's ENTRYPOINT and CMD, as its compose service overrides them ------------


@dataclass(frozen=True)
class Container:
    """What a container of the repository runs, in words (`containers`)."""

    file: str  # where it is said: the Dockerfile (its CMD/ENTRYPOINT), or the compose file
    line: int
    col: int
    name: str  # the compose service's name, or the Dockerfile's path (its image as built)
    command: str  # what it runs, as written there
    argv: tuple[str, ...]  # its words: the image's ENTRYPOINT and CMD, as a compose service overrides them
    workdir: str  # the image's WORKDIR, where they run
    service: Service
    dockerfile: str  # the Dockerfile its image is built from
    stage: int | None  # the stage it is built to (a compose `build.target`'s); None: the final one
    compose: ComposeService | None = None  # the compose service that runs something else of the image


def containers(repo: Repo) -> list[Container]:
    """What each container of the repository runs: each service's image as its Dockerfile builds it (one that
    says what it runs), and each compose service built from one that runs something else of it (its `command:`,
    its `entrypoint:` — which clears the image's CMD —, or a `build.target` stage's). The one reader of those
    words: `runs_of` reads the files they run, `probes.container_processes` adds the HEALTHCHECK each inherits
    (this reads none: what a probe's script is asks which files a service runs, `Repo.kind`)."""
    memo = repo.derived.setdefault("scripts/containers", {})
    if "all" not in memo:
        memo["all"] = list(_containers(repo))
    return memo["all"]


def _containers(repo: Repo) -> Iterator[Container]:
    for source_file in repo.files({"dockerfile"}):
        service = repo.service_of_dockerfile(source_file.path) or repo.service_for(source_file.path)
        image = _image(repo, source_file.path, None) if service is not None else None
        if image is None or image[2] is None:
            continue  # (no CMD or ENTRYPOINT: its base image's)
        entry, cmd, said, workdir, _stage = image
        yield Container(source_file.path, said.start_line, 1, source_file.path, shlex.join(entry + cmd),
                        tuple(entry + cmd), workdir, service, source_file.path, None)
    for compose in repo.compose_services:
        nodes = {key: node for key in ("command", "entrypoint") if (node := yamlfile.get(compose.node, key)) is not None}
        target = yamlfile.get(yamlfile.get(compose.node, "build"), "target")
        service = repo.service_of_compose(compose)
        if compose.context is None or not compose.dockerfile or service is None or (not nodes and target is None):
            continue  # (what its image runs: the Dockerfile's own, above)
        if target is not None and not isinstance(target, yamlfile.ScalarNode):
            continue
        image = _image(repo, compose.dockerfile, str(target.value) if target is not None else None)
        if image is None:
            continue  # (a Dockerfile that does not parse, a stage fixer cannot find)
        entry, cmd, _said, workdir, stage = image
        words = {key: _compose_argv(node) for key, node in nodes.items()}
        if "entrypoint" in words:
            entry, cmd = words["entrypoint"], []  # (compose: an entrypoint of its own clears the image's CMD)
        cmd = words.get("command", cmd)
        at = next((nodes[key] for key in ("command", "entrypoint") if key in nodes), target)
        written = " ".join(_compose_text(nodes[key]) for key in ("entrypoint", "command") if key in nodes)
        if entry and "entrypoint" not in nodes:  # (`command: ["src/worker.js"]` given to `ENTRYPOINT ["node"]`)
            written = shlex.join(entry + cmd)
        yield Container(compose.file, yamlfile.line(at), yamlfile.column(at), compose.name,
                        written or shlex.join(entry + cmd), tuple(entry + cmd), workdir, service, compose.dockerfile,
                        stage, compose)


def _image(repo: Repo, path: str, target: str | None) -> tuple[list[str], list[str], Any, str, int | None] | None:
    """The ENTRYPOINT and CMD words of the image a Dockerfile builds (to its `target` stage, default its final
    one: `dockerfile.run_argv`), the last of the two instructions (None: neither), its WORKDIR and the target's
    stage; None when it does not parse or has no such stage."""
    from fixer.errors import ParseError
    from fixer.parsing import dockerfile as dockerfile_parser

    source_file = repo.read(path)
    if source_file is None or source_file.kind != "dockerfile":
        return None
    try:
        stage = dockerfile_parser.stage_named(source_file.instructions, target) if target is not None else None
        if target is not None and stage is None:
            return None
        chain = dockerfile_parser.stage_chain(source_file.instructions, stage)
        entry, cmd, said = dockerfile_parser.run_argv(source_file.instructions, chain)
        return entry, cmd, said, stage_copies([i for i in source_file.instructions if i.stage in chain])[0], stage
    except ParseError:
        return None


def _compose_argv(node: Any) -> list[str]:
    """A compose `command:`/`entrypoint:`'s words: a list's items, a string split as compose splits it (no shell)."""
    if isinstance(node, yamlfile.SequenceNode):
        return [str(n.value) for n in yamlfile.scalars(node)]
    text = " ".join(str(n.value) for n in yamlfile.scalars(node))
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def _compose_text(node: Any) -> str:
    words = [str(n.value) for n in yamlfile.scalars(node)]
    return " ".join(shlex.quote(w) for w in words) if isinstance(node, yamlfile.SequenceNode) else " ".join(words)


# --- what an image holds ------------------------------------------------------------------

Copies = tuple[tuple[str, tuple[str, ...]], ...]  # (destination in the image, sources in the build context)


def stage_copies(stage: list) -> tuple[str, Copies]:
    """A Dockerfile stage's last WORKDIR (where its commands run) and its COPY and ADD from the
    build context (not `--from` another stage or image)."""
    workdir = "/"
    copies = []
    for instruction in stage:
        if instruction.cmd == "WORKDIR" and instruction.value:
            workdir = posixpath.normpath(posixpath.join(workdir, instruction.value[0]))
        elif instruction.cmd in ("COPY", "ADD") and len(instruction.value) > 1 and not any(
                flag.startswith("--from") for flag in instruction.flags):
            *sources, destination = instruction.value
            copies.append((posixpath.normpath(posixpath.join(workdir, destination)), tuple(sources)))
    return workdir, tuple(copies)


def copied_from(repo: Repo, copies: Copies, context: str, image: str, compiled: bool = False) -> str | None:
    """The repository file the stage's COPY and ADD (`stage_copies`) put at `image` (the last that
    writes it wins); `compiled`: else the source of a file the build makes in a copied directory
    (`dist/x.js` of `src/x.ts`, `source_files`). Only which files exist is asked (`repo.exists`)."""
    found = made = None
    for destination, sources in copies:
        for source in sources:
            if any(c in source for c in "*?[$") or "://" in source:
                continue
            local = posixpath.normpath(posixpath.join(context, source))
            local = "" if local == "." else local
            if local.startswith("../"):
                continue
            if repo.exists(local):  # a file: to the destination, or into it by its name
                if image in (destination, posixpath.join(destination, posixpath.basename(local))):
                    found = local
            elif image.startswith(destination.rstrip("/") + "/"):  # a directory: its content, under it
                inside = image[len(destination.rstrip("/")) + 1:]
                if repo.exists(posixpath.join(local, inside)):
                    found = posixpath.join(local, inside)
                elif compiled:
                    made = next(iter(source_files(repo, local + "/" if local else "", inside)), made)
    return found or made


# --- whether docker stop's SIGTERM reaches node -------------------------------------------
#
# Measured, each command run as PID 1 of a PID namespace (`unshare --pid --fork --mount-proc`, as a container's
# process is) and sent SIGTERM during a slow request: dash 0.5.12 (Debian's /bin/sh: node:20, node:20-slim),
# busybox 1.35 (alpine's /bin/sh), bash 5.2, npm 10.9 and 11.19, yarn 1.22, tini 0.19, dumb-init 1.2.5:
# - dash given `-c` runs even a single command as its child, and as PID 1 ignores SIGTERM: node never gets it,
#   `docker stop` kills it after the grace period; `exec node …` (last) hands off: node is PID 1;
# - busybox sh hands off a single command or the last of `a && b` (not after `;`), bash 5.2 a single command;
# - npm passes SIGTERM to the `sh -c "<script>"` it runs the script with, and waits for it: where that sh hands
#   off (busybox, `exec node …`), node drains and npm exits with it; on dash that sh dies of it, npm exits 1 and
#   node is killed mid-request, its handler never run; yarn 1 exits at once even when node has the signal;
# - an init before them (tini, dumb-init, compose `init: true`) changes none of that: it passes the signal to
#   sh or npm and exits when they do, the container and node with it.

_INITS = frozenset({"tini", "tini-static", "dumb-init", "catatonit", "docker-init"})
_NODE = frozenset({"node", "nodejs"})
_PLAIN_WORD = re.compile(r"^[\w./:@%+=,-]+$")
_SETTING = re.compile(r"^[A-Za-z_]\w*=")


def sigterm_blocked(repo: Repo, process: Process) -> str | None:
    """Why the SIGTERM `docker stop` (or Kubernetes) sends a container never reaches the node a process runs
    (a `probes.Process`: its `command`, its image), and what to write instead; None when it does or fixer
    cannot tell (a base image or shell it does not know, a runner it has not measured: pnpm, tsx, nodemon)."""
    said = process.command
    try:
        argv = shlex.split(said)
    except ValueError:
        return None
    init = ""
    while argv and posixpath.basename(argv[0]) in _INITS:  # (it passes the signal on and exits with its child)
        init, argv = posixpath.basename(argv[0]), argv[1:]
        while argv and argv[0].startswith("-"):
            argv = argv[1:]
    package = process.service.package if isinstance(process.service.package, dict) else {}
    scripts = package.get("scripts") if isinstance(package.get("scripts"), dict) else {}
    image, sh = _image_shell(repo, process)
    compose = process.compose
    parent = init  # what runs the current program ("": it is PID 1)
    for _depth in range(6):
        program = posixpath.basename(argv[0]) if argv else ""
        text = _shell_text(argv)
        if text is not None:
            family = sh if program == "sh" else "busybox" if program in ("ash", "busybox") else program
            hands_off, words = _hands_off(family, text)
            if hands_off is None:
                return None
            if hands_off:
                argv = words  # (exec: the shell becomes it, in its place)
                continue
            shell = f"`{argv[0]} -c`" + (f" ({image}'s /bin/sh: dash)" if program == "sh" else "")
            if not parent:
                why = (f"`{said}` is PID 1, and {shell} runs its command as a child and, as PID 1, ignores SIGTERM: "
                       "node never gets it, and the container is killed (SIGKILL) after the stop grace period")
            else:
                runs = "the script" if parent == "npm" else "its command"
                why = (f"`{said}`: {parent} passes SIGTERM to the {shell} it runs {runs} with, which dies of it "
                       f"without passing it on: {parent} exits and node is killed mid-request")
            return _blocked(why, _node_words(words, scripts), compose)
        if program == "npm":
            script = _npm_script(argv, scripts)
            if script is None:
                return None
            argv, parent = ["sh", "-c", script], "npm"  # (npm runs a script with /bin/sh)
            continue
        if program == "yarn" and str(package.get("packageManager") or "yarn@1").startswith("yarn@1"):
            why = (f"`{said}` runs yarn 1, which exits as soon as it gets SIGTERM, without waiting for the script it "
                   "runs: the container ends and node is killed mid-request")
            return _blocked(why, _node_words(["npm", "run"] + _script_name(argv), scripts), compose)
        return None  # (node: PID 1, or the child npm waits for; a runner not measured: not known)
    return None


def _blocked(why: str, node: list[str] | None, compose: bool) -> str:
    if node and all(_PLAIN_WORD.match(word) for word in node):
        words = ", ".join(f'"{word}"' for word in node)
        advice = f"`command: [{words}]`" if compose else f"`CMD [{words}]`"
    else:
        advice = ("the exec form of " + ("`command:`" if compose else "CMD") + " (`[\"node\", \"<file>\"]`), or `exec "
                  "node …` as the last command of a shell")
    return (f"SIGTERM does not reach node: {why}, so its SIGTERM handler never runs; start node itself as PID 1: "
            f"{advice} (an init — tini, dumb-init, compose `init: true` — does not help while sh or npm stands "
            "between it and node)")


def _shell_text(argv: list[str]) -> str | None:
    """The command a shell is given (`/bin/sh -c "npm start"`, `bash -lc …`, `busybox sh -c …`), else None."""
    if argv and posixpath.basename(argv[0]) == "busybox" and argv[1:2] in (["sh"], ["ash"]):
        argv = argv[1:]
    if not argv or posixpath.basename(argv[0]) not in ("sh", "bash", "ash", "dash"):
        return None
    for index, word in enumerate(argv[1:], 1):
        if not word.startswith("-"):
            return None
        if not word.startswith("--") and "c" in word[1:]:
            return argv[index + 1] if index + 1 < len(argv) else None
    return None


def _hands_off(family: str, text: str) -> tuple[bool | None, list[str]]:
    """Whether a shell of this family ("dash", "busybox", "bash"; "" not known) given `text` with `-c` becomes
    its last command (exec), and that command's words (`PORT=3000` settings before it left out); None: not known."""
    try:
        words = shlex.split(re.split(r"&&|;|\n", text)[-1])
    except ValueError:
        return None, []
    while words and _SETTING.match(words[0]):
        words = words[1:]
    other = re.search(r"\|\||\||&(?!&)|`|\$\(", text.replace("&&", ""))  # (pipes, background, substitutions)
    sequenced = re.search(r"[;\n]", text) is not None
    if words[:1] == ["exec"] and not other:
        return True, words[1:]
    if family == "dash":
        return False, words
    if family == "busybox" and not other:
        return not sequenced, words
    if family == "bash" and not other and not sequenced and "&&" not in text:
        return True, words
    return None, words


def _npm_script(argv: list[str], scripts: dict) -> str | None:
    """The package.json script `npm start` / `npm run <name>` runs (`npm start` with none: `node server.js`)."""
    words = [w for w in argv[1:] if not w.startswith("-")]
    if words[:1] == ["start"]:
        script = scripts.get("start", "node server.js")
    elif words[:1] in (["run"], ["run-script"]) and len(words) > 1:
        script = scripts.get(words[1])
    else:
        return None
    return script if isinstance(script, str) else None


def _script_name(argv: list[str]) -> list[str]:
    """The script `yarn start` / `yarn run x` / `yarn x` runs ([] when none)."""
    words = [w for w in argv[1:] if not w.startswith("-")]
    return words[1:2] if words[:1] == ["run"] else words[:1]


def _node_words(words: list[str], scripts: dict) -> list[str] | None:
    """The words of the node command a process ends in (through `npm start`/`npm run x` scripts that are a single
    command): what its exec form would be; None when fixer cannot tell."""
    for _depth in range(4):
        if words[:1] == ["exec"]:
            words = words[1:]
        if not words or _SETTING.match(words[0]):
            return None  # (an environment setting the exec form cannot write)
        if posixpath.basename(words[0]) in _NODE:
            return ["node"] + words[1:]
        script = _npm_script(words, scripts) if words[0] == "npm" else None
        if script is None or re.search(r"[|&;<>`\n$]", script):
            return None
        try:
            words = shlex.split(script)
        except ValueError:
            return None
    return None


def _image_shell(repo: Repo, process: Process) -> tuple[str, str]:
    """The image a container process runs in (its Dockerfile's final stage, or a compose `build.target`'s, an
    `ARG`'s default read) and what its /bin/sh is: "dash" (Debian-based: node:20, node:20-slim, debian, ubuntu),
    "busybox" (alpine, node:20-alpine), "" (not known: another base, a tag fixer cannot read)."""
    from fixer.errors import ParseError
    from fixer.parsing import dockerfile as dockerfile_parser

    container = next((c for c in containers(repo) if (c.file, c.name) == (process.file, process.name)), None)
    source_file = repo.read(container.dockerfile) if container is not None else None
    if container is None or source_file is None or source_file.kind != "dockerfile":
        return "", ""
    try:
        instructions = source_file.instructions
        first = dockerfile_parser.stage_chain(instructions, container.stage)[0]
    except ParseError:
        return "", ""
    start = next((i for i in instructions if i.stage == first and i.cmd == "FROM" and i.value), None)
    if start is None:
        return "", ""
    defaults = {name: value for i in instructions if i.cmd == "ARG" for name, sep, value
                in (item.partition("=") for item in i.value) if sep}
    image = re.sub(r"\$\{?(\w+)\}?", lambda m: defaults.get(m.group(1), m.group(0)), start.value[0])
    where, _, named = image.partition("@")[0].rpartition("/")
    name, _, tag = named.lower().partition(":")
    if "$" in image or where not in ("", "library", "docker.io/library") and not where.endswith("/library"):
        return image, ""  # (an image of another publisher: its /bin/sh is its own)
    if name == "alpine" or name == "node" and "alpine" in tag:
        return image, "busybox"
    if name in ("debian", "ubuntu", "buildpack-deps") or name == "node" and not re.search(r"nanoserver|windows", tag):
        return image, "dash"
    return image, ""
