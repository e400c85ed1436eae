"""Initialise at start-up with retries, add a `/ready` probe, and answer 503 until ready.

## What it does

Finds lazy first-request initialisation: an Express `app.use(async (req, res, next) => …)`
middleware that, while a module-level flag is false (`let servicesInitialized = false`),
awaits an init function and sets the flag (the audit's course-service and
student-service shape), and the Fastify variant in an `addHook('preHandler' | 'onRequest', …)`
hook. It rewrites them as the audit's Fix 6:

- the init function runs when the module loads, in a loop that retries with exponential
  backoff (1 s, 2 s, 4 s … capped at 30 s) until it succeeds, then sets the same flag and
  logs through the repository's logger; the init function and flag keep their names;
- a `/ready` route answers 503 with a JSON body until the flag is set, 200 after (unless
  the app already has `/ready` or `/readyz`);
- `/health` stays as it is: cheap liveness that never waits for the database;
- the lazy middleware no longer initialises: it answers 503 (the service's own 503 body
  when it had one) to every request that arrives before initialisation has finished, so no
  request reaches uninitialised services. When `/health` is registered after the
  middleware, the guard lets `/health` and `/ready` through.

## Why

The audit (Section 2, "Lazy Initialization Causes 503s") found services that connect
to their database on the first request: the first users get errors, nothing warms the
service before traffic arrives, and health checks pass while the service cannot serve.
Initialising at start-up and reporting readiness separately from liveness lets the
orchestrator send traffic only to instances that are ready, without restarting the ones
that are merely waiting for their database.

## Example

```diff
-// Initialize database connections on first request
+// Until start-up initialisation has finished, answer 503 (see /ready)
 app.use(async (req: Request, res: Response, next: NextFunction) => {
   if (!servicesInitialized) {
-    try {
-      await initializeServices();
-      servicesInitialized = true;
-    } catch (error) {
-      console.error('Failed to initialize Course Service:', error);
-      return res.status(503).json({ error: 'Service temporarily unavailable' });
-    }
+    return res.status(503).json({ error: 'Service temporarily unavailable' });
   }
   next();
 });
```

plus a `/ready` route after `/health` and, before `export default app`, the start-up loop:

```ts
void (async () => {
  for (let attempt = 1; !servicesInitialized; attempt++) {
    try {
      await initializeServices();
      servicesInitialized = true;
      logger.info('course-service initialized', { attempt });
    } catch (error) {
      const delayMs = Math.min(1000 * 2 ** (attempt - 1), 30000);
      logger.error('course-service initialization failed, retrying', { attempt, delayMs, … });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
})();
```

## Fix safety

Review. Start-up order changes: the init function now runs when the module is loaded
(also when a test imports the app), keeps retrying in the background while its
dependencies are down, and requests get 503 until it succeeds instead of triggering it.
A reviewer checks, per finding note: readiness probes (Kubernetes `readinessProbe`,
load balancers) point at `/ready` while liveness stays on `/health`; everything the init
function uses is defined before the start-up loop runs; tests that import the app
either wait for `/ready` or stub the init function.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from fixer import logger as repo_logger
from fixer.model import Edit, Finding, FixInfo
from fixer.parsing import typescript as ts
from fixer.parsing.typescript import Node
from fixer.repo import Repo, SourceFile

INFO = FixInfo(
    id="eager-init",
    title="Initialise at start-up and add a readiness probe",
    audit="Fix 6",
    week=2,
    order=7,
    severity="high",
    safety="review",
    kinds=frozenset({"ts", "tsx", "js"}),
    prefilter=(b"Initialized", b"initialized", b"Ready", b"ready", b"Init", b"init"),
    structural="services",  # scan: a service's name, the logger import
)

READY_PATHS = frozenset({"/ready", "/readyz", "/readiness"})
HOOKS = frozenset({"preHandler", "onRequest"})
NOT_INIT = re.compile(r"^(res|reply|response|req|request|console|logger|log|next|done)\b")
LAZY_COMMENT = re.compile(r"lazy|lazily|first (api )?request|on demand", re.I)
MAX_DELAY_MS = 30000


@dataclass(frozen=True)
class LazyInit:
    statement: Node  # the `app.use(…)` / `fastify.addHook(…)` statement
    handler: Node  # the middleware function
    guard: Node  # `if (!flag) { … await init() … }`
    flag: str
    init_call: str  # `initializeServices()` as written
    app: str  # the app/fastify object
    fastify: bool
    request: str
    reply: str


@dataclass(frozen=True)
class Context:
    conventions: tuple[tuple[str | None, repo_logger.LoggerImport], ...]


def prepare(repo: Repo, options: dict) -> Context:
    conventions = repo_logger.infer(repo)
    return Context(tuple(sorted(conventions.items(), key=lambda kv: str(kv[0]))))


# --- finding lazy initialisation ------------------------------------------------------


def find_lazy_inits(source_file: SourceFile) -> Iterator[LazyInit]:
    root = source_file.tree.root_node
    flags = {b.name for b in ts.top_level_bindings(root)
             if b.holder.type == "lexical_declaration" and (b.holder.text or b"").startswith(b"let")
             and b.element.type == "variable_declarator" and _text(b.element.child_by_field_name("value")) == "false"}
    if not flags:
        return
    for call in ts.iter_member_calls(root):
        statement = ts.outer_parens(call.call).parent
        if statement is None or statement.type != "expression_statement" or statement.parent != root:
            continue
        handler, fastify = _middleware(call)
        if handler is None:
            continue
        params = [p for p in ts.list_items(handler.child_by_field_name("parameters")) if p.type != "comment"] \
            if handler.child_by_field_name("parameters") is not None else []
        if len(params) < 2:
            continue
        found = _lazy_guard(handler, flags)
        if found is None:
            continue
        guard, flag, init_call = found
        yield LazyInit(statement, handler, guard, flag, init_call, _text(call.object), fastify,
                       _param_name(params[0]), _param_name(params[1]))


def _middleware(call: ts.MemberCall) -> tuple[Node | None, bool]:
    args = call.args
    if call.method == "use" and len(args) == 1 and args[0].type in ("arrow_function", "function_expression", "function"):
        return args[0], False
    if call.method == "addHook" and len(args) == 2 and ts.string_value(args[0]) in HOOKS and \
            args[1].type in ("arrow_function", "function_expression", "function"):
        return args[1], True
    return None, False


def _lazy_guard(handler: Node, flags: set[str]) -> tuple[Node, str, str] | None:
    """`if (!flag) { … await init(); flag = true; … }` directly in the handler's body."""
    body = handler.child_by_field_name("body")
    if body is None or body.type != "statement_block":
        return None
    for statement in ts.list_items(body):
        if statement.type != "if_statement" or statement.child_by_field_name("alternative") is not None:
            continue
        condition = ts.inner_parens(statement.child_by_field_name("condition"))  # type: ignore[arg-type]
        operand = condition.child_by_field_name("argument") if condition.type == "unary_expression" else None
        if operand is None or _text(condition).lstrip()[:1] != "!" or _text(operand) not in flags:
            continue
        flag = _text(operand)
        consequence = statement.child_by_field_name("consequence")
        sets_flag = any(_text(a.child_by_field_name("left")) == flag and _text(a.child_by_field_name("right")) == "true"
                        for a in ts.descendants(consequence, "assignment_expression")) if consequence else False
        init = _init_call(consequence) if consequence is not None else None
        if sets_flag and init is not None:
            return statement, flag, init
    return None


