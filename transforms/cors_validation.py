"""Read CORS origins from the environment and fail fast when production has none.

## What it does

Finds CORS origin lists that fall back to a localhost default when the
environment does not set them —
`process.env.CORS_ORIGIN?.split(',') || ['http://localhost:5173']`,
`(process.env.CORS_ORIGIN || 'http://localhost:3000').split(',')`, ternaries
(`process.env.CORS_ORIGINS ? process.env.CORS_ORIGINS.split(',') : [...]`),
a constant's list with a localhost fallback (`LIST.length > 0 ? LIST : ['http://localhost:3000']`,
`raw ? raw.split(',') : [...]`, where the file reads LIST or raw from the environment with
no default but an empty one: `process.env.CORS_ORIGINS?.split(',') ?? []`; one imported
from a config module, or read from a parsed config object, is reported: fixer cannot see
where it is read),
with `??`, `.map(trim)` chains or `process.env['CORS_ORIGIN']`, the default written there or held
in a constant of the file or of the function around it (`: DEFAULT_ORIGINS`, with `const DEFAULT_ORIGINS =
['http://localhost:3000']`, or one origin string: the check pushes `...DEFAULT_ORIGINS`, which stays
the one place they are written; a default fixer cannot read the origins of — imported, a parameter,
a config object's field — is reported, unless the file already exits without the variable) — whether they
are written inline in `cors({ origin })`, in Socket.IO's `cors.origin`, in
`fastify.register(cors, { origin })`, in a constant, or in a config object
holding the list (`config.cors.origins`).

Each file gets one constant, read from the environment variable, trimmed,
empty entries dropped, and every use in the file shares it. A constant that
already holds the list keeps its name and place (unless a use comes before it
or it is `readonly`); otherwise a `corsOrigins` constant goes above the first
use — inside the function, above the statement that reads it, for a list read in a
function (`createApp()`): at the top level it would be read when the module loads,
before the caller's `dotenv.config()` (a function run per request — one the origin callback
calls, a middleware — is reported instead: an exit there would come with the first request; a
Fastify plugin, `fp(async (fastify) => …)` or `app.register(async (instance) => …)`, runs once as the
app boots and is fixed like any function)
— and a constant holding one origin string (`const ORIGIN =
process.env.CORS_ORIGIN || '…'`) gives way to it where it is split or used as
the origin — and goes, when nothing else uses it (`ORIGIN.trim()` compared with a
header is still one string: the constant stays for it). The new lines read the
environment as the file does: `process.env['CORS_ORIGIN']` when it never uses a
dot, or when `noPropertyAccessFromIndexSignature` requires that (set in the file's
nearest tsconfig.json or a config it `extends` by relative path: a dot that compiles
there reads a declared variable, a new one would not be). A variable read through an object made by
validating process.env — `env.CORS_ORIGIN?.split(',')` with `export const env = schema.parse(process.env)`
(zod's `.parse`, envalid's `cleanEnv`, t3-env's `createEnv`, the `.data` of a `.safeParse(process.env)`, or a
function of the module every return of which is one: `export const env = parseEnv()`; made in the file, or
imported from a module or a workspace package, re-exported too) — is that variable where the schema lets it be unset with no
default of its own (a key the schema requires or defaults is checked or set there; a member the code does not
split or trim may be no string): the new list reads it through the object, `(env.CORS_ORIGIN || '')`, the
value the schema gave it, a string or undefined as the `.split` on it said; the defaults stay in the file,
pushed outside production, as for process.env.

```ts
const corsOrigins = (process.env.CORS_ORIGIN || '')
  .split(',')
  .map((origin) => origin.trim())
  .filter(Boolean);
if (corsOrigins.length === 0) {
  if (process.env.NODE_ENV === 'production') {
    logger.error('CORS_ORIGIN must be set in production');
    process.exit(1);
  }
  corsOrigins.push('http://localhost:5173', 'http://localhost:3000');
}
```

In production an unset (or blank) variable stops the service at start-up with
a logged error; the localhost defaults apply only outside production. A variable the
new code requires that no env template of the service (else the repository's) names is
documented there, empty, with a comment saying it is required in production: a team
deploying the branch finds what to set where it looks. A compose file that runs the service in
production (NODE_ENV=production from its `environment:`, an `env_file:` it reads or its image; a
production file layered on the base beside it read with that base) and gives it no such variable (and
reads no env file the repository does not hold: the deployment's, which the env templates tell), an
empty one, or one that is only localhost origins where the shell sets nothing (`http://localhost:3000`,
`${CORS_ORIGIN:-http://localhost:3000}`: compose fills that in, so production allows only localhost and
the check never fires) is reported at the service with the entry to add, also once the check is merged (read
from the file as this fix writes it): only the deployment knows the origins, and
`${CORS_ORIGIN:?…}` would stop every `docker compose` command of the file, development's too. The error
is logged through the repository's logger (the import is added when needed), else through the
logger of a Fastify instance made above the check with one (`Fastify({ logger: true })`: `app.log`;
`logger.writing_logger`, the rule every fix's new log lines follow), else `console`
(also when that logger would not exist yet at that point: created further
down, or a module that itself imports the file, like a config module; or when it
is not shown to have `error`, or takes a tag before the message: `logger.unfit_levels`;
the finding says which).

`cors`, `@fastify/cors`, Hapi, NestJS's `enableCors` and Socket.IO take the list. `@koa/cors`
takes one origin string or a function of the context (a list is sent as one
`Access-Control-Allow-Origin` header per entry, which browsers reject, and no origin is
checked): where the options are written in its call, the origin becomes
`(ctx) => (corsOrigins.includes(ctx.get('Origin')) ? ctx.get('Origin') : '')` — the request's
origin when the list holds it, no CORS headers when not. Options kept elsewhere (a constant,
untyped by the call) and `koa-cors` are reported.

A lone `*` keeps its meaning. Where the origin took the variable as one string
(`origin: process.env.CORS_ORIGIN || 'http://localhost:3000'`, or a constant holding it),
`CORS_ORIGIN=*` answered every origin with `*` (`cors`, `@fastify/cors`, `@koa/cors`,
Socket.IO, Nest); `cors` (so Socket.IO and Nest on Express) compares a list's entries
with the request's origin as they are, so the list `['*']` would match none and silently
refuse every browser origin (@fastify/cors 9 and Hapi read a `*` entry as `*`, older
fastify-cors does not). There the origin becomes
`corsOrigins.length === 1 && corsOrigins[0] === '*' ? '*' : corsOrigins` (inside
@koa/cors's function alike). Where the variable was split already, `*` meant in a list
what it means to the package before the fix, and still does.

A default that allows every origin — `'*'`, or `true` (`cors` and @fastify/cors then reflect
the request's origin): `origin: process.env.CORS_ORIGIN ?? '*'`, `process.env.ALLOWED_ORIGINS?.split(',')
|| true`, a constant holding one, the ternaries above — opens CORS to every site when production
lacks the variable. It takes the same rewrite with nothing to push: the check is
`if (corsOrigins.length === 0 && process.env.NODE_ENV === 'production') { … process.exit(1) }`,
and each CORS site keeps the default's own value for an empty list, outside production:
`origin: corsOrigins.length === 0 ? '*' : corsOrigins` (`['*']` where the default was split
with the variable, `true` for `true`; a lone `*` set in the variable kept as above). Reported
instead: such a list that would reach anything but a CORS site (a route reading it, a config
field, an exported or local constant, `@koa/cors` with a default other than `'*'`), a default
holding `*` beside origins, and a file whose lists fall back to localhost and to every origin. A
ternary that tests the variable for `'*'` (`E === '*' ? '*' : E.split(',')`) has no default.

Variables with other names (`FRONTEND_URL`, `CLIENT_URL`, `CORS_WHITELIST`) are
rewritten only where they are a CORS origin (`cors({ origin: process.env.FRONTEND_URL ||
'http://localhost:3000' })`) or a list an origin callback checks the request's
origin against (`whitelist.includes(origin)`, `.indexOf(origin) !== -1`,
`.some(…)`, `.find(…)`, `.findIndex(…)`, `new Set(list).has(origin)`, also in a function the callback calls, like
`isAllowed(origin)`; `[process.env.CLIENT_URL || '…']` is a list of that one origin); the
same default used to build links in emails is left alone. Not changed: lists that
are already validated (an `if` on the variable, or on a constant read from it, that exits or throws), defaults that are production
origins (`|| ['https://app.example.com']`), and code in comments. Reported for a
human: defaults that mix production and localhost origins, lists beside other origins
(`[/\\.example\\.com$/, ...list]`, a production origin, another list, also where the list is a
constant, and a callback's `list.includes(origin) || /re/.test(origin)` or `|| origin === 'https://…'`:
production may work through those without the variable, and every list of such a file), one file reading
origins from several variables, a CORS origin read from the environment
without any check (unset, `cors()` falls back to allowing every origin), one
origin string with a localhost default that is not itself the CORS origin (a
config field, a function's return value, the string an origin callback compares
the request's origin with — `origin === FRONTEND_URL`: a list would not type there), and
lists read only under a condition (`if (process.env.ENABLE_CORS === 'true')`), or
kept in a top-level constant that the file uses only under conditions — or only in
functions every call of which is under one, or that the file neither calls nor
exports (an exit at start-up would also stop the deployments that never take them).
Also reported: CORS that allows every origin with no variable to read — no origin given
(`cors()`, `cors({ credentials: true })`, `fastify.register(cors)`, `app.enableCors()`,
Socket.IO's `cors: {}`; Nest's `NestFactory.create(AppModule, { cors: true })`, Hapi's `cors: true`
in a server's `routes` or a route's `options`: each package's default is every origin) or
`origin: '*'` / `origin: true` written in (Hapi's `origin: ['*']` or `'ignore'`): it may be a public
API, and a new variable would stop a production deployment that never set it (options kept in a
constant or spread from one are not read).

## Why

With `CORS_ORIGIN` missing from a production deployment, the service starts and
quietly allows only `http://localhost:*`: every browser request from the real
frontend fails its CORS check, and nothing says why. With a `'*'` (or `true`) default it is
worse and as quiet: every site may call the API from a browser. The audit's Fix 10 makes a
missing configuration a start-up failure with a clear message.

## Example

```diff
+const corsOrigins = (process.env.CORS_ORIGIN || '')
+  .split(',')
+  .map((origin) => origin.trim())
+  .filter(Boolean);
+if (corsOrigins.length === 0) {
+  if (process.env.NODE_ENV === 'production') {
+    logger.error('CORS_ORIGIN must be set in production');
+    process.exit(1);
+  }
+  corsOrigins.push('http://localhost:5173', 'http://localhost:3000');
+}
+
 app.use(cors({
-  origin: process.env.CORS_ORIGIN?.split(',') || ['http://localhost:5173', 'http://localhost:3000'],
+  origin: corsOrigins,
   credentials: true,
 }));
```

## Fix safety

Safe. Outside production the service behaves as before (the same localhost
defaults, now also when the variable is set but blank); a production
deployment that already sets the variable behaves as before, except that
spaces around commas and empty entries no longer produce origins that can never
match. A production deployment that relied on the localhost (or every-origin) default now
stops at start-up — which is the point: set the variable. A `'*'` or `true` default still
applies outside production, where the variable is unset or blank.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Iterator

from fixer import envtemplate, logger
from fixer.model import Edit, Finding, FixInfo
from fixer.parsing import compose_edit, envschema, typescript, yamlfile
from fixer.parsing.typescript import Imported, Node
from fixer.parsing.yamlfile import ScalarNode
from fixer.probes import compose_env, env_file_entries
from fixer.repo import CODE_KINDS, ComposeService, FactsSpec, Repo, SourceFile

INFO = FixInfo(
    id="cors-validation",
    title="Validate CORS origins at start-up",
    audit="Fix 10",
    week=3,
    order=10,
    severity="medium",
    safety="safe",
    kinds=frozenset({"ts", "tsx", "js"}),
    version=22,  # 22: the check logs through logger.writing_logger (a Fastify instance's app.log); 21: a production compose value that is or defaults to localhost origins only is reported; compose overlays joined by Repo.compose_bases; 20: a variable the fixed code requires in production documented in the env templates; 19: no workspace logger a service's image cannot hold; 18: the logger chosen and imported as console-to-logger 23 does (path alias scope, TypeScript package entries, request-logger middleware); 17: a validated env object's member (env.CORS_ORIGIN of zod/envalid/t3-env parse of process.env) is the env read it is; 16: NestFactory.create({ cors }) and Hapi cors options (routes, route options, Glue manifests) allowing every origin reported; 15: CORS that allows every origin with no variable to configure (cors(), register(fastifyCors), origin: true) reported; 14: a default held in a constant of the function around it; one fixer cannot read reported; no logger import a CommonJS TypeScript file cannot load; 13: a default held in a top-level constant (`: DEFAULT_ORIGINS`); 12: a default of '*' or `true` (every origin) is rewritten like a localhost one, the CORS site keeping it for an empty list outside production; 11: a Fastify plugin (fp(…), .register(…)) runs at start-up, not per request; 10: a one-string origin keeps a lone '*'; tag-first logger notes (logger.unfit_levels); 9: a logger's level methods checked before a call is written (logger.LOGGER_CALLS); npm logger packages only where the image resolves them; 8: a logger required and made in one expression (`require('log4js').getLogger()`) is the file's own; 7: a workspace package's logger imported by its name; 6: @koa/cors gets a function of ctx, not the list; 5: the logger import follows the file's extension habit; 2: lists run per request, beside other origins, checked in helpers; 3: constant lists beside other
    # origins; 4: `LIST.length ? LIST : [localhost]` fallbacks of a constant list
    prefilter=(b"process.env", b"localhost", b"127.0.0.1", b"cors", b"Cors"),  # (a fallback of an imported list reads no process.env; `cors()`)
    structural="files",  # scan: the logger import (module resolution, service directories)
)

CORS_ENV = re.compile(r"^(CORS_(ALLOWED_)?ORIGINS?|ALLOWED_(CORS_)?ORIGINS?)$")
LOCAL_ORIGIN = re.compile(r"^https?://(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(:\d+)?/?$")
CORS_MODULES = frozenset({"cors", "@fastify/cors", "fastify-cors", "@koa/cors", "koa-cors"})
CHAIN_METHODS = frozenset({"split", "map", "filter", "trim"})
# defaults that allow every origin: `'*'`, and `true` (`cors` and @fastify/cors reflect the request's origin)
PERMISSIVE = frozenset({"*", "true"})


@dataclass(frozen=True)
class Context:
    loggers: tuple[tuple[str | None, logger.LoggerImport], ...]
    # logger module -> the repository files it imports (a config module it reads its level from)
    logger_imports: tuple[tuple[str, frozenset[str]], ...]
    env_projects: tuple[tuple[str, tuple[str, ...]], ...]  # tsconfig.json directory -> kinds reading process.env['X']
    # module -> its top-level constants holding an origin list read from the environment with no
    # localhost default: (name, variable, whether the module exits or throws when it is empty)
    env_lists: tuple[tuple[str, tuple[tuple[str, str, bool], ...]], ...] = ()
    # what the repository's loggers take and the level methods they have (`logger.logger_shapes`)
    shapes: logger.Shapes = ()
    # module -> its top-level objects made by validating process.env (`_env_objects_of`)
    env_objects: tuple[tuple[str, tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]], ...] = ()


def prepare(repo: Repo, options: dict) -> Context:
    loggers = logger.infer(repo)
    modules = sorted({c.target for c in loggers.values() if c.target})
    return Context(tuple(sorted(loggers.items(), key=lambda kv: str(kv[0]))),
                   tuple((module, frozenset(_imported_files(repo, module))) for module in modules),
                   repo.env_bracket_projects(),
                   tuple(sorted((path, found) for path, found in repo.facts_of(ENV_LISTS).items() if found)),
                   logger.logger_shapes(repo),
                   tuple(sorted((path, found) for path, found in repo.facts_of(ENV_OBJECTS).items() if found)))


def _env_lists_of(source_file: SourceFile) -> tuple[tuple[str, str, bool], ...]:
    """The module's top-level lists read from the environment (`const ORIGINS =
    process.env.CORS_ORIGINS?.split(',')`): (name, variable, whether the module checks it).
    A list is split from the variable's text: a file that splits nothing is not parsed (most
    files that read `process.env` read a port or a URL)."""
    if b"split" not in source_file.data:
        return ()
    root = source_file.tree.root_node
    validated = _validated_envs(root)
    found = []
    for statement in root.named_children:
        for name, _declarator in _declared(statement):
            value = _constant_value(root, name)
            env, _split = _env_chain(_without_empty_default(value)) if value is not None else (None, False)
            if env is not None:
                found.append((name, env, env in validated))
    return tuple(found)


ENV_LISTS = FactsSpec("cors-validation/env-lists", _env_lists_of, CODE_KINDS, (b"process.env",), version=2)


# --- objects made by validating process.env ----------------------------------------------

# the calls whose result is the validated object itself (not `safeParse`'s `{ success, data }`, nor joi's
# `validate`'s `{ value, error }`): zod's `.parse`, joi's `Joi.attempt`, yup's `.validateSync`/`.cast`,
# envalid's `cleanEnv`, t3-env's `createEnv`
_VALUE_CALLS = frozenset({"parse", "parseAsync", "attempt", "validateSync", "cast", "cleanEnv", "createEnv"})
# a key's schema that lets it be unset (zod/valibot `optional`, `nullish`) with no default of the schema's own
_MAY_BE_UNSET = re.compile(rb"\b(?:optional|nullish)\b")
_SCHEMA_DEFAULT = re.compile(rb"\b(?:default|devDefault|catch)\b")


def _env_objects_of(source_file: SourceFile) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """The module's top-level constants holding process.env validated by a schema (`export const env =
    z.object({ CORS_ORIGIN: z.string().optional() }).parse(process.env)`, `cleanEnv(process.env, …)`,
    `createEnv({ runtimeEnv: process.env, … })`), as the checklist reads "a schema given the environment":
    (local name, the names it is exported as, the keys the schema lets be unset with no default of its own).
    Their members are those variables, read: `env.CORS_ORIGIN` is `process.env.CORS_ORIGIN` (a key the schema
    requires, or gives a default, is never unset there)."""
    if envschema.VALIDATES_ENV.search(source_file.data) is None:
        return ()
    root = source_file.tree.root_node
    imports = typescript.import_table(root)
    exported: dict[str, list[str]] = {}
    for statement in root.named_children:
        if statement.type != "export_statement" or statement.child_by_field_name("source") is not None:
            continue
        value = statement.child_by_field_name("value")
        if value is not None and value.type == "identifier":  # `export default env`
            exported.setdefault(value.text.decode(), []).append("default")
        for name, _declarator in _declared(statement):  # `export const env = …`
            exported.setdefault(name, []).append(name)
        for specifier in typescript.descendants(statement, "export_specifier"):  # `export { env as config }`
            local, alias = specifier.child_by_field_name("name"), specifier.child_by_field_name("alias")
            if local is not None:
                exported.setdefault(local.text.decode(), []).append((alias or local).text.decode())
    validations = {call.id: schemas for call, schemas in envschema.validated_env_schemas(root, source_file.kind)}
    found = []
    for statement in root.named_children:
        for local, declarator in _declared(statement):
            if not (typescript.enclosing_statement(declarator).text or b"").lstrip().startswith((b"const", b"export const")):
                continue
            call = _validated_value(declarator.child_by_field_name("value"), validations)
            if call is None:
                continue
            keys = envschema.SchemaKeys()
            for schema in validations[call.id]:
                envschema.schema_keys(schema, keys, imports)
            unset = []
            for key, node in keys.keys:
                pair = node.parent
                value = pair.child_by_field_name("value") if pair is not None and pair.type == "pair" else None
                text = value.text or b"" if value is not None else b""
                if _MAY_BE_UNSET.search(text) and not _SCHEMA_DEFAULT.search(text):
                    unset.append(key)
            found.append((local, tuple(exported.get(local, ())), tuple(unset)))
    return tuple(found)


def _validated_value(node: Node | None, validations: dict[int, list[Node]], depth: int = 0) -> Node | None:
    """The validation of process.env (a call of `validations`) whose result `node` is: the call itself
    (`schema.parse(process.env)`, `cleanEnv(…)`, `createEnv(…)`), `parsed.data` of a constant holding
    `schema.safeParse(process.env)`, or the call of a function of the file given nothing every return of
    which is one (`function parseEnv() { const parsed = schema.safeParse(process.env); if (!parsed.success)
    throw …; return parsed.data }`); None for anything else."""
    node = typescript.unwrap(node)
    if node is None or depth > 3:
        return None
    if node.type == "call_expression" and node.id in validations:
        callee = node.child_by_field_name("function")
        method = callee.child_by_field_name("property") if callee is not None and callee.type == "member_expression" else callee
        return node if method is not None and (method.text or b"").decode() in _VALUE_CALLS else None
    if node.type == "member_expression" and (node.child_by_field_name("property").text or b"") == b"data":
        holder = typescript.unwrap(node.child_by_field_name("object"))
        declarator = typescript.declarator_in_scope((holder.text or b"").decode(), holder) \
            if holder is not None and holder.type == "identifier" else None
        call = typescript.unwrap(declarator.child_by_field_name("value")) if declarator is not None else None
        callee = call.child_by_field_name("function") if call is not None and call.type == "call_expression" else None
        if call is not None and call.id in validations and callee is not None and callee.type == "member_expression" \
                and callee.child_by_field_name("property").text in (b"safeParse", b"safeParseAsync"):
            return call
        return None
    arguments = node.child_by_field_name("arguments") if node.type == "call_expression" else None
    callee = node.child_by_field_name("function") if node.type == "call_expression" else None
    if callee is None or callee.type != "identifier" or arguments is None or typescript.list_items(arguments):
        return None
    root = node
    while root.parent is not None:
        root = root.parent
    function = next((s for s in root.named_children for s in [s.child_by_field_name("declaration")
                                                              if s.type == "export_statement" else s]
                     if s is not None and s.type == "function_declaration"
                     and s.child_by_field_name("name").text == callee.text), None)
    if function is None:
        declarator = typescript.declarator_in_scope((callee.text or b"").decode(), node)
        function = typescript.unwrap(declarator.child_by_field_name("value")) if declarator is not None else None
    body = function.child_by_field_name("body") if function is not None and function.type in (
        "function_declaration", "arrow_function", "function_expression", "function") else None
    if body is None or body.type != "statement_block":
        return None
    returns = [r for r in typescript.descendants(body, "return_statement") if typescript.enclosing_function(r) == function]
    found = [_validated_value(r.named_children[0] if r.named_children else None, validations, depth + 1) for r in returns]
    return found[0] if found and all(call is not None for call in found) else None


ENV_OBJECTS = FactsSpec("cors-validation/env-objects", _env_objects_of, CODE_KINDS, (b"process.env",), version=1)
_REEXPORT = re.compile(rb"\bexport\s*(\*|\{[^{}]*\})\s*from\s*['\"]([^'\"\n]+)['\"]")


def _exported_env_object(repo: Repo, from_file: str, module: str, name: str, objects: dict,
                         depth: int = 0) -> tuple[str, ...] | None:
    """The keys (`_env_objects_of`) of the validated env object that `module`, imported by `from_file`,
    exports as `name`: made there, or re-exported from another module (`export * from './env'`,
    `export { env } from './env'`); None when it is no such object, or fixer cannot follow it."""
    target = logger.resolve_import(repo, from_file, module)
    if target is None and not module.startswith(".") and logger.package_name(module) in logger.workspace_packages(repo):
        target = logger.package_entry(repo, module)
    if target is None or depth > 3:
        return None
    for _local, names, keys in objects.get(target, ()):
        if name in names:
            return keys
    source = repo.read(target) if repo.exists(target) else None
    for m in _REEXPORT.finditer(source.data if source is not None else b""):
        names = m.group(1).decode("utf-8", "replace")
        inner = name
        if names != "*":
            pairs = [part.split(" as ") for part in names.strip("{} \n").split(",") if part.strip()]
            inner = next((p[0].strip() for p in pairs if p[-1].strip() == name), "")
        if inner:
            keys = _exported_env_object(repo, target, m.group(2).decode("utf-8", "replace"), inner, objects, depth + 1)
            if keys is not None:
                return keys
    return None


def _file_env_objects(source_file: SourceFile, context: Context, table: dict[str, Imported]) -> dict[str, tuple[str, ...]]:
    """Local name -> the keys the schema lets be unset, of the validated env objects this file makes or
    imports (by name: `import { env } from '@acme/config'`)."""
    objects = dict(context.env_objects)
    found = {local: keys for local, _names, keys in objects.get(source_file.path, ())}
    if not objects:
        return found
    for local, imported in table.items():
        if imported.name == "*" or local in found or not re.search(rb"(?<![\w$.])" + re.escape(local.encode()) + rb"\??\.",
                                                                   source_file.data):
            continue
        keys = _exported_env_object(source_file.repo, source_file.path, imported.module, imported.name, objects)
        if keys:
            found[local] = keys
    return found


_env_objects_seen: list = [None]  # (the file being scanned's root, its `_file_env_objects`): `_env_read`


def _env_read(node: Node | None, as_text: bool = True) -> str | None:
    """The variable `node` reads: `process.env.X` (`typescript.env_name`), or `env.X` where `env` is an
    object made by validating process.env (`_env_objects_of`) whose schema lets X be unset: as text
    (`as_text`: split or trimmed, `env.X?.split(',')`, `(env.X || 'a').split(',')` — where the code
    treats it as the variable's string, as the fix's own reading does), or anywhere (a condition)."""
    name = typescript.env_name(node)
    seen = _env_objects_seen[0]
    if name is not None or seen is None or node is None or node.type != "member_expression":
        return name
    holder, prop = typescript.unwrap(node.child_by_field_name("object")), node.child_by_field_name("property")
    if holder is None or holder.type != "identifier" or prop is None or prop.type != "property_identifier":
        return None
    keys = seen[1].get((holder.text or b"").decode())
    if keys is None or (prop.text or b"").decode() not in keys:
        return None
    root = node
    while root.parent is not None:
        root = root.parent
    if root != seen[0] or any(scope.start_byte <= node.start_byte < scope.end_byte for scope in
                              typescript.local_binding_scopes("", root, (holder.text or b"").decode())):
        return None  # (another file's tree; a parameter or local `env` there)
    if as_text and not _read_as_text(node):
        return None
    return (prop.text or b"").decode()


def _read_as_text(node: Node) -> bool:
    """`node.split(…)`, `node?.trim()`, `(node || 'a').split(…)`: a string method is called on it."""
    parent = typescript.outer_parens(node).parent
    while parent is not None and parent.type == "non_null_expression":
        parent = typescript.outer_parens(parent).parent
    if parent is not None and parent.type == "binary_expression" and _operator(parent) in ("||", "??") \
            and parent.child_by_field_name("left") is not None \
            and parent.child_by_field_name("left").start_byte <= node.start_byte < parent.child_by_field_name("left").end_byte:
        parent = typescript.outer_parens(parent).parent
    if parent is None or parent.type != "member_expression" or parent.parent is None or parent.parent.type != "call_expression":
        return False
    prop = parent.child_by_field_name("property")
    return prop is not None and prop.text in (b"split", b"trim") and parent.parent.child_by_field_name("function").id == parent.id


def _reader(sources: list[Source]) -> str:
    """The object the sources read their variable from (`env` of `env.CORS_ORIGIN`), "" for process.env."""
    for source in sources:
        for node in typescript.descendants(source.node, "member_expression"):
            if typescript.env_name(node) is None and _env_read(node) is not None:
                return (typescript.unwrap(node.child_by_field_name("object")).text or b"").decode()
    return ""


def _imported_files(repo: Repo, path: str) -> Iterator[str]:
    module = repo.read(path) if repo.exists(path) else None
    if module is None or module.kind not in ("ts", "tsx", "js"):
        return
    for node in typescript.descendants(module.tree.root_node, "string"):
        specifier = typescript.string_value(node)
        target = logger.resolve_module(repo, path, specifier) if specifier and specifier.startswith(".") else None
        if target:
            yield target


@dataclass(frozen=True)
class Source:
    """An origin list read from the environment with a default: the span to replace."""

    node: Node  # the whole expression (chains and parentheses included)
    env: str
    defaults: tuple[str, ...]
    is_list: bool  # an array (split or array default); else one origin string
    # the value the default gave where the source stands (`'*'`, `true`, `['*']`; "" when fixer cannot write it):
    # what a permissive default keeps outside production
    fallback: str = ""
    # the constant holding the default (`: DEFAULT_ORIGINS`: `_named_default`), "" for a literal: the check
    # pushes its entries (`...DEFAULT_ORIGINS`), which keeps the constant in use and the file's one list of them
    default_name: str = ""


def _fallback_text(default: Node, chained: bool) -> str:
    """The default's value where the source stands: its text, or `['*']` for a string the chain
    after it splits (`(process.env.X || '*').split(',')`); "" for another value under a chain."""
    default = typescript.unwrap(default)
    text = (default.text or b"").decode()
    if not chained:
        return text
    return f"[{text}]" if _default_literal(default).type == "string" else ""


# --- finding the lists -------------------------------------------------------------------


def find_sources(root: Node) -> list[Source]:
    found: dict[int, Source] = {}
    for node in typescript.descendants(root, "member_expression", "subscript_expression"):
        if _env_read(node) is None:
            continue
        best = None
        ancestor = node
        while ancestor.parent is not None and ancestor.parent.type in _CLIMB:
            ancestor = ancestor.parent
            best = _match(ancestor) or best
        if best is not None:
            found.setdefault(best.node.id, best)
    return sorted(found.values(), key=lambda s: s.node.start_byte)


_CLIMB = frozenset({"parenthesized_expression", "member_expression", "call_expression", "array",
                    "binary_expression", "ternary_expression", "as_expression", "non_null_expression"})


def _match(node: Node) -> Source | None:
    """`node` as a whole is an env list with a default: `E?.split(',') || D`,
    `(E || D).split(',')`, `E ? E.split(',') : D`, each with optional `.map/.filter` after."""
    core, chained = _strip_chain(node)
    core = typescript.unwrap(core)
    if core is None:
        return None
    if core.type == "array":  # `[process.env.CLIENT_URL || 'http://localhost:3000']`: a list of that one origin
        items = typescript.list_items(core)
        inner = _match(items[0]) if len(items) == 1 else None
        return Source(node, inner.env, inner.defaults, True, f"[{inner.fallback}]" if inner.fallback else "",
                      inner.default_name) if inner is not None else None
    if core.type == "binary_expression" and _operator(core) in ("||", "??"):
        env, split = _env_chain(core.child_by_field_name("left"))
        defaults = _defaults(core.child_by_field_name("right"))
        if env and defaults:
            is_list = split or chained or _default_literal(core.child_by_field_name("right")).type == "array"
            return Source(node, env, defaults, is_list, _fallback_text(core.child_by_field_name("right"), chained),
                          _default_name(core.child_by_field_name("right")))
    if core.type == "ternary_expression":
        branches = [core.child_by_field_name("consequence"), core.child_by_field_name("alternative")]
        for read, fallback in (branches, branches[::-1]):
            env, split = _env_chain(read)
            defaults = _defaults(fallback)
            if env and defaults and PERMISSIVE & set(defaults) and _names_a_wildcard(core.child_by_field_name("condition")):
                return None  # `E === '*' ? '*' : E.split(',')`: the variable's own `*`, no default
            if env and defaults:  # whatever the condition: the variable itself, NODE_ENV, `isProd`
                return Source(node, env, defaults, split or chained or _default_literal(fallback).type == "array",
                              _fallback_text(fallback, chained), _default_name(fallback))
    return None


def _names_a_wildcard(condition: Node | None) -> bool:
    """The condition holds a `'*'` or `'true'` string: it tests the variable's value for it."""
    return condition is not None and any(typescript.string_value(n) in ("*", "true")
                                         for n in typescript.descendants(condition, "string"))


def _constant_fallbacks(root: Node, sources: list[Source]) -> Iterator[Source | tuple[Node, str]]:
    """`LIST.length > 0 ? LIST : ['http://localhost:3000']` (either way round, whatever the
    condition), where LIST is a constant holding the list: a Source when LIST is a top-level
    constant of this file read from the environment with no default but an empty one
    (`process.env.CORS_ORIGINS?.split(',') ?? []`): the ternary is that list with a localhost
    default, as `||` writes it. Else (imported from a config module, read from a parsed config
    object) (ternary, LIST) when a default is a localhost origin: fixer cannot rewrite what it
    cannot see."""
    covered = [(s.node.start_byte, s.node.end_byte) for s in sources]
    for node in typescript.descendants(root, "ternary_expression"):
        if any(start <= node.start_byte < end for start, end in covered):
            continue
        branches = [node.child_by_field_name("consequence"), node.child_by_field_name("alternative")]
        for read, fallback in (branches, branches[::-1]):
            defaults = _defaults(fallback)
            core, chained = _strip_chain(read) if read is not None else (None, False)
            core = typescript.unwrap(core)
            if not defaults or core is None or core.type != "identifier":
                continue
            if PERMISSIVE & set(defaults) and _names_a_wildcard(node.child_by_field_name("condition")):
                break  # `LIST[0] === '*' ? '*' : LIST`: the list's own `*`, no default
            name = (core.text or b"").decode()
            value = _constant_value(root, name)
            if _named_default(core) is not None:
                break  # `isProd ? PROD_ORIGINS : DEV_ORIGINS`: a choice of two written lists, none read from the environment
            # (a constant read from a validated env object is reported: its reading is not rewritten)
            env, split = _env_chain(_without_empty_default(value), False) if value is not None else (None, False)
            if env is not None:
                yield Source(node, env, defaults, split or chained or _default_literal(fallback).type == "array",
                             _fallback_text(fallback, False), _default_name(fallback))  # (the chain is the list's)
            elif any(LOCAL_ORIGIN.match(origin) for origin in defaults):  # (not the lone `*` the fix keeps:
                yield node, name  # `corsOrigins.length === 1 && corsOrigins[0] === '*' ? '*' : corsOrigins`)
            break


def _is_cors_fallback(source_file: SourceFile, node: Node, table: dict[str, Imported]) -> bool:
    """The ternary is the CORS origin, or the value of a constant (local to a function too) that is
    the CORS origin or that an origin callback checks the request's origin against."""
    if is_cors_site(node, table):
        return True
    declarator = typescript.outer_parens(node).parent
    if declarator is None or declarator.type != "variable_declarator" \
            or declarator.child_by_field_name("name").type != "identifier":
        return False
    name = declarator.child_by_field_name("name")
    if _top_level_declarator(node) is not None:
        references = _references(source_file, declarator, name.text.decode())
    else:  # a local: its uses in the block that declares it
        scope = declarator
        while scope.parent is not None and scope.type not in ("statement_block", "program"):
            scope = scope.parent
        references = [n for n in typescript.identifier_references(scope, name.text.decode()) if n.id != name.id]
    return any(is_cors_site(_use(reference)[0], table) or _checks_the_origin(source_file, reference, table)
               for reference in references)


def _constant_value(root: Node, name: str) -> Node | None:
    """The value of a top-level `const name = …` (exported or not)."""
    return _top_level_constants(root).get(name)


def _without_empty_default(node: Node | None) -> Node | None:
    """`X ?? []`, `X || []`, `X || ''`: X (the default adds no origin)."""
    core = typescript.unwrap(node)
    if core is not None and core.type == "binary_expression" and _operator(core) in ("||", "??"):
        right = typescript.unwrap(core.child_by_field_name("right"))
        if right is not None and (right.type == "array" and not typescript.list_items(right)
                                  or typescript.string_value(right) == ""):
            return core.child_by_field_name("left")
    return node


def _strip_chain(node: Node) -> tuple[Node, bool]:
    """`X.split(',').map(f)` -> (X, True); `(A || B).trim()` -> (A || B, False): the expression
    under a chain, and whether the chain makes a list."""
    listy = False
    while True:
        call = typescript.member_call(typescript.unwrap(node))
        if call is None or call.method not in CHAIN_METHODS:
            return node, listy
        node, listy = call.object, listy or call.method != "trim"


def _env_chain(node: Node | None, objects: bool = True) -> tuple[str | None, bool]:
    """`process.env.X` (or a validated env object's `env.X`, `_env_read`, unless not `objects`), optionally
    followed by `.split()/.map()/.filter()`: (X, a list?)."""
    split = False
    node = typescript.unwrap(node)
    while node is not None:
        name = _env_read(node) if objects else typescript.env_name(node)
        if name is not None:
            return name, split
        call = typescript.member_call(node)
        if call is None or call.method not in CHAIN_METHODS:
            return None, False
        split = split or call.method != "trim"
        node = typescript.unwrap(call.object)
    return None, False


def _operator(node: Node) -> str:
    operator = node.child_by_field_name("operator")
    return operator.type if operator is not None else ""


def _defaults(node: Node | None) -> tuple[str, ...]:
    """The origins a default literal names ('a,b' and ['a', 'b'] alike), written there or held in a
    constant (`_named_default`); () when it is not one."""
    node = _default_literal(node)
    if node is None:
        return ()
    if node.type == "array":
        values = [typescript.string_value(item) for item in typescript.list_items(node)]
        if not values or any(v is None for v in values):
            return ()
        origins = tuple(o.strip() for v in values for o in v.split(",") if o.strip())  # type: ignore[union-attr]
        return () if "true" in origins else origins
    if node.type == "true":
        return ("true",)  # (a string 'true' is no origin: not a default fixer reads)
    value = typescript.string_value(node)
    origins = tuple(o.strip() for o in value.split(",") if o.strip()) if value else ()
    return () if "true" in origins else origins


def _named_default(node: Node | None) -> tuple[Node, str] | None:
    """`DEFAULT_ORIGINS` where a `const DEFAULT_ORIGINS = ['http://localhost:3000']` holds the default
    (an array of strings, one origin string, `true`): the file's top-level constant, or one declared
    before it in a block around it (`const defaultOrigins = […]` in the function that sets CORS up,
    where the check goes too); not when another binding of the name shadows it. (the literal, the
    name). A string of several origins is not taken (the check would have to split it)."""
    node = typescript.unwrap(node)
    if node is None or node.type != "identifier":
        return None
    root, name = node, (node.text or b"").decode()
    while root.parent is not None:
        root = root.parent
    value = typescript.unwrap(_top_level_constants(root).get(name))  # (first: a file's every ternary asks)
    home = None  # the block a local constant is declared in
    if value is None:
        declarator = typescript.declarator_in_scope(name, node)
        declaration = declarator.parent if declarator is not None else None
        if declaration is None or declarator.end_byte > node.start_byte or declaration.type != "lexical_declaration" \
                or not (declaration.text or b"").startswith(b"const"):
            return None
        value, home = typescript.unwrap(declarator.child_by_field_name("value")), declaration.parent
    if value is None or value.type not in ("array", "string", "true"):
        return None
    text = typescript.string_value(value) if value.type == "string" else None
    if text is not None and (not text or "," in text or text != text.strip()):
        return None
    around = [scope for scope in typescript.local_binding_scopes("", root, name)
              if scope.start_byte <= node.start_byte < scope.end_byte]
    if around and (home is None or max(around, key=lambda scope: scope.start_byte).id != home.id):
        return None  # (the innermost binding around the use is another)
    return value, name


_constants_seen: list = [None]  # (the last file's root, its top-level constants): `_top_level_constants`


def _top_level_constants(root: Node) -> dict[str, Node]:
    """name -> value of each top-level `const name = …` (exported or not), read once per file."""
    seen = _constants_seen[0]
    if seen is not None and seen[0] == root:
        return seen[1]
    found: dict[str, Node] = {}
    for statement in root.named_children:
        for declared, declarator in _declared(statement):
            if declared not in found and (typescript.enclosing_statement(declarator).text or b"").lstrip().startswith(
                    (b"const", b"export const")):
                found[declared] = declarator.child_by_field_name("value")
    _constants_seen[0] = (root, found)
    return found


def _default_literal(node: Node | None) -> Node | None:
    """The literal a default is: written where it stands, or held in a constant (`_named_default`)."""
    named = _named_default(node)
    return named[0] if named is not None else typescript.unwrap(node)


def _default_name(node: Node | None) -> str:
    named = _named_default(node)
    return named[1] if named is not None else ""


def _pushed(source_file: SourceFile, sources: list[Source]) -> tuple[str, ...]:
    """What the check pushes outside production: the default origins, or the constant holding them
    (`...DEFAULT_ORIGINS`; `DEV_ORIGIN` for one string); nothing for a permissive default (the CORS
    sites keep it)."""
    q = logger.quote_style(source_file)
    texts: list[str] = []
    for source in sources:
        if _permissive(source):
            continue
        if source.default_name:
            declarator = typescript.declarator_in_scope(source.default_name, source.node)
            literal = typescript.unwrap(declarator.child_by_field_name("value")) if declarator is not None else None
            spread = "..." if literal is not None and literal.type == "array" else ""
            texts.append(f"{spread}{source.default_name}")
        else:
            texts.extend(f"{q}{origin}{q}" for origin in source.defaults if origin not in PERMISSIVE)
    return tuple(dict.fromkeys(texts))


def _declared_below(source_file: SourceFile, sources: list[Source], offset: int) -> tuple[str, int] | None:
    """A constant holding a default that the file declares after `offset`, where the check would
    read it before it is set (a ReferenceError): (its name, its line); or None."""
    for source in sources:
        declarator = typescript.declarator_in_scope(source.default_name, source.node) if source.default_name else None
        statement = typescript.enclosing_statement(declarator) if declarator is not None else None
        if statement is not None and statement.end_byte > offset:
            return source.default_name, source_file.line_col(statement.start_byte)[0]
    return None


def is_cors_site(node: Node, table: dict[str, Imported]) -> bool:
    """`node` is the value of `origin` in CORS options (a `{ origin }` shorthand counts)."""
    if node.type == "shorthand_property_identifier":
        return node.text in (b"origin", b"origins") and is_cors_options(node.parent, table)
    pair = typescript.outer_parens(node).parent
    if pair is None or pair.type != "pair" or _key(pair) not in ("origin", "origins"):
        return False
    return is_cors_options(pair.parent, table)


def is_cors_options(options: Node | None, table: dict[str, Imported]) -> bool:
    """An object literal of CORS options: `cors({…})`, Socket.IO's `{ cors: {…} }`,
    `register(fastifyCors, {…})`, `enableCors({…})`, or kept in a `corsOptions`-like constant."""
    holder = options.parent if options is not None and options.type == "object" else None
    if holder is None:
        return False
    if holder.type == "pair":
        return _key(holder) == "cors"
    if holder.type == "variable_declarator":
        return b"cors" in (holder.child_by_field_name("name").text or b"").lower()
    if holder.type != "arguments" or holder.parent is None:
        return False
    call = typescript.member_call(holder.parent)
    if call is not None and call.method == "enableCors":
        return True
    if call is not None and call.method == "register" and call.args:
        plugin = table.get((call.args[0].text or b"").decode())
        return plugin is not None and plugin.module in CORS_MODULES
    callee = holder.parent.child_by_field_name("function")
    imported = table.get((callee.text or b"").decode()) if callee is not None else None
    return imported is not None and imported.module in CORS_MODULES


KOA_CORS = frozenset({"@koa/cors", "koa-cors"})


def _options_holder(site: Node) -> Node | None:
    """The node holding the CORS options object the origin at `site` is in."""
    if site.type == "shorthand_property_identifier":
        options = site.parent
    else:
        pair = typescript.outer_parens(site).parent
        options = pair.parent if pair is not None else None
    return options.parent if options is not None and options.type == "object" else None


def _koa_site(site: Node, table: dict[str, Imported]) -> str:
    """How the origin at a CORS site reaches Koa's CORS middleware, which takes one origin
    string or a function of the context, never a list (@koa/cors sends a list as one
    Access-Control-Allow-Origin header per entry, which browsers reject, and checks no origin):
    "call" — options written in the call of @koa/cors (the function's ctx is typed from it);
    "unsure" — options kept elsewhere (a constant) in a file importing a Koa CORS module, or
    given to koa-cors (whose origin function takes the request); "" — not Koa (`cors`,
    @fastify/cors, Hapi, Nest and Socket.IO take a list)."""
    holder = _options_holder(site)
    if holder is None or holder.type == "pair":
        return ""
    if holder.type == "arguments" and holder.parent is not None:
        callee = holder.parent.child_by_field_name("function")
        imported = table.get((callee.text or b"").decode()) if callee is not None else None
        if imported is not None and imported.module in CORS_MODULES:
            return "call" if imported.module == "@koa/cors" else "unsure" if imported.module in KOA_CORS else ""
    modules = {imported.module for imported in table.values()}
    return "unsure" if modules & KOA_CORS and not modules & (CORS_MODULES - KOA_CORS) else ""


def _origin_text(source_file: SourceFile, site: Node, name: str, table: dict[str, Imported],
                 one_string: bool = False, fallback: str = "") -> str:
    """What stands at a CORS site for the list `name`: the list, or for @koa/cors a function
    answering the request's origin when the list holds it (nothing when not: no CORS headers).
    `one_string`: the site took the variable's whole text as one origin, where `*` allows every
    origin (`cors`, @fastify/cors, @koa/cors, Socket.IO and Nest answer `*`), while `cors` (and
    Socket.IO, Nest on Express, older fastify-cors) compares a list's entries with the request's
    origin as they are (`'*'` matches none): a list of exactly `*` stays the string `'*'` there.
    (Where the variable was split already, `*` in the list means what it meant before the fix.)
    `fallback`: a permissive default (`'*'`, `true`) the site keeps for an empty list (outside
    production: the check exits in production)."""
    if not is_cors_site(site, table):
        return name
    q = logger.quote_style(source_file)
    star = f"{q}*{q}"
    empty = f"{name}.length === 0 ? {fallback} : " if fallback else ""
    wildcard = f"{name}.length === 1 && {name}[0] === {star} ? {star} : " if one_string else ""
    if _koa_site(site, table) != "call":
        return f"{empty}{wildcard}{name}"
    origin = f"ctx.get({q}Origin{q})"
    return f"(ctx) => ({empty}{wildcard}{name}.includes({origin}) ? {origin} : {q}{q})"


def _permissive(source: Source) -> bool:
    """The default allows every origin (`'*'`, `true`): the list gets no defaults, the CORS
    site keeps that value for an empty list."""
    return bool(PERMISSIVE & set(source.defaults))


def _kept_fallback(source: Source) -> str:
    return source.fallback if _permissive(source) else ""


def _falls_back(source: Source) -> str:
    """What the CORS origins do when the variable is unset, for the messages."""
    return f"fall back to {_default_word(source)}"


def _default_word(source: Source) -> str:
    if not _permissive(source):
        return "localhost"
    text = source.fallback or source.defaults[0]
    return f"`{text}`" if text.startswith("[") else f"`{text}` (every origin)"  # (`cors` matches no origin with ['*'])


def _koa_sites(source_file: SourceFile, source: Source, table: dict[str, Imported]) -> list[Node]:
    """The CORS sites of Koa's middleware the list would reach."""
    return [site for site in _cors_sites(source_file, source, table) if _koa_site(site, table)]


def _cors_sites(source_file: SourceFile, source: Source, table: dict[str, Imported]) -> list[Node]:
    """The CORS sites the list would reach: the source itself, or the uses of the constant holding it."""
    sites = [source.node] if is_cors_site(source.node, table) else []
    declarator = _top_level_declarator(source.node)
    if declarator is not None:
        name = (declarator.child_by_field_name("name").text or b"").decode()
        for reference in _references(source_file, declarator, name):
            use = reference if reference.type == "shorthand_property_identifier" else _use(reference)[0]
            if is_cors_site(use, table):
                sites.append(use)
    return sites


def _permissive_blocked(source_file: SourceFile, group: list[Source], table: dict[str, Imported]) -> str | None:
    """Where a list with a permissive default would reach that the rewrite cannot give that default
    back (the list is empty outside production: every origin refused), for the message; or None."""
    for source in group:
        if not _permissive(source):
            continue
        use = _unedited_use(source_file, source, table)
        keep = "fixer cannot keep that default there for an empty list outside production"
        if use is not None and use.id == source.node.id:
            return f"the list is read on line {source_file.line_col(use.start_byte)[0]} into something other than a " \
                   f"CORS origin (a local, a config field, an export): {keep}"
        if use is not None:
            return f"the list reaches `{typescript.one_line(use.text)}` on line {source_file.line_col(use.start_byte)[0]}, not a " \
                   f"CORS origin: {keep}"
        for site in _koa_sites(source_file, source, table):  # @koa/cors's function answers one origin string
            if source.fallback[1:-1] != "*" or source.fallback[:1] not in "'\"":
                return f"the list reaches Koa's CORS middleware on line {source_file.line_col(site.start_byte)[0]}, " \
                       f"which takes one origin string or a function: {keep}"
    return None


def _unedited_use(source_file: SourceFile, source: Source, table: dict[str, Imported]) -> Node | None:
    """Where the list would reach unchanged, not a CORS site the rewrite gives the permissive
    default back (an empty list there would refuse every origin outside production): the source
    itself (a config field, a local, a return value), a use of the top-level constant holding a
    list, or where a constant holding one string is split; or None."""
    if is_cors_site(source.node, table):
        return None
    declarator = _top_level_declarator(source.node)
    if declarator is None or typescript.enclosing_statement(declarator).type == "export_statement":
        return source.node
    name = (declarator.child_by_field_name("name").text or b"").decode()
    for reference in _references(source_file, declarator, name):
        use, listy = (reference, False) if reference.type == "shorthand_property_identifier" else _use(reference)
        if not is_cors_site(use, table) and (source.is_list or listy):
            return use
    return None


def _key(pair: Node) -> str:
    key = pair.child_by_field_name("key")
    return (typescript.string_value(key) if key is not None and key.type == "string" else (key.text or b"").decode()) \
        if key is not None else ""


HAPI_MODULES = frozenset({"@hapi/hapi", "hapi"})


def _framework_cors(root: Node, table: dict[str, Imported]) -> Iterator[tuple[Node, str]]:
    """The `cors` pairs of NestJS's and Hapi's own options, which turn CORS on: ("nest")
    `NestFactory.create(AppModule, { cors })` (also after an adapter), and ("hapi") a server's
    `routes: { cors }` (`Hapi.server(…)`, `new Hapi.Server(…)` of @hapi/hapi or hapi) and a route's
    `options: { cors }` / `config: { cors }` beside its `method`, `path` and `handler`, and a Glue
    manifest's `server: { routes: { cors } }` (beside `register`, or in a file loading Glue)."""
    for call in typescript.descendants(root, "call_expression", "new_expression"):
        callee = typescript.called_function(call) if call.type == "call_expression" else \
            call.child_by_field_name("constructor")
        kind = _framework(callee, table, call.type == "new_expression")
        arguments = call.child_by_field_name("arguments")
        if kind is None or arguments is None:
            continue
        for argument in arguments.named_children:
            options = typescript.unwrap(argument)
            if options is not None and kind == "hapi":
                options = _pair_value(options, "routes")
            pair = typescript.object_pair(options, "cors")
            if pair is not None:
                yield pair, kind
    glue = any(imported.module in ("@hapi/glue", "glue") for imported in table.values())
    for route in typescript.descendants(root, "object"):
        keys = {_key(c) if c.type == "pair" else (c.text or b"").decode() for c in route.named_children
                if c.type in ("pair", "shorthand_property_identifier")}
        if "server" in keys and ("register" in keys or glue):  # a Glue manifest: `server` is the server's options
            pair = typescript.object_pair(_pair_value(_pair_value(route, "server"), "routes"), "cors")
            if pair is not None:
                yield pair, "hapi"
        if not {"method", "path"} <= keys:
            continue
        for name in ("options", "config"):
            options = _pair_value(route, name)
            pair = typescript.object_pair(options, "cors")
            if pair is not None and ("handler" in keys or typescript.object_pair(options, "handler") is not None):
                yield pair, "hapi"


def _framework(callee: Node | None, table: dict[str, Imported], new: bool) -> str | None:
    """"nest" for `NestFactory.create`, "hapi" for Hapi's `server(…)` / `new Server(…)`, else None."""
    if callee is not None and callee.type == "member_expression":
        obj, prop = callee.child_by_field_name("object"), callee.child_by_field_name("property")
        imported = table.get((obj.text or b"").decode()) if obj is not None else None
        method = (prop.text or b"").decode() if prop is not None else ""
        if imported is not None and imported.module == "@nestjs/core" and imported.name == "NestFactory" \
                and method == "create" and not new:
            return "nest"
        if imported is not None and imported.module in HAPI_MODULES and imported.name in ("default", "*") \
                and method == ("Server" if new else "server"):
            return "hapi"
        return None
    imported = table.get((callee.text or b"").decode()) if callee is not None and callee.type == "identifier" else None
    return "hapi" if imported is not None and imported.module in HAPI_MODULES and \
        imported.name == ("Server" if new else "server") else None


def _pair_value(options: Node | None, name: str) -> Node | None:
    pair = typescript.object_pair(options, name)
    return typescript.unwrap(pair.child_by_field_name("value")) if pair is not None else None


def _gives_no_origin(options: Node) -> bool:
    """An object literal of CORS options fixer can read, with no origin in it."""
    return options.type == "object" and not any(
        c.type == "spread_element" or (c.type == "pair" and _key(c) in ("origin", "origins"))
        or (c.type == "shorthand_property_identifier" and c.text in (b"origin", b"origins"))
        or (c.type == "method_definition" and (c.child_by_field_name("name").text or b"").strip(b"'\"")
            in (b"origin", b"origins"))
        for c in options.named_children)


# how to give each framework's CORS an origin list, for the messages (the cors package's wording by default)
_HOW = {
    "nest": "give `cors: { origin: … }` (or `app.enableCors({ origin: … })`) the list read from CORS_ORIGIN "
            "(split on commas)",
    "hapi": "give `cors: { origin: […] }` the list read from CORS_ORIGIN (split on commas: Hapi takes an array of "
            "one or more origins, `https://*.example.com` wildcards allowed, and refuses an empty one)",
}


