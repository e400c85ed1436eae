"""What a service's package.json scripts run, and which of those files are the service's own
process: one answer for every fix and the checklist (a load harness run by `npm run load`, a
seed run by `npm run seed` is no server to give a SIGTERM handler, a degraded start or a
logger's stdout)."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Iterator

from fixer.parsing import yamlfile
from fixer.repo import Repo, Service

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
    `main`, what a script named for the service runs (`SERVICE_SCRIPT`), and what its Dockerfile or a
    compose `command:` built from it runs (`CMD ["npm", "run", "load"]`, `command: node dist/x.js`)."""
    scripts = service.package.get("scripts") if isinstance(service.package, dict) else None
    base = service.dir + "/" if service.dir else ""
    process = {service.entry} if service.entry else set()
    main = service.package.get("main") if isinstance(service.package, dict) else None
    if isinstance(main, str):
        process.update(source_files(repo, base, posixpath.normpath(main.removeprefix("./"))))
    for file in repo.image_runs(service):  # (its entry may be `main`, an app factory the image's program loads)
        process.update(source_files(repo, base, posixpath.normpath(file.removeprefix("./"))))
    found: dict[str, list[str]] = {}
    if isinstance(scripts, dict) and scripts:
        deployed = b"\n".join(_deployed_commands(repo, service))
        for name, command in scripts.items():
            if not isinstance(command, str):
                continue
            serving = SERVICE_SCRIPT.search(str(name)) is not None or re.search(
                rb"\b(?:run(?:-script)?|yarn|pnpm|bun)[\s\"',]+" + re.escape(str(name).encode()) + rb"(?![\w:-])", deployed)
            for file in files_run(command):
                for path in source_files(repo, base, file):
                    found.setdefault(path, []).append(str(name))
                    if serving or file.encode() in deployed:
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


_HEALTHCHECK = re.compile(rb"(?im)^[ \t]*HEALTHCHECK\b(?:[^\n]*\\\r?\n)*[^\n]*")


def _deployed_commands(repo: Repo, service: Service) -> Iterator[bytes]:
    """The service's Dockerfiles, and the `command:`/`entrypoint:` of the compose services built
    from its directory (`command: npm run worker`: a process of the service's)."""
    for path in service.dockerfiles:
        source = repo.read(path)
        if source is not None:  # (what a HEALTHCHECK runs is the probe's, not a process of the service)
            yield _HEALTHCHECK.sub(b"", source.data)
    for compose in repo.compose_services:
        if compose.context != service.dir and compose.dockerfile not in service.dockerfiles:
            continue
        for key in ("command", "entrypoint"):
            pending = [node] if (node := yamlfile.get(compose.node, key)) is not None else []
            while pending:
                current = pending.pop()
                if isinstance(current.value, list):
                    pending.extend(item for item in current.value if isinstance(item, yamlfile.Node))
                elif isinstance(current.value, str):
                    yield current.value.encode("utf-8", "replace")


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