def _init_call(block: Node) -> str | None:
    for awaited in ts.descendants(block, "await_expression"):
        call = ts.inner_parens(awaited.named_children[0]) if awaited.named_children else None
        if call is not None and call.type == "call_expression" and not NOT_INIT.match(_text(call.child_by_field_name("function"))):
            return _text(call)
    return None


def _param_name(param: Node) -> str:
    name = param.child_by_field_name("pattern") or param
    return _text(name)


def ready_route(source_file: SourceFile) -> str | None:
    """The readiness path the app already serves (`/ready`, `/readyz`, `/readiness`), if any."""
    for call in ts.iter_member_calls(source_file.tree.root_node):
        if call.method in ("get", "all", "route", "head") and call.args and ts.string_value(call.args[0]) in READY_PATHS:
            return ts.string_value(call.args[0])
        if call.method == "route" and call.args and call.args[0].type == "object":
            url = ts.string_value(ts.object_property(call.args[0], "url"))
            if url in READY_PATHS:
                return url
    for literal in ts.iter_string_literals(source_file.tree.root_node):
        if literal.value in READY_PATHS and b"req.url" in source_file.data:
            return literal.value  # a raw http handler: `if (req.url === '/ready')`
    return None


def health_route(source_file: SourceFile) -> Node | None:
    """The top-level statement registering `/health`, if any."""
    for call in ts.iter_member_calls(source_file.tree.root_node):
        if call.method in ("get", "all", "route") and call.args and ts.string_value(call.args[0]) in ("/health", "/healthz"):
            statement = ts.outer_parens(call.call).parent
            if statement is not None and statement.type == "expression_statement" and \
                    statement.parent == source_file.tree.root_node:
                return statement
    return None


# --- per file -----------------------------------------------------------------------