def _every_origin(source_file: SourceFile, table: dict[str, Imported]) -> Iterator[Finding]:
    """CORS set up to allow every origin, with no variable to read: no origin given (`cors()`,
    `cors({ credentials: true })`, `fastify.register(cors)`, `app.enableCors()`, Socket.IO's
    `cors: {}`: each package's default is every origin) or `origin: '*'` / `origin: true`
    written in. Reported, not fixed: it may be a public API, and fixer does not pick the origins
    (a new variable would stop a production deployment that never set it). Options it cannot
    read (a constant, a spread) are left to the other checks."""
    given: list[Node] = []  # the options each CORS call is given
    for call in typescript.descendants(source_file.tree.root_node, "call_expression", "new_expression"):
        callee = call.child_by_field_name("function" if call.type == "call_expression" else "constructor")
        arguments = call.child_by_field_name("arguments")
        args = [a for a in arguments.named_children if a.type != "comment"] if arguments is not None else []
        imported = table.get((callee.text or b"").decode()) if callee is not None else None
        member = typescript.member_call(call)
        if call.type == "call_expression" and imported is not None and imported.module in CORS_MODULES:
            options = args[0] if args else None
        elif member is not None and member.method == "register" and args and (
                plugin := table.get((args[0].text or b"").decode())) is not None and plugin.module in CORS_MODULES:
            options = args[1] if len(args) > 1 else None
        elif member is not None and member.method == "enableCors":
            options = args[0] if args else None
        elif imported is not None and imported.module == "socket.io":  # (no `cors` option: no CORS headers)
            pair = next((p for a in args if a.type == "object" for p in a.named_children
                         if p.type == "pair" and _key(p) == "cors"), None)
            if pair is None:
                continue
            options = pair.child_by_field_name("value")
        else:
            continue
        if options is not None:
            given.append(typescript.unwrap(options) or options)
        if options is not None and not _gives_no_origin(options):
            continue  # (an origin given, or options fixer cannot read)
        line, col = source_file.line_col(call.start_byte)
        yield _every_origin_finding(source_file, line, col, f"{_shown(call)} gives no origin, and the default is "
                                    "every origin")
    # NestFactory.create's and Hapi's own `cors` option: `true` turns CORS on with the default, every origin
    # (Nest hands it to `enableCors()`; Hapi's `origin` defaults to ['*'])
    kinds: dict[int, str] = {}  # CORS options given there -> "nest" / "hapi"
    for pair, kind in _framework_cors(source_file.tree.root_node, table):
        value = typescript.unwrap(pair.child_by_field_name("value"))
        if value is None:
            continue
        given.append(value)
        kinds[value.id] = kind
        if value.type == "identifier":
            kinds.update({d.id: kind for d in typescript.descendants(source_file.tree.root_node, "variable_declarator")
                          if d.child_by_field_name("name").text == value.text})
        if value.type not in ("true", "object") or value.type == "object" and not _gives_no_origin(value):
            continue
        line, col = source_file.line_col(pair.start_byte)
        why = "turns CORS on with its default, every origin" if value.type == "true" else \
            "gives no origin, and the default is every origin"
        yield _every_origin_finding(source_file, line, col, f"{_shown(pair)} {why}", _HOW[kind])
    # a literal every-origin in options a CORS call is given, written there or in a constant it names (not
    # options an origin callback hands out for the origins it allows: Ghost's `cb(null, ENABLE_CORS)`)
    ids = {node.id for node in given}
    names = {node.text for node in given if node.type == "identifier"}
    for pair in typescript.descendants(source_file.tree.root_node, "pair"):
        value = pair.child_by_field_name("value")
        if value is None or _key(pair) not in ("origin", "origins") or not (
                value.type == "true" or typescript.string_value(value) == "*") or not is_cors_site(value, table):
            continue
        holder = typescript.outer_parens(pair.parent) if pair.parent is not None else None
        declarator = holder.parent if holder is not None else None
        if holder is None or holder.id not in ids and not (
                declarator is not None and declarator.type == "variable_declarator"
                and declarator.child_by_field_name("name").text in names):
            continue
        line, col = source_file.line_col(value.start_byte)
        yield _every_origin_finding(source_file, line, col, f"`origin: {(value.text or b'').decode()}` is written in",
                                    _HOW.get(kinds.get(holder.id) or (kinds.get(declarator.id, "") if declarator else "")))
    # Hapi's own every-origin values: `['*']` (its default; `cors` would match no origin with it) and 'ignore'
    # (no Origin checked, `Access-Control-Allow-Origin: *`)
    for pair in typescript.descendants(source_file.tree.root_node, "pair"):
        value = typescript.unwrap(pair.child_by_field_name("value"))
        holder = typescript.outer_parens(pair.parent) if pair.parent is not None else None
        declarator = holder.parent if holder is not None else None
        kind = kinds.get(holder.id) if holder is not None else None
        kind = kind or (kinds.get(declarator.id) if declarator is not None else None)
        if value is None or kind != "hapi" or _key(pair) != "origin" or not (
                typescript.string_value(value) == "ignore" or value.type == "array"
                and "*" in [typescript.string_value(item) for item in typescript.list_items(value)]):
            continue
        line, col = source_file.line_col(value.start_byte)
        yield _every_origin_finding(source_file, line, col, f"`origin: {typescript.one_line(value.text)}` is written "
                                    "in, which Hapi reads as every origin", _HOW["hapi"])