def scan(source_file: SourceFile, context: Context) -> Iterator[Finding]:
    for lazy in find_lazy_inits(source_file):
        yield _rewrite(source_file, lazy, context)


def _rewrite(source_file: SourceFile, lazy: LazyInit, context: Context) -> Finding:
    found = repo_logger.logger_for(source_file, dict(context.conventions))
    logger = found.binding or "console"
    quote = repo_logger.quote_style(source_file)
    semi = ";" if repo_logger.uses_semicolons(source_file) else ""
    service = source_file.service.name if source_file.service else "service"
    health = health_route(source_file)
    health_after = health is not None and health.start_byte > lazy.statement.start_byte
    existing_ready = ready_route(source_file)
    ready = existing_ready is None
    edits = [found.edit] if found.edit else []
    edits.append(_guard_edit(source_file, lazy, quote, semi, service, health_after, existing_ready or "/ready"))
    edits.extend(_comment_edits(source_file, lazy))
    if ready:
        anchor = health if health is not None and not health_after else None
        edits.append(_ready_route_edit(source_file, lazy, anchor, quote, semi, service))
    edits.append(_startup_loop_edit(source_file, lazy, logger, quote, semi, service))
    line, col = source_file.line_col(lazy.statement.start_byte)
    what = f"`{lazy.init_call}` runs on the first request while `{lazy.flag}` is false (lazy initialisation)"
    return Finding(INFO.id, source_file.path, line, col,
                   f"{what}: now at start-up with retries; requests before ready get 503"
                   + ("; /ready added" if ready else ""),
                   tuple(edits), note=_note(lazy, ready, health_after, logger))


def _guard_edit(source_file: SourceFile, lazy: LazyInit, quote: str, semi: str, service: str, health_after: bool,
                ready_path: str) -> Edit:
    """The lazy `if (!flag) { try { await init() } … }` becomes `if (!flag) { return 503 }`."""
    indent = source_file.text.indent_at(lazy.guard.start_byte)
    unit = source_file.text.indent_unit
    body = _existing_503(source_file, lazy, indent + unit)
    if body is None:
        payload = (f"{{ error: {quote}Service unavailable{quote}, message: "
                   f"{quote}{service} is starting up, please retry shortly{quote} }}")
        body = (f"return {lazy.reply}.code(503).send({payload}){semi}" if lazy.fastify
                else f"return {lazy.reply}.status(503).json({payload}){semi}")
    condition = f"!{lazy.flag}"
    if health_after:
        path = f"{lazy.request}.url" if lazy.fastify else f"{lazy.request}.path"
        condition += f" && {path} !== {quote}/health{quote} && {path} !== {quote}{ready_path}{quote}"
    text = f"if ({condition}) {{\n{indent}{unit}{body}\n{indent}}}"
    return Edit(source_file.path, lazy.guard.start_byte, lazy.guard.end_byte, text)


def _existing_503(source_file: SourceFile, lazy: LazyInit, indent: str) -> str | None:
    """The service's own 503 answer from the lazy branch's catch, re-indented."""
    for statement in ts.descendants(lazy.guard, "return_statement"):
        text = _text(statement)
        if re.search(r"\.(status|code)\(\s*503\s*\)", text):
            old = source_file.text.indent_at(statement.start_byte)
            lines = text.replace("\r\n", "\n").split("\n")
            shifted = [lines[0]] + [indent + line[len(old):] if line.startswith(old) else line for line in lines[1:]]
            return "\n".join(shifted)
    return None


def _comment_edits(source_file: SourceFile, lazy: LazyInit) -> list[Edit]:
    """A comment right above the middleware that says it initialises lazily is now wrong."""
    comment = lazy.statement.prev_sibling
    if comment is None or comment.type != "comment" or not LAZY_COMMENT.search(_text(comment)):
        return []
    if source_file.line_col(comment.end_byte)[0] + 1 != source_file.line_col(lazy.statement.start_byte)[0]:
        return []
    return [Edit(source_file.path, comment.start_byte, comment.end_byte,
                 "// Until start-up initialisation has finished, answer 503 (see /ready)")]


def _ready_route_edit(source_file: SourceFile, lazy: LazyInit, after: Node | None, quote: str, semi: str,
                      service: str) -> Edit:
    unit = source_file.text.indent_unit
    q = quote
    if lazy.fastify:
        route = (f"{lazy.app}.get({q}/ready{q}, async (_request, reply) => {{\n"
                 f"{unit}if (!{lazy.flag}) {{\n"
                 f"{unit}{unit}return reply.code(503).send({{ status: {q}not ready{q}, service: {q}{service}{q} }}){semi}\n"
                 f"{unit}}}\n"
                 f"{unit}return {{ status: {q}ready{q}, service: {q}{service}{q} }}{semi}\n"
                 f"}}){semi}")
    else:
        route = (f"{lazy.app}.get({q}/ready{q}, (_req, res) => {{\n"
                 f"{unit}if (!{lazy.flag}) {{\n"
                 f"{unit}{unit}return res.status(503).json({{ status: {q}not ready{q}, service: {q}{service}{q} }}){semi}\n"
                 f"{unit}}}\n"
                 f"{unit}return res.json({{ status: {q}ready{q}, service: {q}{service}{q} }}){semi}\n"
                 f"}}){semi}")
    comment = "// Readiness: 503 until start-up initialisation has finished (liveness stays on /health)\n"
    if after is not None:
        return Edit(source_file.path, after.end_byte, after.end_byte, f"\n\n{comment}{route}")
    start = _block_start(source_file, lazy.statement)
    return Edit(source_file.path, start, start, f"{comment}{route}\n\n")


def _startup_loop_edit(source_file: SourceFile, lazy: LazyInit, logger: str, quote: str, semi: str, service: str) -> Edit:
    unit = source_file.text.indent_unit
    q = quote
    u1, u2, u3 = unit, unit * 2, unit * 3
    error = "error instanceof Error ? error.message : String(error)"
    loop = (
        f"// Initialise at start-up, retrying with backoff until it succeeds; /ready reports when.\n"
        f"void (async () => {{\n"
        f"{u1}for (let attempt = 1; !{lazy.flag}; attempt++) {{\n"
        f"{u2}try {{\n"
        f"{u3}await {lazy.init_call}{semi}\n"
        f"{u3}{lazy.flag} = true{semi}\n"
        f"{u3}{logger}.info({q}{service} initialized{q}, {{ attempt }}){semi}\n"
        f"{u2}}} catch (error) {{\n"
        f"{u3}const delayMs = Math.min(1000 * 2 ** (attempt - 1), {MAX_DELAY_MS}){semi}\n"
        f"{u3}{logger}.error({q}{service} initialization failed, retrying{q}, {{ attempt, delayMs, error: {error} }}){semi}\n"
        f"{u3}await new Promise((resolve) => setTimeout(resolve, delayMs)){semi}\n"
        f"{u2}}}\n"
        f"{u1}}}\n"
        f"}})(){semi}"
    )
    last = _final_export(source_file)
    if last is not None:
        start = _block_start(source_file, last)
        return Edit(source_file.path, start, start, f"{loop}\n\n")
    data = source_file.data
    prefix = "" if data.endswith(b"\n") else "\n"
    return Edit(source_file.path, len(data), len(data), f"{prefix}\n{loop}\n")


def _final_export(source_file: SourceFile) -> Node | None:
    """`export default app` / `module.exports = app` when it is the module's last statement."""
    statements = [s for s in source_file.tree.root_node.named_children if s.type != "comment"]
    if not statements:
        return None
    last = statements[-1]
    text = _text(last)
    return last if text.startswith("export default") or text.startswith("module.exports") else None


def _block_start(source_file: SourceFile, statement: Node) -> int:
    """Where to insert before `statement`: above the comment lines directly attached to it."""
    data = source_file.data
    start = statement.start_byte
    sibling = statement.prev_sibling
    while sibling is not None and sibling.type == "comment" and \
            source_file.line_col(sibling.end_byte)[0] + 1 == source_file.line_col(start)[0]:
        start = sibling.start_byte
        sibling = sibling.prev_sibling
    return data.rfind(b"\n", 0, start) + 1


def _note(lazy: LazyInit, ready: bool, health_after: bool, logger: str) -> str:
    parts = [
        f"Start-up order changed: `{lazy.init_call}` now runs when this module is loaded (also when a test imports it) "
        f"and retries with backoff up to {MAX_DELAY_MS // 1000} s between attempts until it succeeds",
        f"every request before `{lazy.flag}` is true gets 503"
        + (" (except the health and readiness routes, registered after the guard)" if health_after else ""),
        "point readiness probes (Kubernetes readinessProbe, load balancer checks) at /ready and keep liveness on /health"
        if ready else "the existing readiness route must report the same flag",
        "everything the init function uses must be defined before the start-up loop runs",
        "tests that import the app must wait for /ready or stub the init function",
    ]
    if logger == "console":
        parts.append("no logger was found for this file: the start-up loop logs with console")
    return "Check: " + "; ".join(f"({i}) {p}" for i, p in enumerate(parts, 1))


def _text(node: Node | None) -> str:
    return (node.text or b"").decode() if node is not None else ""


FACTS = [repo_logger.VOTES]  # gathered ahead, in the engine's one pass over the files