def _shown(node: Node) -> str:
    shown = re.sub(r"\s+", " ", (node.text or b"").decode("utf-8", "replace"))
    return f"`{shown if len(shown) <= 60 else shown[:57] + '…'}`"


def _every_origin_finding(source_file: SourceFile, line: int, col: int, why: str, how: str | None = None) -> Finding:
    how = how or "give `origin` the list read from CORS_ORIGIN (split on commas)"
    return Finding(INFO.id, source_file.path, line, col,
                   f"CORS allows every origin here, in production too ({why}): any website can call this API "
                   f"from its visitors' browsers. Unless it is a public API, {how} and exit at start-up in "
                   "production when it is empty, by hand (fixer does not pick the origins)")


# --- per file ----------------------------------------------------------------------------


def scan(source_file: SourceFile, context: Context) -> Iterator[Finding]:
    root = source_file.tree.root_node
    table = typescript.import_table(root)
    _env_objects_seen[0] = (root, _file_env_objects(source_file, context, table))
    yield from _every_origin(source_file, table)
    sources = [s for s in find_sources(root) if _is_cors_list(source_file, s, table)]
    for fallback in _constant_fallbacks(root, sources):
        if isinstance(fallback, Source):
            if _is_cors_list(source_file, fallback, table):
                sources.append(fallback)
            continue
        node, name = fallback
        if not _is_cors_fallback(source_file, node, table):
            continue
        line, col = source_file.line_col(node.start_byte)
        imported = table.get(name)
        module = logger.resolve_module(source_file.repo, source_file.path, imported.module) if imported else None
        read = {n: (env, checked) for n, env, checked in dict(context.env_lists).get(module or "", ())}
        if imported is not None and imported.name in read:
            env, checked = read[imported.name]
            if not checked:
                yield Finding(INFO.id, source_file.path, line, col,
                              f"CORS origins fall back to localhost when `{name}` is empty, and {module} reads it "
                              f"from {env} with no check: exit at start-up in production when {env} is empty, in "
                              f"{module} (the localhost fallback here then serves only outside production)")
            continue
        where = f"imported from {imported.module!r}" if imported is not None else \
            "not a constant of this file read from process.env"
        yield Finding(INFO.id, source_file.path, line, col,
                      f"CORS origins fall back to localhost when `{name}` is empty, and fixer cannot see where "
                      f"`{name}` is read ({where}): exit at start-up in production when it is empty, where the "
                      "service reads its configuration")
    sources.sort(key=lambda s: s.node.start_byte)
    validated = _validated_envs(root)
    for source, fallback in _unseen_fallbacks(root, sources):
        if source.env not in validated and _is_cors_list(source_file, source, table):
            yield _unseen_fallback_finding(source_file, source, fallback, table)
    yield from _unchecked_reads(source_file, table, sources, validated)
    sources = [s for s in sources if s.env not in validated]
    fixable, besides = [], []
    lists_read = {_constant_name(s) for s in sources} - {None}
    for source in sources:
        beside = _other_entries(source_file, source, lists_read)
        if beside is not None:
            besides.append(source)
            line, col = source_file.line_col(source.node.start_byte)
            yield Finding(INFO.id, source_file.path, line, col,
                          f"the {source.env} list sits beside other origins (`{beside}`): production may allow its "
                          f"origins through those with {source.env} unset, and an exit would stop it; exit in "
                          f"production when {source.env} is empty by hand if nothing else allows them")
            continue
        if _permissive(source):
            if len(source.defaults) == 1 and source.fallback:
                fixable.append(source)
                continue
            line, col = source_file.line_col(source.node.start_byte)
            yield Finding(INFO.id, source_file.path, line, col,
                          f"CORS allows every origin when {source.env} is unset (its default holds "
                          f"`{'`, `'.join(source.defaults)}`): exit at start-up in production when {source.env} is "
                          "empty, by hand (with the default only outside production)")
            continue
        local = [o for o in source.defaults if LOCAL_ORIGIN.match(o)]
        if len(local) == len(source.defaults):
            fixable.append(source)
        elif local:
            line, col = source_file.line_col(source.node.start_byte)
            yield Finding(INFO.id, source_file.path, line, col,
                          f"the {source.env} default mixes production and localhost origins: move the production "
                          f"origins into {source.env} in the deployment, then rerun fixer")
    lists = [s for s in fixable if _takes_the_list(source_file, s, table)]
    strings = [s for s in fixable if s not in lists]
    envs = sorted({s.env for s in lists})
    if besides and lists:  # the origin callback may accept what the other list leaves out
        line, col = source_file.line_col(lists[0].node.start_byte)
        yield Finding(INFO.id, source_file.path, line, col,
                      f"CORS origins {_falls_back(lists[0])} when {lists[0].env} is unset, in a file where the "
                      f"{besides[0].env} list on line {source_file.line_col(besides[0].node.start_byte)[0]} sits "
                      f"beside other origins: production may work through those with {lists[0].env} unset; exit in "
                      f"production when no origin is configured by hand")
        return
    if len(envs) > 1:
        line, col = source_file.line_col(lists[0].node.start_byte)
        yield Finding(INFO.id, source_file.path, line, col,
                      f"CORS origins come from several variables ({', '.join(envs)}) with "
                      f"{'' if any(_permissive(s) for s in lists) else 'localhost '}defaults: "
                      "read one list, and exit at start-up in production when it is empty")
        return
    if len({_permissive(s) for s in lists}) > 1:  # one list: its defaults, or the permissive one at its sites
        permissive = next(s for s in lists if _permissive(s))
        local = next(s for s in lists if not _permissive(s))
        line, col = source_file.line_col(lists[0].node.start_byte)
        yield Finding(INFO.id, source_file.path, line, col,
                      f"CORS origins of {lists[0].env} fall back to localhost on line "
                      f"{source_file.line_col(local.node.start_byte)[0]} and to every origin on line "
                      f"{source_file.line_col(permissive.node.start_byte)[0]}: choose one default, then rerun fixer")
        return
    groups: dict[int, list[Source]] = {}
    homes: dict[int, Node | None] = {}
    for source in lists:  # evaluated where they stand: at the top level, or each time a function runs
        home = _home(source.node, table)
        groups.setdefault(home.id if home is not None else -1, []).append(source)
        homes[home.id if home is not None else -1] = home
    rewritten: list[Source] = []
    imports: set[tuple[int, str]] = set()  # the logger import, added once for the file
    for key, group in groups.items():
        conditions = [_only_under_a_condition(source_file, s, table) for s in group]
        if all(condition is not None for condition in conditions):
            yield _conditional_finding(source_file, group[0], conditions[0])  # type: ignore[arg-type]
            continue
        home = homes[key]
        per_request = _called_per_request(source_file, home, table) if home is not None else None
        if per_request is not None:
            yield _per_request_finding(source_file, group[0], home, per_request)  # type: ignore[arg-type]
            continue
        unsure = [site for s in group for site in _koa_sites(source_file, s, table) if _koa_site(site, table) == "unsure"]
        if unsure:
            line, col = source_file.line_col(group[0].node.start_byte)
            yield Finding(INFO.id, source_file.path, line, col,
                          f"CORS origins {_falls_back(group[0])} when {group[0].env} is unset, and reach Koa's CORS "
                          f"middleware on line {source_file.line_col(unsure[0].start_byte)[0]}, which takes one origin "
                          "or a function, not a list, through options fixer does not rewrite: read the list from "
                          f"{group[0].env}, give `origin: (ctx) => (list.includes(ctx.get('Origin')) ? "
                          "ctx.get('Origin') : '')`, and exit at start-up in production when it is empty, by hand")
            continue
        blocked = _permissive_blocked(source_file, group, table)
        if blocked is not None:
            line, col = source_file.line_col(group[0].node.start_byte)
            yield Finding(INFO.id, source_file.path, line, col,
                          f"CORS origins {_falls_back(group[0])} when {group[0].env} is unset, and {blocked}; exit "
                          f"at start-up in production when {group[0].env} is empty, by hand")
            continue
        if home is None:
            yield from _rewrite(source_file, context, table, group, imports)
        else:
            yield _rewrite_in_function(source_file, context, group, home, imports)
        rewritten.extend(group)
    lists = rewritten
    for source in strings:
        if source.env not in envs or not lists:  # where the list is rewritten, its check covers them
            line, col = source_file.line_col(source.node.start_byte)
            yield Finding(INFO.id, source_file.path, line, col,
                          f"{source.env} falls back to {_default_word(source)} here as one origin string, not as the CORS origin "
                          f"list (a list would not fit here): exit at start-up in production when {source.env} is "
                          "unset, where the service reads its configuration")


def _unseen_fallbacks(root: Node, sources: list[Source]) -> Iterator[tuple[Source, Node]]:
    """`process.env.CORS_ORIGIN || DEFAULT_ORIGINS` (chains as `find_sources` reads them) where the
    default is a name or member fixer cannot read the origins of (imported, a parameter, a config
    field): the list (with no defaults) and the default."""
    covered = [(s.node.start_byte, s.node.end_byte) for s in sources]
    seen: set[int] = set()
    for node in typescript.descendants(root, "member_expression", "subscript_expression"):
        if _env_read(node) is None or any(start <= node.start_byte < end for start, end in covered):
            continue
        ancestor = node
        while ancestor.parent is not None and ancestor.parent.type in _CLIMB:
            ancestor = ancestor.parent
            core = typescript.unwrap(_strip_chain(ancestor)[0])
            if core is None or core.type != "binary_expression" or _operator(core) not in ("||", "??") \
                    or core.id in seen:
                continue
            env, split = _env_chain(core.child_by_field_name("left"))
            fallback = typescript.unwrap(core.child_by_field_name("right"))
            if env is None or fallback is None or fallback.type not in ("identifier", "member_expression") \
                    or _env_chain(fallback)[0] is not None or _defaults(fallback) or fallback.text == b"undefined":
                continue
            seen.add(core.id)
            yield Source(ancestor, env, (), split), fallback
            break


def _unseen_fallback_finding(source_file: SourceFile, source: Source, fallback: Node,
                             table: dict[str, Imported]) -> Finding:
    name = typescript.node_text(fallback)
    head = typescript.node_text(fallback.child_by_field_name("object") or fallback).split(".")[0] \
        if fallback.type == "member_expression" else name
    imported = table.get(head)
    where = f"imported from {imported.module!r}" if imported is not None else \
        f"a field of `{head}`" if fallback.type == "member_expression" else \
        "a parameter or a global" if typescript.declarator_in_scope(head, fallback) is None else \
        "its value is no list of origin strings"
    line, col = source_file.line_col(source.node.start_byte)
    return Finding(INFO.id, source_file.path, line, col,
                   f"CORS origins fall back to `{typescript.one_line(name)}` when {source.env} is unset, and fixer cannot "
                   f"see which origins it holds ({where}): if they are localhost origins (or every origin), exit at "
                   f"start-up in production when {source.env} is empty, where the service reads its configuration")


def _constant_name(source: Source) -> str | None:
    declarator = typescript.outer_parens(source.node).parent
    name = declarator.child_by_field_name("name") if declarator is not None \
        and declarator.type == "variable_declarator" else None
    return (name.text or b"").decode() if name is not None and name.type == "identifier" else None


def _other_entries(source_file: SourceFile, source: Source, lists_read: set[str]) -> str | None:
    """An entry of the array the list is spread or written into that is not a localhost origin
    (a regex, a production origin, another list spread), or another test of the origin `||`-ed
    with the list's (`allowed.includes(origin) || /re/.test(origin)`), also where the list is a
    constant: its text, or None."""
    node = typescript.outer_parens(source.node)
    declarator = node.parent
    if declarator is not None and declarator.type == "variable_declarator" \
            and declarator.child_by_field_name("name").type == "identifier":
        name = (declarator.child_by_field_name("name").text or b"").decode()
        for reference in _references(source_file, declarator, name):
            beside = _beside_in_array(reference) or _beside_in_test(reference, lists_read)
            if beside is not None:
                return beside
        return None
    return _beside_in_array(node)


def _beside_in_array(node: Node) -> str | None:
    node = typescript.outer_parens(node)
    if node.parent is not None and node.parent.type == "spread_element":
        node = node.parent
    if node.parent is None or node.parent.type != "array":
        return None
    for item in typescript.list_items(node.parent):
        value = typescript.string_value(item) if item.type == "string" else None
        if item.id != node.id and not (value is not None and LOCAL_ORIGIN.match(value)):
            return (item.text or b"").decode()
    return None


def _beside_in_test(reference: Node, lists_read: set[str]) -> str | None:
    """`!origin || list.includes(origin) || /re/.test(origin)`: the first operand of the `||`
    chain around the list's check that accepts origins on its own (not `!origin`)."""
    use = typescript.outer_parens(reference)
    member = use.parent
    call = typescript.member_call(member.parent) if member is not None and member.parent is not None else None
    if call is None or call.object.id != use.id or call.method not in ORIGIN_CHECKS:
        return None  # not `list.includes(origin)`, `list.some(…)`, …
    node = typescript.outer_parens(call.call)
    while node.parent is not None and (node.parent.type in ("parenthesized_expression", "unary_expression") or
                                       node.parent.type == "binary_expression" and _operator(node.parent)
                                       in ("===", "!==", "==", "!=", ">", ">=", "<", "<=")):
        node = node.parent  # `list.indexOf(origin) !== -1`
    chain = node
    while chain.parent is not None and chain.parent.type in ("binary_expression", "parenthesized_expression") \
            and (chain.parent.type == "parenthesized_expression" or _operator(chain.parent) == "||"):
        chain = chain.parent
    if chain.id == node.id:
        return None
    for operand in _or_operands(chain):
        if operand.start_byte <= reference.start_byte < operand.end_byte:
            continue
        if operand.type == "unary_expression" and typescript.unwrap(operand.child_by_field_name("argument")).type \
                == "identifier":
            continue  # `!origin`: requests without an Origin header
        if any((n.text or b"").decode() in lists_read for n in typescript.descendants(operand, "identifier")):
            continue  # another list read from the environment: reported as several variables
        return (operand.text or b"").decode()
    return None


def _or_operands(node: Node) -> list[Node]:
    node = typescript.inner_parens(node)
    if node.type == "binary_expression" and _operator(node) == "||":
        return _or_operands(node.child_by_field_name("left")) + _or_operands(node.child_by_field_name("right"))
    return [node]


def _called_per_request(source_file: SourceFile, function: Node, table: dict[str, Imported]) -> Node | None:
    """The callback `function` runs in, or is itself, when it runs per request or event (an origin
    callback, middleware, a handler): a check there would exit on the first request, not at start-up.
    A Fastify plugin (`fp(async (fastify) => …)`, `app.register(async (instance) => …)`) runs once, as
    the app boots: start-up code."""
    if _passed_as_callback(function, table):
        return function
    callers = _callers(source_file, function)
    for reference in callers[0] if callers is not None else []:
        caller = typescript.enclosing_function(reference)
        while caller is not None:
            if is_cors_site(caller, table) or _origin_method(caller, table) or _passed_as_callback(caller, table):
                return caller
            caller = typescript.enclosing_function(caller)
    return None


def _passed_as_callback(function: Node, table: dict[str, Imported]) -> bool:
    """`function` is an argument of a call that may run it per request or event; not a Fastify
    plugin's (an argument of `fastify-plugin`'s function or of a `.register(…)`)."""
    holder = typescript.outer_parens(function).parent
    if holder is None or holder.type != "arguments" or holder.parent is None:
        return False
    callee = typescript.inner_parens(holder.parent.child_by_field_name("function") or holder.parent)
    if callee.type == "identifier" and (imported := table.get((callee.text or b"").decode())) is not None \
            and imported.module == "fastify-plugin":
        return False
    member = callee.child_by_field_name("property") if callee.type == "member_expression" else None
    return member is None or member.text != b"register"


def _origin_method(function: Node, table: dict[str, Imported]) -> bool:
    """`origin(origin, callback) { … }` in CORS options."""
    name = function.child_by_field_name("name") if function.type == "method_definition" else None
    return name is not None and name.text == b"origin" and is_cors_options(function.parent, table)


def _per_request_finding(source_file: SourceFile, source: Source, function: Node, callback: Node) -> Finding:
    line, col = source_file.line_col(source.node.start_byte)
    named, start = _function_name(function), source_file.line_col(function.start_byte)[0]
    where = f"`{named}` (line {start})" if named != "a function" else f"the callback on line {start}"
    where += ", which runs per request"
    if callback.id != function.id:
        where += f" (called from the callback on line {source_file.line_col(callback.start_byte)[0]})"
    return Finding(INFO.id, source_file.path, line, col,
                   f"CORS origins {_falls_back(source)} when {source.env} is unset, in {where}: an exit there "
                   f"would stop the service on its first request, not at start-up; read the "
                   f"list once in a top-level constant and exit in production when {source.env} is empty there")


def _takes_the_list(source_file: SourceFile, source: Source, table: dict[str, Imported]) -> bool:
    """The list fits where the source is: it is a list already, or the CORS origin, or a top-level
    constant used as a list or an origin somewhere. One origin string elsewhere (a config field,
    a return value, a link) must stay a string."""
    if source.is_list or is_cors_site(source.node, table):
        return True
    uses = _string_constant_uses(source_file, source, "")
    return uses is not None and bool(uses[0])


def _condition_above(node: Node, table: dict[str, Imported]) -> Node | None:
    """The `if`, `switch` case, loop, `catch`, `?:` or `&&` branch `node` runs under, if any:
    a check hoisted out of it would stop deployments that never take it. Conditions inside an
    origin callback do not count: they choose per request, the CORS set-up is still made."""
    child, ancestor = node, node
    while ancestor.parent is not None:
        ancestor = ancestor.parent
        if ancestor.type in typescript.FUNCTION_TYPES and is_cors_site(ancestor, table):
            child = ancestor
    while child.parent is not None:
        parent = child.parent
        if parent.type in ("if_statement", "ternary_expression") and child != parent.child_by_field_name("condition"):
            return parent
        if parent.type in ("switch_case", "switch_default", "catch_clause"):
            return parent
        if parent.type in _LOOPS and child == parent.child_by_field_name("body"):
            return parent
        if parent.type == "binary_expression" and _operator(parent) in ("&&", "||", "??") \
                and child == parent.child_by_field_name("right"):
            return parent
        child = parent
    return None


_LOOPS = frozenset({"for_statement", "for_in_statement", "while_statement", "do_statement"})


def _only_under_a_condition(source_file: SourceFile, source: Source,
                            table: dict[str, Imported]) -> tuple[list[Node], str | None] | None:
    """The conditions the list is read under: the one above it, or, for a top-level constant
    holding it, those above its uses when every use in the file (as the origins, for one origin
    string) is under one, with the constant's name. None when the CORS set-up runs whatever
    the conditions: then a check at start-up is right."""
    condition = _condition_above(source.node, table)
    if condition is not None:
        return [condition], None
    declarator = _top_level_declarator(source.node)
    if declarator is None or typescript.enclosing_statement(declarator).type == "export_statement":
        return None  # read where it stands, or by other modules: fixer cannot see those uses
    name = (declarator.child_by_field_name("name").text or b"").decode()
    uses = _references(source_file, declarator, name)
    if not source.is_list:  # one origin string: only its uses as the origins count (not a link, a log line)
        uses = [use for use in uses if _use(use)[1] or is_cors_site(_use(use)[0], table)]
    # the origins of CORS options are set up under the conditions above them; any other use (an origin
    # callback's `includes(origin)`, a hand-made CORS middleware) under those above its function: the
    # ones inside choose per request
    conditions = [_run_conditions(source_file, use if is_cors_site(_use(use)[0], table) else
                                  typescript.enclosing_function(use) or use, table, frozenset()) for use in uses]
    if not conditions or None in conditions:
        return None
    found = {c.id: c for found in conditions if found is not None for c in found}
    return sorted(found.values(), key=lambda c: c.start_byte), name


def _run_conditions(source_file: SourceFile, node: Node, table: dict[str, Imported],
                    seen: frozenset[int]) -> list[Node] | None:
    """What `node` runs under: the conditions above it, or, inside a function it is not passed
    along as a callback from, those of every call of that function in the file (a function
    never called here and not exported stands for itself: fixer cannot see when it runs).
    None when it runs whatever the conditions."""
    condition = _condition_above(node, table)
    if condition is not None:
        return [condition]
    function = node if node.type in typescript.FUNCTION_TYPES else typescript.enclosing_function(node)
    while function is not None and _callers(source_file, function) is None:
        function = typescript.enclosing_function(function)  # a callback, an IIFE: runs where it is written
    if function is None or function.id in seen:
        return None if function is None else []
    references, exported = _callers(source_file, function)  # type: ignore[misc]
    found: dict[int, Node] = {}
    for reference in references:
        conditions = _run_conditions(source_file, reference, table, seen | {function.id})
        if conditions is None:
            return None
        found.update((c.id, c) for c in conditions)
    if not found:
        return None if exported else [function]
    return list(found.values())


def _callers(source_file: SourceFile, function: Node) -> tuple[list[Node], bool] | None:
    """The references that call (or pass along) a named function or method, outside itself,
    and whether other modules can call it; None for a function without a name to call it by."""
    root = source_file.tree.root_node
    holder, name = function, None
    if function.type in ("function_declaration", "generator_function_declaration"):
        name = function.child_by_field_name("name")
    elif function.type == "method_definition":
        name = function.child_by_field_name("name")
        if function.parent is None or function.parent.type != "class_body":
            return None  # a method of an object literal (CORS options' `origin()`): runs where the object goes
        holder = function.parent.parent
        if name is not None and name.text == b"constructor":  # `new Server()`
            name = holder.child_by_field_name("name")
            function = holder
        elif name is not None and name.type == "property_identifier":
            wanted = name.text
            references = [n for n in typescript.descendants(root, "property_identifier")
                          if n.text == wanted and n.parent is not None and n.parent.type == "member_expression"
                          and not function.start_byte <= n.start_byte < function.end_byte]
            return references, _exported(holder)
        else:
            return None
    else:
        declarator = typescript.outer_parens(function).parent
        if declarator is not None and declarator.type == "variable_declarator":
            name, holder = declarator.child_by_field_name("name"), declarator
    if name is None or name.type not in ("identifier", "type_identifier"):
        return None
    references = [n for n in typescript.identifier_references(root, name.text.decode())
                  if n.id != name.id and n.type != "type_identifier"
                  and not function.start_byte <= n.start_byte < function.end_byte]
    return references, _exported(holder)


def _exported(node: Node) -> bool:
    statement = typescript.enclosing_statement(node)
    return statement.type == "export_statement"


def _conditional_finding(source_file: SourceFile, source: Source, conditions: tuple[list[Node], str | None]) -> Finding:
    line, col = source_file.line_col(source.node.start_byte)
    uncalled = [c for c in conditions[0] if c.type in typescript.FUNCTION_TYPES or c.type in _CLASSES]
    tests = [c for c in conditions[0] if c not in uncalled]
    lines = ", ".join(str(source_file.line_col(c.start_byte)[0]) for c in tests)
    where, inside = f"under the condition on line {lines}", "that condition"
    if conditions[1] is not None:
        plural = "s" if len(tests) > 1 else ""
        parts = [f"under the condition{plural} on line{plural} {lines}"] if tests else []
        parts += [f"in `{_function_name(f)}` (line {source_file.line_col(f.start_byte)[0]}), which this file never "
                  "calls" for f in uncalled]
        where = f"and `{conditions[1]}` is used only {' or '.join(parts)}"
        inside = "those conditions" if plural else inside
        if uncalled:
            where += " (fixer cannot see when it runs)"
    inside = "where CORS is set up" if uncalled else f"inside {inside}"
    return Finding(INFO.id, source_file.path, line, col,
                   f"CORS origins {_falls_back(source)} when {source.env} is unset, {where}: a check at start-up "
                   f"would stop deployments that skip it; exit in production when {source.env} is empty {inside}")


_CLASSES = frozenset({"class_declaration", "abstract_class_declaration", "class"})


def _function_name(function: Node) -> str:
    name = function.child_by_field_name("name")
    if name is None:
        declarator = typescript.outer_parens(function).parent
        name = declarator.child_by_field_name("name") if declarator is not None else None
    return (name.text or b"").decode() if name is not None else "a function"


def _is_cors_list(source_file: SourceFile, source: Source, table: dict[str, Imported]) -> bool:
    """A CORS variable anywhere; any other variable (FRONTEND_URL) only where it is the CORS origin."""
    if CORS_ENV.match(source.env):
        return True
    if is_cors_site(source.node, table):
        return True
    declarator = typescript.outer_parens(source.node).parent
    if declarator is None or declarator.type != "variable_declarator":
        return False
    name = (declarator.child_by_field_name("name").text or b"").decode()
    return any(is_cors_site(_use(reference)[0], table) or _checks_the_origin(source_file, reference, table)
               or _compared_with_the_origin(source_file, reference, table)
               for reference in _references(source_file, declarator, name))


ORIGIN_CHECKS = frozenset({"includes", "indexOf", "lastIndexOf", "some", "find", "findIndex", "findLast",
                           "findLastIndex", "has"})


def _checks_the_origin(source_file: SourceFile, reference: Node, table: dict[str, Imported]) -> bool:
    """`list.includes(origin)`, `list.indexOf(origin) !== -1`, `list.some(…)`, `list.find(…)`,
    `new Set(list).has(origin)` inside an origin callback, or in a function it calls (`isAllowed(origin)`): the list is the CORS
    origins as much as `origin: list` makes it."""
    use = _use(reference)[0]
    holder = typescript.outer_parens(use).parent
    if holder is not None and holder.type == "arguments" and holder.parent is not None \
            and holder.parent.type == "new_expression" and (holder.parent.child_by_field_name("constructor").text
                                                            or b"") == b"Set":
        use = holder.parent  # `new Set(list)`, then `.has(origin)`
    member = typescript.outer_parens(use).parent
    call = typescript.member_call(member.parent) if member is not None and member.parent is not None else None
    if call is None or typescript.outer_parens(call.object).id != typescript.outer_parens(use).id \
            or call.method not in ORIGIN_CHECKS:
        return False
    return _in_origin_callback(source_file, use, table, depth=2)


def _compared_with_the_origin(source_file: SourceFile, reference: Node, table: dict[str, Imported]) -> bool:
    """`origin === FRONTEND_URL` (or `!==`, `==`) inside an origin callback: that one string is the
    CORS origin (reported: a list would not fit in the comparison)."""
    use = typescript.outer_parens(reference)
    comparison = use.parent
    if comparison is None or comparison.type != "binary_expression" \
            or _operator(comparison) not in ("===", "!==", "==", "!="):
        return False
    return _in_origin_callback(source_file, use, table, depth=2)


def _in_origin_callback(source_file: SourceFile, node: Node, table: dict[str, Imported], depth: int) -> bool:
    function = typescript.enclosing_function(node)
    while function is not None:
        if is_cors_site(function, table) or _origin_method(function, table):
            return True  # `origin: (origin, callback) => …` or `origin(origin, callback) { … }`
        callers = _callers(source_file, function) if depth > 0 else None
        if callers is not None and any(_in_origin_callback(source_file, caller, table, depth - 1)
                                       for caller in callers[0]):
            return True
        function = typescript.enclosing_function(function)
    return False


def _references(source_file: SourceFile, declarator: Node, name: str) -> list[Node]:
    """Uses of a top-level constant (`{ name }` shorthands included), not of locals that shadow it."""
    root, declared = source_file.tree.root_node, declarator.child_by_field_name("name")
    shadowed = typescript.local_binding_scopes(source_file.kind, root, name)
    return [n for n in typescript.identifier_references(root, name) if n.id != declared.id
            and not any(scope.start_byte <= n.start_byte < scope.end_byte for scope in shadowed)]


def _use(reference: Node) -> tuple[Node, bool]:
    """The expression a reference stands in (`NAME.split(',').map(f)` as a whole), and whether
    its chain makes a list of it (`NAME.trim()` is still one string)."""
    node, listy = reference, False
    while node.parent is not None:
        parent = node.parent
        if parent.type == "member_expression" and parent.child_by_field_name("object") == node:
            call = parent.parent
            method = (parent.child_by_field_name("property").text or b"").decode()
            if call is not None and call.type == "call_expression" and method in CHAIN_METHODS:
                node, listy = call, listy or method != "trim"
                continue
        return node, listy
    return node, listy


def _validated_envs(root: Node) -> set[str]:
    """Variables an `if` already checks, exiting or throwing (`if (isProd && !process.env.CORS_ORIGIN)`),
    directly or through a top-level constant read from them without a default (`if (corsOrigins.length
    === 0)`, this fix's own check)."""
    found, constants = set(), _env_constants(root)
    for statement in typescript.descendants(root, "if_statement"):
        condition = statement.child_by_field_name("condition")
        body = statement.child_by_field_name("consequence")
        if condition is None or body is None:
            continue
        if not (b"process.exit" in (body.text or b"") or any(True for _ in typescript.descendants(body, "throw_statement"))):
            continue
        for node in typescript.descendants(condition, "member_expression", "subscript_expression"):
            name = _env_read(node, as_text=False)
            if name and name != "NODE_ENV":
                found.add(name)
        for identifier in typescript.descendants(condition, "identifier"):
            found |= constants.get((identifier.text or b"").decode(), set())
    return found


def _env_constants(root: Node) -> dict[str, set[str]]:
    """Top-level constant -> the one variable it reads, without a localhost default (a check on
    a config object reading several says nothing about each)."""
    constants: dict[str, set[str]] = {}
    for statement in root.named_children:
        for name, declarator in _declared(statement):
            value = declarator.child_by_field_name("value")
            if value is None or find_sources(value):
                continue
            reads = typescript.descendants(value, "member_expression", "subscript_expression")
            envs = {env for env in (_env_read(read, as_text=False) for read in reads) if env and env != "NODE_ENV"}
            if len(envs) == 1:
                constants[name] = envs
    return constants


def _unchecked_reads(source_file: SourceFile, table: dict[str, Imported], sources: list[Source],
                     validated: set[str]) -> Iterator[Finding]:
    """`cors({ origin: process.env.CORS_ORIGIN })`: no default, and no check either."""
    covered = {s.node.id for s in sources}
    for node in typescript.descendants(source_file.tree.root_node, "pair"):
        value = node.child_by_field_name("value")
        if value is None or value.id in covered or not is_cors_site(value, table):
            continue
        env, _split = _env_chain(value)
        if env is None or env in validated:
            continue
        line, col = source_file.line_col(value.start_byte)
        yield Finding(INFO.id, source_file.path, line, col,
                      f"the CORS origin is read from {env} without a default or a check: when it is unset the "
                      f"CORS policy falls back silently; exit at start-up in production when {env} is empty")


# --- the rewrite -------------------------------------------------------------------------


def _rewrite(source_file: SourceFile, context: Context, table: dict[str, Imported],
             sources: list[Source], imports: set[tuple[int, str]]) -> Iterator[Finding]:
    root = source_file.tree.root_node
    env = sources[0].env
    first = min(_top_level_statement(s.node).start_byte for s in sources)
    # the check goes above the first use: a default's constant declared below it would be read before it
    # is set. A list falling back to one is left as it is: after the check, it takes its default only
    # outside production (the variable set, it reads it as before)
    late = [s for s in sources if _declared_below(source_file, [s], first) is not None]
    if len(late) == len(sources):
        below = _declared_below(source_file, sources, first)
        assert below is not None
        line, col = source_file.line_col(sources[0].node.start_byte)
        yield Finding(INFO.id, source_file.path, line, col,
                      f"CORS origins {_falls_back(sources[0])} when {env} is unset, to `{below[0]}`, declared on "
                      f"line {below[1]}, below the list: move `{below[0]}` above line "
                      f"{source_file.line_col(first)[0]}, then rerun fixer")
        return
    sources = [s for s in sources if s not in late]
    first = min(_top_level_statement(s.node).start_byte for s in sources)
    defaults = _pushed(source_file, sources)
    # a constant that already holds the list, declared before every other use (no use before its line)
    kept = next((s for s in sources if s.is_list and _mutable_list_constant(s.node)
                 and _top_level_statement(s.node).start_byte == first), None)
    changes: list[Edit] = []
    if kept is not None:  # a constant already holds the list: it keeps its name and place
        declarator = _top_level_declarator(kept.node)
        name = (declarator.child_by_field_name("name").text or b"").decode()
        statement = typescript.enclosing_statement(declarator)
        block = Block(source_file, context, name, env, defaults, statement.start_byte, _reader(sources))
        _import_once(block, imports)
        changes.append(Edit(source_file.path, kept.node.start_byte, kept.node.end_byte, block.reading()))
        offset = typescript.after_statement(source_file.data, statement)
        changes.append(Edit(source_file.path, offset, offset, "\n" + block.check()))
        # a list @koa/cors would send as several headers; a permissive default kept at every CORS site
        for site in _cors_sites(source_file, kept, table) if _permissive(kept) else _koa_sites(source_file, kept, table):
            if site.id != kept.node.id:
                changes.append(_site_edit(source_file, site, name, table, False, _kept_fallback(kept)))
    else:
        name = typescript.free_name(root, ("corsOrigins", "allowedCorsOrigins"))
        statement = _top_level_statement(sources[0].node)
        uses = _string_constant_uses(source_file, sources[0], name)
        if uses is not None and uses[1]:  # `const ORIGIN = process.env.CORS_ORIGIN || '…'` only split: it goes
            block = Block(source_file, context, name, env, defaults, statement.start_byte, _reader(sources))
            _import_once(block, imports)
            changes.append(Edit(source_file.path, statement.start_byte, statement.end_byte, block.declaration()))
            changes.extend(uses[0])
            kept = sources[0]
        else:
            offset = typescript.leading_comments_start(source_file.data, statement)
            block = Block(source_file, context, name, env, defaults, offset, _reader(sources))
            _import_once(block, imports)
            text = block.declaration() + "\n\n"
            if block.import_edit is not None and block.import_edit.start == offset:
                text, block.import_edit = block.import_edit.text + "\n" + text, None  # the import first
            changes.append(Edit(source_file.path, offset, offset, text))
    for source in sources:
        if source is not kept:
            changes.extend(_source_edits(source_file, source, name, table))
    if block.import_edit is not None:
        changes.append(block.import_edit)
    line, col = source_file.line_col(sources[0].node.start_byte)
    yield Finding(INFO.id, source_file.path, line, col,
                  f"CORS origins {_falls_back(sources[0])} when {env} is unset: one `{name}` list read from {env}, "
                  f"exit 1 at start-up in production when it is empty, {_outside(sources[0])}{block.logger_note}",
                  tuple(changes))


def _outside(source: Source) -> str:
    if _permissive(source):
        return f"`{source.fallback}` only outside production"
    return "localhost defaults only outside production"


def _import_once(block: Block, imports: set[tuple[int, str]]) -> None:
    """The logger import goes in once per file, however many lists use the logger."""
    edit = block.import_edit
    if edit is None:
        return
    if (edit.start, edit.text) in imports:
        block.import_edit = None
    imports.add((edit.start, edit.text))


def _home(node: Node, table: dict[str, Imported]) -> Node | None:
    """The function each call of which evaluates `node` (None: the module, when it loads).
    An origin callback is skipped: the list belongs to the CORS set-up around it."""
    function = typescript.enclosing_function(node)
    while function is not None and is_cors_site(function, table):
        function = typescript.enclosing_function(function)
    return function


def _rewrite_in_function(source_file: SourceFile, context: Context, sources: list[Source], function: Node,
                         imports: set[tuple[int, str]]) -> Finding:
    """Lists read inside a function: the constant and its check go at the start of the
    statement that reads the first one, in the function's body. Hoisted to the module they
    would run when it loads, before the caller's `dotenv.config()` or settings."""
    env = sources[0].env
    line, col = source_file.line_col(sources[0].node.start_byte)
    body = function.child_by_field_name("body")
    if body is None or body.type != "statement_block":
        return Finding(INFO.id, source_file.path, line, col,
                       f"CORS origins {_falls_back(sources[0])} when {env} is unset, in an arrow function without a "
                       f"body block: give it one, then rerun fixer (or exit in production when {env} is empty "
                       "where the function reads it)")
    data = source_file.data
    statement = sources[0].node
    while statement.parent is not None and statement.parent.id != body.id:
        statement = statement.parent
    defaults = _pushed(source_file, sources)  # (a top-level constant holding them is set when the function runs)
    name = typescript.free_name(source_file.tree.root_node, ("corsOrigins", "allowedCorsOrigins"))
    offset = typescript.leading_comments_start(data, statement)
    block = Block(source_file, context, name, env, defaults, offset, _reader(sources))
    _import_once(block, imports)
    start = typescript.line_start(data, offset)
    indent = data[start:offset].decode()
    lines = block.declaration().split("\n")
    if indent.strip(" \t") == "":  # the statement starts its line: the block goes above it, indented alike
        text = "\n".join([lines[0]] + [indent + line if line else line for line in lines[1:]]) + "\n\n" + indent
    else:  # `{ app.use(…) }` on one line: the block on lines of its own
        outer = indent[:len(indent) - len(indent.lstrip(" \t"))]
        inner = outer + source_file.text.indent_unit
        text = "\n" + "\n".join(inner + line if line else line for line in lines) + "\n" + inner
    gap = offset
    while gap > start and data[gap - 1:gap] in (b" ", b"\t"):
        gap -= 1  # no blanks left at the end of the line
    changes = [Edit(source_file.path, gap if gap > start else offset, offset, text)]
    table = typescript.import_table(source_file.tree.root_node)
    changes.extend(Edit(source_file.path, s.node.start_byte, s.node.end_byte,
                        _origin_text(source_file, s.node, name, table, not s.is_list, _kept_fallback(s))) for s in sources)
    if block.import_edit is not None:
        changes.append(block.import_edit)
    return Finding(INFO.id, source_file.path, line, col,
                   f"CORS origins {_falls_back(sources[0])} when {env} is unset: one `{name}` list read from {env} "
                   f"where the function reads it, exit 1 in production when it is empty, {_outside(sources[0])}"
                   f"{block.logger_note}", tuple(changes))


def _source_edits(source_file: SourceFile, source: Source, name: str, table: dict[str, Imported]) -> list[Edit]:
    """The list replaces the source; a string constant is replaced at its CORS uses and goes
    when nothing else uses it."""
    uses = _string_constant_uses(source_file, source, name)
    if uses is None:
        edit = Edit(source_file.path, source.node.start_byte, source.node.end_byte,
                    _origin_text(source_file, source.node, name, table, not source.is_list, _kept_fallback(source)))
        if not _permissive(source):
            return [edit]
        # a constant holding the list with a permissive default: its CORS sites keep the default
        return [edit] + [_site_edit(source_file, site, name, table, False, source.fallback)
                         for site in _cors_sites(source_file, source, table) if site.id != source.node.id]
    edits, removable = uses
    if removable:
        statement = typescript.enclosing_statement(_top_level_declarator(source.node))
        edits.append(Edit(source_file.path, *typescript.statement_removal_span(source_file.data, statement), ""))
    return edits


def _site_edit(source_file: SourceFile, site: Node, name: str, table: dict[str, Imported],
               one_string: bool = False, fallback: str = "") -> Edit:
    """`name` (or what @koa/cors takes for it) at a CORS site; `{ origin }` gets its key."""
    text = _origin_text(source_file, site, name, table, one_string, fallback)
    if site.type == "shorthand_property_identifier":
        text = f"{(site.text or b'').decode()}: {text}"
    return Edit(source_file.path, site.start_byte, site.end_byte, text)


def _top_level_statement(node: Node) -> Node:
    statement = typescript.enclosing_statement(node)
    while statement.parent is not None and statement.parent.type != "program":
        statement = typescript.enclosing_statement(statement.parent)
    return statement


def _mutable_list_constant(node: Node) -> bool:
    """A top-level constant whose type lets the check push the defaults (not `readonly string[]`)."""
    declarator = _top_level_declarator(node)
    annotation = declarator.child_by_field_name("type") if declarator is not None else None
    return declarator is not None and not re.search(rb"\b(readonly|ReadonlyArray)\b", annotation.text if annotation else b"")


def _top_level_declarator(node: Node) -> Node | None:
    declarator = typescript.outer_parens(node).parent
    if declarator is None or declarator.type != "variable_declarator":
        return None
    statement = typescript.enclosing_statement(declarator)
    if statement.parent is None or statement.parent.type != "program":
        return None
    return declarator


def _string_constant_uses(source_file: SourceFile, source: Source, name: str) -> tuple[list[Edit], bool] | None:
    """For a constant holding one origin string (`const ORIGIN = process.env.CORS_ORIGIN || '…'`):
    the edits that put the list where it is used as one (`ORIGIN.split(',')`, a CORS origin),
    and whether nothing else uses it (then it can go). None when the source is no such constant."""
    declarator = _top_level_declarator(source.node)
    if declarator is None or source.is_list:
        return None
    table = typescript.import_table(source_file.tree.root_node)
    constant = (declarator.child_by_field_name("name").text or b"").decode()
    edits, others = [], 0
    for reference in _references(source_file, declarator, constant):
        use, listy = _use(reference)
        if reference.type == "shorthand_property_identifier":
            if is_cors_site(reference, table):  # `cors({ origin })`
                edits.append(_site_edit(source_file, reference, name, table, True, _kept_fallback(source)))
            else:
                others += 1
            continue
        if not listy and not is_cors_site(use, table):
            others += 1  # still used as a string (a log line, a link, `ORIGIN.trim()`)
            continue
        edits.append(Edit(source_file.path, use.start_byte, use.end_byte,
                          _origin_text(source_file, use, name, table, not listy, _kept_fallback(source))))
    statement = typescript.enclosing_statement(declarator)
    alone = len(typescript.list_items(declarator.parent)) == 1 and statement.type != "export_statement"
    return edits, not others and alone


class Block:
    """The constant and the production check, in the file's style."""

    def __init__(self, source_file: SourceFile, context: Context, name: str, env: str, pushed: tuple[str, ...],
                 offset: int, reader: str = ""):
        """`pushed`: what the check pushes outside production (`_pushed`: the quoted origins, `...CONSTANT`);
        `reader`: the validated env object the lists read the variable from (`env`), "" for process.env."""
        self.file, self.name, self.env, self.pushed, self.reader = source_file, name, env, pushed, reader
        self.q = logger.quote_style(source_file)
        self.brackets = typescript.env_access_style(source_file.data) == "brackets" or \
            typescript.env_brackets_required(source_file.path, source_file.kind, dict(context.env_projects))
        self.semi = ";" if logger.uses_semicolons(source_file) else ""
        self.unit = source_file.text.indent_unit
        # the repository's logger, else a Fastify instance's `app.log` made above the check, else console
        at = source_file.tree.root_node.descendant_for_byte_range(offset, offset) or source_file.tree.root_node
        found = logger.writing_logger(source_file, dict(context.loggers), at)
        binding, reason = found.binding, found.reason
        if binding and not _defined_before(source_file, binding.split(".")[0], offset):
            binding, reason = None, f"{binding} is created below the check"
        elif binding and found.edit is not None and logger.is_commonjs(source_file) and found.edit.start > offset:
            binding, reason = None, "a require added below the check would not have run yet"
        elif binding and found.edit is not None and _imports_back(source_file, context):
            binding, reason = None, "the logger module imports this file, an import would be a cycle"
        elif binding:  # one message at `error`: a logger without it (a TypeError, and console-to-logger would take
            # the call for proof of the method), or that takes a tag first, leaves the call to console
            unfit, why = logger.unfit_levels(source_file, found, dict(context.loggers), context.shapes, ("error",))
            if unfit:
                binding, reason = None, why
        self.log = binding or "console"
        self.import_edit = found.edit if binding else None
        self.logger_note = "" if binding else f" (logs with console: {reason})"

    def declaration(self) -> str:
        return f"const {self.name} = {self.reading()}{self.semi}\n{self.check()}"

    def reading(self) -> str:
        q, u = self.q, self.unit
        variable = f"{self.reader}.{self.env}" if self.reader else self.read(self.env)
        return (f"({variable} || {q}{q})\n{u}.split({q},{q})\n{u}.map((origin) => origin.trim())"
                f"\n{u}.filter(Boolean)")

    def read(self, env: str) -> str:
        return f"process.env[{self.q}{env}{self.q}]" if self.brackets else f"process.env.{env}"

    def check(self) -> str:
        q, s, u, name = self.q, self.semi, self.unit, self.name
        origins = ", ".join(self.pushed)
        if not origins:  # a permissive default: the CORS sites keep it for an empty list
            return "\n".join([
                f"if ({name}.length === 0 && {self.read('NODE_ENV')} === {q}production{q}) {{",
                f"{u}{self.log}.error({q}{self.env} must be set in production{q}){s}",
                f"{u}process.exit(1){s}",
                "}",
            ])
        return "\n".join([
            f"if ({name}.length === 0) {{",
            f"{u}if ({self.read('NODE_ENV')} === {q}production{q}) {{",
            f"{u}{u}{self.log}.error({q}{self.env} must be set in production{q}){s}",
            f"{u}{u}process.exit(1){s}",
            f"{u}}}",
            f"{u}{name}.push({origins}){s}",
            "}",
        ])


def _imports_back(source_file: SourceFile, context: Context) -> bool:
    """The logger module this file would import imports this file (a config module the
    logger reads its level from): that cycle leaves the logger undefined at start-up."""
    convention = logger.convention_for(source_file.repo, source_file.path, dict(context.loggers))
    imported = dict(context.logger_imports).get(convention.target or "") if convention else None
    return imported is not None and source_file.path in imported


def _defined_before(source_file: SourceFile, binding: str, offset: int) -> bool:
    """An imported logger is there from the start; one created in the file only after its line."""
    for statement in source_file.tree.root_node.named_children:
        for name, _value in _declared(statement):
            if name == binding:
                return statement.end_byte <= offset
    return True


def _declared(statement: Node) -> Iterator[tuple[str, Node]]:
    declaration = statement.child_by_field_name("declaration") if statement.type == "export_statement" else statement
    if declaration is None or declaration.type not in ("lexical_declaration", "variable_declaration"):
        return
    for declarator in typescript.list_items(declaration):
        name = declarator.child_by_field_name("name")
        if name is not None and name.type == "identifier":
            yield name.text.decode(), declarator


# the variable a changed file now requires in production, from the check the edit writes (`_Origins.check`)
_REQUIRED_IN_PRODUCTION = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]*) must be set in production\b")


def finish(repo: Repo, context: Context, findings: list[Finding]) -> Iterator[Finding]:
    """Each variable the fixed files now require in production, documented in the env templates that lack it
    (`fixer.envtemplate`, as graceful-shutdown and db-degradation document theirs), and reported where a compose
    file runs their service in production without it (`_compose_without`)."""
    needed: dict[str, set[str]] = {}
    for finding in findings:
        if finding.fixable:
            for change in finding.changes:
                for match in _REQUIRED_IN_PRODUCTION.finditer(getattr(change, "text", "") or ""):
                    needed.setdefault(match.group(1), set()).add(finding.path)
    for key in sorted(needed):
        yield from envtemplate.findings(repo, INFO.id, sorted(needed[key]), key, "",
                                        "required in production: the comma-separated origins browsers may call "
                                        "this service from; the service exits at start-up without it")
    for path, keys in repo.facts_of(REQUIRED).items():  # the check, merged already: compose still runs without it
        for key in keys:
            needed.setdefault(key, set()).add(path)
    for key in sorted(needed):
        yield from _compose_without(repo, key, sorted(needed[key]))


# the check `Block.check` writes (or one written alike): its log line, then the exit
_CHECK_WRITTEN = re.compile(rb"\.error\(\s*['\"]([A-Za-z_][A-Za-z0-9_]*) must be set in production['\"]\s*\);?\s*process\.exit\(1\)")


def _required_in_production(source_file: SourceFile) -> tuple[str, ...]:
    """The variables a file already exits on in production as this fix's check does, from its bytes (no parse)."""
    return tuple(sorted({match.group(1).decode() for match in _CHECK_WRITTEN.finditer(source_file.data)}))


REQUIRED = FactsSpec("cors-validation/required-in-production", _required_in_production, CODE_KINDS,
                     (b"must be set in production",))


def _compose_without(repo: Repo, key: str, paths: list[str]) -> Iterator[Finding]:
    """A compose file that runs a service these files belong to in production (NODE_ENV=production from its
    `environment:`, an `env_file:` it reads or its image) with `key` unset or empty: `docker compose up` of it
    would now stop the service; or with only localhost origins where the shell sets nothing (`_localhost_only`):
    the check never fires. Reported, not edited: only the deployment knows the origins, and
    `${KEY:?…}` would stop every `docker compose` command of the file, development's too, where it is unset.
    An override or a development file is layered on a base, or runs outside production: not read; a production
    file (`docker-compose.prod.yml`) or another is read with the same service of the base it may be layered on
    (`-f docker-compose.yml -f docker-compose.prod.yml`: `Repo.compose_bases`)."""
    changed: dict[str, str] = {}
    for path in paths:
        service = repo.service_for(path)
        if service is not None:
            changed.setdefault(service.dir, path)
    told: dict[tuple[str, str], tuple[ComposeService, Finding]] = {}
    for compose in repo.compose_services:
        if compose_edit.role(compose.file) in ("override", "development"):
            continue
        layers = [compose] + repo.compose_bases(compose)
        service = next((s for layer in layers if (s := repo.service_of_compose(layer)) is not None), None)
        if service is None or service.dir not in changed:
            continue
        node_env = next((v for layer in layers if (v := compose_env(repo, layer, "NODE_ENV"))), None)
        if node_env is None or node_env[0] is None or compose_edit.unset(node_env[0]) != "production":
            continue
        given = next((v for layer in layers if (v := compose_env(repo, layer, key))), None)
        local = given is not None and given[0] is not None and _localhost_only(given[0])
        if given is not None and not local and (given[0] is None or "$" in given[0] or given[0].strip()):
            continue  # set, or passed through from the shell or the project's .env: the deployment's to fill
        if given is None and _unread_env_files(repo, compose):
            continue  # (it reads an env file the deployment keeps, which the env templates tell to set it)
        told[compose.file, compose.name] = \
            (compose, _compose_finding(repo, compose, key, changed[service.dir], node_env[1], given, local))
    for compose, finding in told.values():
        if not any(base in told for base in compose.bases):
            yield finding  # (a file layered on a base that is told already: the one entry there serves both)


def _localhost_only(value: str) -> bool:
    """Whether a compose value is only localhost origins where the shell leaves the variables it names unset
    (`compose_edit.unset`): `http://localhost:3000`, `${CORS_ORIGIN:-http://localhost:3000}`,
    `${CORS_ORIGIN-http://127.0.0.1:5173}`. Compose fills that in, so the start-up check never fires and
    production allows only localhost. (A variable with no default, `${CORS_ORIGIN}`, is the deployment's.)"""
    filled = compose_edit.unset(value, "\0")
    origins = [origin.strip() for origin in filled.split(",") if origin.strip()]
    return "\0" not in filled and bool(origins) and all(LOCAL_ORIGIN.match(origin) for origin in origins)


def _unread_env_files(repo: Repo, compose: ComposeService) -> list[str]:
    """The `env_file:` files of a compose service that the repository does not hold (a deployment's own)."""
    files = yamlfile.get(compose.node, "env_file")
    unread = []
    for node in (files.value if isinstance(files, yamlfile.SequenceNode) else [files] if files is not None else []):
        node = yamlfile.get(node, "path") if isinstance(node, yamlfile.MappingNode) else node
        if isinstance(node, ScalarNode) and isinstance(node.value, str) and node.value:
            path = posixpath.normpath(posixpath.join(posixpath.dirname(compose.file), node.value))
            if not repo.exists(path):
                unread.append(node.value)
    return unread


def _compose_finding(repo: Repo, compose: ComposeService, key: str, path: str, production: str,
                     given: tuple[str | None, str] | None, local: bool = False) -> Finding:
    environment = yamlfile.get(compose.node, "environment")
    line = next((yamlfile.line(k) for n, k, node in compose_edit.services(repo.file(compose.file))
                 if n == compose.name and node is compose.node), yamlfile.line(compose.node))
    for where in ([given[1]] if given is not None else []) + [production]:  # the entry in this file, else the service
        if where.startswith(compose.file + ":"):
            line = int(where.rpartition(":")[2])
            break
    value = "<the origins browsers call it from, comma-separated>"
    env_file = production.rpartition(":")[0]
    here = given is not None and given[1].startswith(compose.file + ":")
    if given is not None and (here or not local):  # (a localhost value of a base: this file's own entry overrides it)
        add = f"set it to {value} at {given[1]}"
    elif any(read == env_file for read, _line in env_file_entries(repo, compose)):
        add = f"add `{key}={value}` to {env_file}, which sets NODE_ENV"
    elif isinstance(environment, yamlfile.SequenceNode):
        add = f"add `- {key}={value}` to its `environment:`"
    elif isinstance(environment, yamlfile.MappingNode):
        add = f"add `{key}: {value}` to its `environment:`"
    else:
        add = f"add `environment:` with `{key}: {value}`"
    where = "" if production.startswith(compose.file + ":") else f" ({production})"
    if local and given is not None and given[0] is not None:  # (`_localhost_only`: compose fills in localhost)
        shell = "$" in given[0]
        state = f"{key} defaulting to localhost" if shell else f"{key} set to localhost"
        if shell and here:
            add = f"drop the localhost default so the check stops {compose.name} where no origins are given, or {add}"
        unset = "where the shell leaves the variable unset, compose fills in localhost: " if shell else ""
        return Finding(INFO.id, compose.file, line, 1,
                       f"{compose.name} runs with NODE_ENV=production{where} and {state} (`{given[0]}` at {given[1]}): "
                       f"{unset}production allows only localhost origins, and the start-up check of {path} never "
                       f"fires; {add} (fixer cannot know the origins)")
    state = f"{key} empty" if given is not None else f"no {key}"
    return Finding(INFO.id, compose.file, line, 1,
                   f"{compose.name} runs with NODE_ENV=production{where} and {state}: {path} exits 1 at "
                   f"start-up in production without {key}: {compose.name} stops where {compose.file} runs it; {add} (fixer "
                   f"cannot know the origins)")


FACTS = [logger.VOTES, logger.MADE, ENV_LISTS, ENV_OBJECTS, logger.LOGGER_CALLS, REQUIRED]  # gathered ahead, in the engine's one pass over the files
