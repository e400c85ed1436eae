"""Where a route answers: the mounts of routers and sub-apps (`app.use('/api', router)`,
`app.use('/parse', createApi())`, koa's `app.use(router.routes())`, hapi's plugins registered with
`routes: { prefix }`: `server.register(plugin, …)`, a @hapi/glue manifest's `register.plugins`), followed
across the files that import them. One reading, shared by health-endpoints (is a `/health` a twin of the root
`/healthz`?) and the checklist (which paths does a service serve?).

`MOUNTS` gathers, per file, what it makes (`Router()`s, receivers made in a function or passed
to one), what it mounts where (`uses`), what it exports and imports; `Resolver.standing` says
under which prefixes a route registered on a receiver answers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fixer.parsing import typescript
from fixer.parsing.typescript import node_text as _text
from fixer.repo import CODE_KINDS, FactsSpec, Repo, SourceFile

# the member calls that register a route or mount something (their receiver is an app or a router)
ROUTE_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "all", "use", "route"})


@dataclass(frozen=True)
class MountFacts:
    """A file's reading of its routers, sub-apps and mounts."""

    routers: tuple[tuple[str, str, str], ...]  # `Router()` made (anywhere): (name, its own prefix: koa-router's, the function returning it or "")
    local: tuple[tuple[str, str], ...]  # a receiver made in a function (or its parameter) -> the function returning it, or ""
    uses: tuple[tuple[str, str | None, str, int, int], ...]  # `host.use(prefix, mounted)`: prefix None when not readable; line, col
    exports: tuple[tuple[str, str], ...]  # (exported name, local name) of the file's receivers, routers and their factories
    imports: tuple[tuple[str, str, str], ...]  # (local name, relative module, imported name) of what the file mounts
    # the `local` receivers a function declares (`const api = express()`: not its parameters) and the file does not
    # start (`api.listen(…)`, hapi's `api.start()`, `createServer(api)`): sub-apps, unless mounted where fixer cannot see
    made: tuple[str, ...] = ()
    starts: tuple[tuple[str, str, str], ...] = ()  # (local name, relative module, imported name) of factories whose app the
    # file starts: `http.createServer(await createApp())`, `const app = createApp(); app.listen()`


_PREFIX_NAME = re.compile(r"path|prefix|mount|base|root", re.I)  # `app.use(mountPath, server.app)`
_ROUTER_MADE = re.compile(r"^(?:new\s+)?(?:[\w$]+\s*\.\s*)?Router\s*(?:<[^>]*>)?\s*\(")
_KOA_ROUTES = frozenset({"routes", "middleware", "allowedMethods"})


# what makes a file worth a parse: a mount, a `route()`, a router made, or a verb call that can be a
# route (a path and a handler: not a one-argument lookup, `cache.get(id)`, `map.delete(key)`, which
# nearly every file has and `gather` ignores)
_MOUNTING = re.compile(rb"\.\s*(?:use|route)\s*\(|Router|\bregister\b")  # (hapi: `server.register(…)`, `{ register }`)
_VERB_CALL = re.compile(rb"\.\s*(?:get|post|put|patch|delete|head|options|all)\s*\((?![^(),]*\))")
_SERVING = re.compile(rb"createServer\s*\(|\.\s*listen\s*\(")  # (a file that starts a factory's app: `starts`)
_NONE = MountFacts((), (), (), (), ())


def gather(source_file: SourceFile) -> MountFacts:
    data = source_file.data
    if _MOUNTING.search(data) is None and _VERB_CALL.search(data) is None and _SERVING.search(data) is None:
        return _NONE  # (no parse: the checklist's facts are gathered before the scans, on every file)
    receivers: set[str] = set()
    local: dict[str, str] = {}
    uses: list[tuple[str, str | None, str, int, int]] = []
    made: set[str] = set()
    declared: dict[int, tuple[frozenset[bytes], frozenset[bytes]]] = {}  # a function's names, walked once for all its calls
    for call in _route_calls(source_file):
        if call.method not in ROUTE_METHODS or not call.args or (call.method not in ("use", "route") and len(call.args) < 2):
            continue
        receiver = _text(typescript.inner_parens(call.object))
        receivers.add(receiver)
        function = typescript.enclosing_function(call.call)
        how = _declared_in(function, receiver, declared) if function is not None and receiver not in local else ""
        if function is not None and how:
            local[receiver] = _returning(function, receiver)
            if how == "declared":
                made.add(receiver)
        if call.method == "use":
            uses += _uses(source_file, call, receiver)
    plugins = _hapi_plugins(source_file)
    for call in _hapi_calls(source_file, plugins, local, uses):
        receivers.add(_text(typescript.inner_parens(call.object)))
    uses += _glue_manifests(source_file)
    routers = _routers(source_file)
    names = receivers | {name for name, _, _ in routers} | {f for _, _, f in routers if f} | {f for f in local.values() if f}
    mounted = {name for _, _, name, _, _ in uses}
    started = _started(source_file)
    exports = _exports(source_file, names | {name for name in plugins.values() if "@" not in name})
    return MountFacts(tuple(routers), tuple(sorted(local.items())), tuple(uses), _plugin_exports(source_file, plugins, exports),
                      _mounted_imports(source_file, mounted), tuple(sorted(made - started)),
                      _mounted_imports(source_file, {name for name in started if "." not in name}))


MOUNTS = FactsSpec("mounts", gather, CODE_KINDS,
                   (b"use", b"Router", b"get", b"route", b"all", b"head", b"options", b"post", b"put", b"patch", b"delete",
                    b"listen", b"createServer", b"register"), version=3)  # 3: hapi plugins and their prefixes; 2: apps made and started


# the calls `gather` reads, found from the bytes: each place a method's name is written as a word
# (`x.get(…)`, `x?.use(…)`, `x['get'](…)`) is looked up in the tree, not every call of the file walked
_METHOD_WORD = re.compile(rb"\b(?:%s)\b" % b"|".join(m.encode() for m in sorted(ROUTE_METHODS)))


def _route_calls(source_file: SourceFile) -> list[typescript.MemberCall]:
    """The file's member calls whose method is in `ROUTE_METHODS`, in document order."""
    root = source_file.tree.root_node
    found: dict[int, typescript.MemberCall] = {}
    for match in _METHOD_WORD.finditer(source_file.data):
        node = root.descendant_for_byte_range(match.start(), match.end())
        for _ in range(4):  # the property (a string's fragment for `x['get']`) up to its call
            if node is None or node.type == "call_expression":
                break
            node = node.parent
        call = typescript.member_call(node) if node is not None else None
        if call is not None and call.method_node.start_byte <= match.start() and match.end() <= call.method_node.end_byte:
            found[call.call.id] = call
    return sorted(found.values(), key=lambda call: (call.call.start_byte, -call.call.end_byte))


_STARTING = re.compile(rb"\b(?:listen|start|createServer)\b")


def _started(source_file: SourceFile) -> set[str]:
    """What the file starts serving: `app.listen(…)`, hapi's `server.start()`, `http.createServer(app)`; and
    the function whose result it starts that way: `createApp` for `createServer(await createApp())` or
    `const app = createApp(); app.listen()`."""
    root = source_file.tree.root_node
    found = set()
    for match in _STARTING.finditer(source_file.data):
        node = root.descendant_for_byte_range(match.start(), match.end())
        for _ in range(3):  # the name up to its call
            if node is None or node.type == "call_expression":
                break
            node = node.parent
        if node is None or node.type != "call_expression":
            continue
        callee = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        call = typescript.member_call(node)
        if call is not None and call.method in ("listen", "start") and call.method_node.start_byte == match.start():
            values = [call.object]
        elif callee is not None and arguments is not None and _text(callee).rsplit(".", 1)[-1] == "createServer":
            values = list(arguments.named_children)
        else:
            continue
        for value in (typescript.unwrap(v) for v in values):
            if value is not None and value.type in typescript.FUNCTION_TYPES:
                found |= _handing_to(value)
                continue
            if value is not None and value.type in ("identifier", "member_expression"):
                found.add(_text(value))
                declarator = typescript.declarator_in_scope(_text(value), value) if value.type == "identifier" else None
                value = typescript.unwrap(declarator.child_by_field_name("value")) if declarator is not None else None
            factory = value.child_by_field_name("function") if value is not None and value.type == "call_expression" else None
            if factory is not None and factory.type == "identifier":
                found.add(_text(factory))
    return found


def _handing_to(handler: typescript.Node) -> set[str]:
    """The apps a server's request handler hands its request to: medusa's `createServer(async (req, res) => { …
    app(req, res) })`."""
    parameters = handler.child_by_field_name("parameters")
    names = [_text(p.child_by_field_name("pattern") or p) for p in (parameters.named_children if parameters is not None else [])]
    if len(names) < 2:
        return set()
    found = set()
    for call in typescript.descendants(handler, "call_expression"):
        callee, arguments = call.child_by_field_name("function"), call.child_by_field_name("arguments")
        if callee is not None and callee.type == "identifier" and arguments is not None \
                and [_text(a) for a in arguments.named_children[:2]] == names[:2]:
            found.add(_text(callee))
    return found


def _uses(source_file: SourceFile, call: typescript.MemberCall, receiver: str) -> list[tuple[str, str | None, str, int, int]]:
    """Express's `app.use('/api', router)`, `app.use(router)`, `router.use('/v1', auth, v1Router)`,
    `app.use('/x', makeRouter())`, `app.use(require('./routes'))`, `app.use(mountPath, server.app)`
    (a prefix only known at run time: None), koa's `app.use(router.routes())`."""
    args = call.args
    first = args[0]
    prefix: str | None = ""
    if first.type in ("string", "template_string"):
        prefix = typescript.string_value(first)
    elif first.type == "identifier":
        prefix = _constant(first)
        if prefix is None and not (len(args) > 1 and _PREFIX_NAME.search(_text(first))):
            prefix = ""  # `app.use(router)`
    pathed = prefix != ""  # the first argument is the mount's path
    if prefix is not None and pathed and not prefix.startswith("/"):
        return []  # `app.use('static', …)`: no mount fixer reads
    mounted = args[1:] if pathed else args
    line, col = source_file.line_col((first if pathed else call.call).start_byte)
    found = []
    for argument in [item for arg in mounted for item in (arg.named_children if arg.type == "array" else [arg])]:
        name = _mounted_name(argument)
        if name:
            found.append((receiver, prefix, name, line, col))
    return found


def _constant(node: typescript.Node) -> str | None:
    """The string a `const` in scope gives a name (`const API = '/api'`)."""
    declarator = typescript.declarator_in_scope(_text(node), node)
    value = typescript.unwrap(declarator.child_by_field_name("value")) if declarator is not None else None
    if value is None or declarator.parent is None or declarator.parent.type != "lexical_declaration" \
            or declarator.parent.children[0].type != "const":
        return None
    return typescript.string_value(value)


def _mounted_name(node: typescript.Node) -> str:
    """What `use` mounts, named as the file names it: `router`, `this.router`, `server.app`,
    `createApi` for `createApi()`, `require:./routes` for `require('./routes')`, `router` for koa's
    `router.routes()`; "" for a handler written in place."""
    node = typescript.inner_parens(node)
    if node.type in ("identifier", "member_expression"):
        return _text(node)
    if node.type == "call_expression":
        module = typescript.required_module(node)
        if module is not None:
            return f"require:{module}"
        call = typescript.member_call(node)
        if call is not None and call.method in _KOA_ROUTES:
            return _mounted_name(call.object)
        callee = node.child_by_field_name("function")
        if callee is not None and callee.type in ("identifier", "member_expression"):
            return _text(callee)
    return ""


def _routers(source_file: SourceFile) -> list[tuple[str, str, str]]:
    """`const router = Router()`, `express.Router()`, `new Router({ prefix: '/api' })` (koa-router):
    (name, its own prefix, the function that makes and returns it: `function healthRouter() { … return r }`)."""
    found: list[tuple[str, str, str]] = []
    if b"Router" not in source_file.data:
        return found
    root = source_file.tree.root_node
    made: dict[int, typescript.Node] = {}  # the declarators around each `Router` written (its value starts there)
    for match in re.finditer(rb"Router", source_file.data):
        node = root.descendant_for_byte_range(match.start(), match.end())
        declarator = typescript.enclosing(node, "variable_declarator") if node is not None else None
        if declarator is not None:
            made[declarator.id] = declarator
    for declarator in sorted(made.values(), key=lambda node: (node.start_byte, -node.end_byte)):
        name, value = declarator.child_by_field_name("name"), typescript.unwrap(declarator.child_by_field_name("value"))
        if name is None or name.type != "identifier" or value is None or value.type not in ("call_expression", "new_expression") \
                or not _ROUTER_MADE.match(_text(value)):
            continue
        local = _text(name)
        arguments = value.child_by_field_name("arguments")
        options = arguments.named_children[0] if arguments is not None and arguments.named_children else None
        prefix = typescript.string_value(typescript.object_property(options, "prefix")) \
            if options is not None and options.type == "object" else None
        function = typescript.enclosing_function(declarator)
        found.append((local, (prefix or "").rstrip("/") if (prefix or "").startswith("/") else "",
                      _returning(function, local) if function is not None else ""))
    return found


def _declared_in(function: typescript.Node | None, name: str,
                 declared: dict[int, tuple[frozenset[bytes], frozenset[bytes]]]) -> str:
    """"parameter" when `name` is a parameter of `function`, "declared" when declared in it (the
    nearest function around it that has it decides), "" when neither. `declared` remembers each
    function's names (by node id) for the file's other calls."""
    wanted = name.encode()
    while function is not None:
        names = declared.get(function.id)
        if names is None:
            names = declared[function.id] = _declared_names(function)
        if wanted in names[0]:
            return "parameter"
        if wanted in names[1]:
            return "declared"
        function = typescript.enclosing_function(function)
    return ""


def _declared_names(function: typescript.Node) -> tuple[frozenset[bytes], frozenset[bytes]]:
    """The identifiers of `function`'s parameters, and the names its body's variable declarations give
    (nested functions' included; a destructuring pattern by its whole text, which no receiver is)."""
    parameters = function.child_by_field_name("parameters") or function.child_by_field_name("parameter")
    body = function.child_by_field_name("body")
    return (frozenset(n.text or b"" for n in typescript.descendants(parameters, "identifier")) if parameters is not None
            else frozenset(),
            frozenset((d.child_by_field_name("name") or d).text or b"" for d in typescript.descendants(body, "variable_declarator"))
            if body is not None else frozenset())


def _returning(function: typescript.Node, name: str) -> str:
    """The name of `function` when it returns `name` (a factory: `function createApi() { … return api }`)."""
    body = function.child_by_field_name("body")
    if body is None or not any((typescript.inner_parens(r.named_children[0]).text or b"") == name.encode()
                               for r in typescript.descendants(body, "return_statement") if r.named_children):
        return ""
    named = function.child_by_field_name("name")
    if named is None and function.parent is not None and function.parent.type == "variable_declarator":
        named = function.parent.child_by_field_name("name")
    return _text(named) if named is not None and named.type == "identifier" else ""


def _exports(source_file: SourceFile, names: set[str]) -> tuple[tuple[str, str], ...]:
    """How the file exports these names: `export default router`, `export const router = …`,
    `export function healthRouter`, `export { router as health }`, `module.exports = router`,
    `module.exports = function createApi() {…}`, `module.exports = { router }`, `exports.health = router`:
    (exported name, local name)."""
    if not names:
        return ()
    found = set()
    for statement in source_file.tree.root_node.named_children:
        if statement.type == "export_statement":
            declaration = statement.child_by_field_name("declaration")
            value = statement.child_by_field_name("value")
            default = any(child.type == "default" for child in statement.children)
            if value is not None and value.type == "identifier" and _text(value) in names:
                found.add(("default", _text(value)))
            if declaration is not None:
                declared = [declaration.child_by_field_name("name")] if declaration.type == "function_declaration" else [
                    item.child_by_field_name("name") for item in typescript.list_items(declaration)
                    if item.type == "variable_declarator"]
                for node in declared:
                    if _text(node) in names:
                        found.add(("default" if default else _text(node), _text(node)))
            for clause in (c for c in statement.named_children if c.type == "export_clause"):
                for specifier in clause.named_children:
                    local = _text(specifier.child_by_field_name("name") or specifier)
                    alias = specifier.child_by_field_name("alias")
                    if local in names and statement.child_by_field_name("source") is None:
                        found.add((_text(alias) if alias is not None else local, local))
        elif statement.type == "expression_statement" and statement.named_children \
                and statement.named_children[0].type == "assignment_expression":
            assignment = statement.named_children[0]
            target = _text(assignment.child_by_field_name("left"))
            value = typescript.inner_parens(assignment.child_by_field_name("right"))
            exported = "default" if target == "module.exports" else target.split(".", 1)[1] if re.fullmatch(
                r"(?:module\.)?exports\.[\w$]+", target) else None
            if exported is None:
                continue
            if value.type == "identifier" and _text(value) in names:
                found.add((exported, _text(value)))
            elif value.type in ("function_expression", "function") and _text(value.child_by_field_name("name")) in names:
                found.add((exported, _text(value.child_by_field_name("name"))))
            elif value.type == "object" and exported == "default":
                for pair in value.named_children:
                    if pair.type == "shorthand_property_identifier" and _text(pair) in names:
                        found.add((_text(pair), _text(pair)))
                    elif pair.type == "pair":
                        inner = pair.child_by_field_name("value")
                        key = pair.child_by_field_name("key")
                        if inner is not None and inner.type == "identifier" and _text(inner) in names and key is not None:
                            found.add((typescript.string_value(key) or _text(key), _text(inner)))
    return tuple(sorted(found))


def _mounted_imports(source_file: SourceFile, mounted: set[str]) -> tuple[tuple[str, str, str], ...]:
    """Where the mounted names come from, for relative modules (the repository's own routers):
    `server` for a mounted `server.app`; `require:./routes` for an inline require."""
    found = {(name, name.split(":", 1)[1], "default") for name in mounted if name.startswith(("require:", "glue:"))}
    heads = {name.split(".", 1)[0] for name in mounted if not name.startswith(("require:", "glue:"))}
    if heads:
        table = typescript.import_table(source_file.tree.root_node)
        found |= {(name, table[name].module, table[name].name) for name in heads
                  if name in table and table[name].module.startswith(".")}
    return tuple(sorted(found))


# --- hapi: plugins and where they are registered ---------------------------------------------
# A hapi plugin (`exports.plugin = { name, register: async (server, options) => { server.route(…) } }`)
# routes on the server its `register` is given; registered with `routes: { prefix: '/api' }` (by
# `server.register(plugin, { routes })`, `server.register({ plugin, routes })` or a @hapi/glue
# manifest's `register: { plugins: [{ plugin: './lib/items', routes }] }`) they answer under it.
# The plugin's server is named in `MountFacts.local` after the plugin object (its `const` name, else
# `plugin@<offset>`), which the file exports as the module (`default`) and as `plugin`.

_PLUGIN_KEYS = frozenset({"name", "pkg"})  # hapi requires one of them
_ON_SERVER = ("route", "register", "get", "post", "put", "patch", "delete", "ext", "use")  # (calls naming a plugin's server)
_REGISTER_CALL = re.compile(rb"\.\s*register\s*\(")


def _hapi_plugins(source_file: SourceFile) -> dict[int, str]:
    """The register functions of the file's hapi plugin objects (node id) -> the plugin's name in `local`."""
    if b"register" not in source_file.data:
        return {}
    found: dict[int, str] = {}
    for obj in typescript.descendants(source_file.tree.root_node, "object"):
        keys: dict[str, typescript.Node] = {}
        for member in obj.named_children:
            if member.type == "pair":
                key = member.child_by_field_name("key")
                name = typescript.string_value(key) if key is not None and key.type == "string" else _text(key)
                keys[name] = member.child_by_field_name("value")
            elif member.type == "shorthand_property_identifier":
                keys[_text(member)] = member
            elif member.type == "method_definition":
                keys[_text(member.child_by_field_name("name"))] = member
        register = keys.get("register")
        if register is None or not _PLUGIN_KEYS & keys.keys():
            continue
        function = typescript.unwrap(register) if register.type != "shorthand_property_identifier" else register
        if function is not None and function.type in ("identifier", "shorthand_property_identifier"):
            function = next((f for f in typescript.descendants(source_file.tree.root_node, "function_declaration")
                             if _text(f.child_by_field_name("name")) == _text(function)), None) or \
                _function_value(typescript.declarator_in_scope(_text(function), obj))
        if function is None or function.type not in typescript.FUNCTION_TYPES:
            continue
        holder = typescript.outer_parens(obj).parent
        named = holder.child_by_field_name("name") if holder is not None and holder.type == "variable_declarator" else None
        found[function.id] = _text(named) if named is not None and named.type == "identifier" else f"plugin@{obj.start_byte}"
    return found


def _function_value(declarator: typescript.Node | None) -> typescript.Node | None:
    return typescript.unwrap(declarator.child_by_field_name("value")) if declarator is not None else None


def _hapi_calls(source_file: SourceFile, plugins: dict[int, str], local: dict[str, str],
                uses: list[tuple[str, str | None, str, int, int]]) -> list[typescript.MemberCall]:
    """Name each plugin's server (its register function's first parameter) in `local`, and add the
    `register` calls that register plugins to `uses`; the calls on a plugin's server are returned."""
    found: list[typescript.MemberCall] = []
    if not plugins and _REGISTER_CALL.search(source_file.data) is None:
        return found  # (no walk over the file's calls: most files have neither)
    functions = {}
    for function in typescript.descendants(source_file.tree.root_node, *typescript.FUNCTION_TYPES) if plugins else ():
        if function.id in plugins:
            parameters = function.child_by_field_name("parameters") or function.child_by_field_name("parameter")
            first = typescript.list_items(parameters)[0] if parameters is not None and parameters.type != "identifier" \
                and typescript.list_items(parameters) else parameters
            first = first.child_by_field_name("pattern") or first if first is not None and first.type != "identifier" else first
            if first is not None and first.type == "identifier":
                functions[function.id] = _text(first)
    for call in typescript.iter_member_calls(source_file.tree.root_node):
        if call.method not in (_ON_SERVER if functions else ("register",)) or not call.args:
            continue
        receiver = _text(typescript.inner_parens(call.object))
        function = typescript.enclosing_function(call.call)
        while function is not None and function.id not in functions and receiver.encode() not in set().union(*_declared_names(function)):
            function = typescript.enclosing_function(function)  # (the nearest function that names the receiver decides)
        if function is not None and functions.get(function.id) == receiver:
            local[receiver] = plugins[function.id]
            found.append(call)
        if call.method == "register":
            uses += _registrations(source_file, call, receiver)
    return found


def _registrations(source_file: SourceFile, call: typescript.MemberCall, receiver: str) -> list[tuple[str, str | None, str, int, int]]:
    """hapi's `server.register(plugin, { routes: { prefix: '/api' } })`, `server.register({ plugin, routes })`,
    `server.register([a, b], options)`: (receiver, prefix: None when not readable, what it registers, line, col)."""
    first = typescript.unwrap(call.args[0])
    options = typescript.unwrap(call.args[1]) if len(call.args) > 1 else None
    items = [typescript.unwrap(i) for i in typescript.list_items(first)] if first is not None and first.type == "array" else [first]
    shared = _route_prefix(options) if options is not None and options.type == "object" else ""
    line, col = source_file.line_col(call.args[0].start_byte)
    found = []
    for item in items:
        if item is None:
            continue
        prefix = shared
        if item.type == "object":
            plugin = typescript.object_property(item, "plugin")
            if plugin is None:
                continue
            own = _route_prefix(item)
            prefix = own if own != "" else shared
            item = plugin
        name = _mounted_name(item)
        if name:
            found.append((receiver, prefix, name, line, col))
    return found


def _route_prefix(options: typescript.Node) -> str | None:
    """The prefix of registration options' `routes: { prefix }`: "" none, None not readable."""
    routes = typescript.unwrap(typescript.object_property(options, "routes"))
    if routes is None:
        return None if any(c.type == "spread_element" for c in options.named_children) else ""
    if routes.type != "object":
        return None
    prefix = typescript.unwrap(typescript.object_property(routes, "prefix"))
    if prefix is None:
        return None if any(c.type in ("spread_element", "shorthand_property_identifier") and b"prefix" in (c.text or b"")
                           for c in routes.named_children) else ""
    value = typescript.string_value(prefix)
    if value is None and prefix.type == "identifier":
        value = _constant(prefix)
    return value.rstrip("/") if value is not None and value.startswith("/") else None


_RELATIVE_TO = re.compile(rb"\brelativeTo\b")


def _glue_manifests(source_file: SourceFile) -> list[tuple[str, str | None, str, int, int]]:
    """A @hapi/glue manifest's `register: { plugins: ['./lib/a', { plugin: './lib/items', routes: { prefix:
    '/api' } }], options }`: uses of the composed server ("") naming each plugin `glue:<module>`, its module
    taken relative to the manifest's directory (Glue's `relativeTo: __dirname` beside it), or to
    `relativeTo: path.join(__dirname, 'x')` when the file says so."""
    if b"plugins" not in source_file.data:
        return []
    base = _relative_to(source_file)
    found = []
    for obj in typescript.descendants(source_file.tree.root_node, "object"):
        register = typescript.unwrap(typescript.object_property(obj, "register"))
        plugins = typescript.unwrap(typescript.object_property(register, "plugins")) if register is not None \
            and register.type == "object" else None
        if plugins is None or plugins.type != "array":
            continue
        options = typescript.unwrap(typescript.object_property(register, "options"))
        shared = _route_prefix(options) if options is not None and options.type == "object" else ""
        for item in (typescript.unwrap(i) for i in typescript.list_items(plugins)):
            if item is None:
                continue
            line, col = source_file.line_col(item.start_byte)
            prefix, plugin = shared, item
            if item.type == "object":
                plugin = typescript.unwrap(typescript.object_property(item, "plugin"))
                own = _route_prefix(item)
                prefix = own if own != "" else shared
            module = typescript.string_value(plugin) if plugin is not None else None
            if module is not None and module.startswith(".") and base is not None:
                found.append(("", prefix, "glue:" + _relative(base, module), line, col))
            elif plugin is not None and module is None and _mounted_name(plugin):
                found.append(("", prefix, _mounted_name(plugin), line, col))
    return found


def _relative_to(source_file: SourceFile) -> str | None:
    """The directory (relative to the file's, "." itself) Glue resolves a manifest's plugin paths from:
    the file's `relativeTo: __dirname` or `path.join(__dirname, 'x')`; the file's own when it names no
    `relativeTo` (the file that composes the manifest beside it does); None when fixer cannot read it."""
    if _RELATIVE_TO.search(source_file.data) is None:
        return "."
    bases = set()
    for obj in typescript.descendants(source_file.tree.root_node, "object"):
        value = typescript.unwrap(typescript.object_property(obj, "relativeTo"))
        if value is None:
            continue
        if _text(value) == "__dirname":
            bases.add(".")
            continue
        callee = value.child_by_field_name("function") if value.type == "call_expression" else None
        arguments = typescript.list_items(value.child_by_field_name("arguments")) if callee is not None else []
        parts = [typescript.string_value(a) for a in arguments[1:]]
        if callee is not None and re.fullmatch(r"(?:[Pp]ath\.)?(?:join|resolve)", _text(callee)) and arguments \
                and _text(arguments[0]) == "__dirname" and all(p is not None and not p.startswith("/") for p in parts):
            bases.add("/".join(["."] + [p for p in parts if p]))
        else:
            return None
    return bases.pop() if len(bases) == 1 else None if bases else "."


def _relative(base: str, module: str) -> str:
    import posixpath

    joined_path = posixpath.normpath(posixpath.join(base, module))
    return joined_path if joined_path.startswith("..") else "./" + joined_path


def _plugin_exports(source_file: SourceFile, plugins: dict[int, str],
                    exports: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """The file's exports, with its hapi plugin objects': hapi registers a module (`require('./items')`)
    by its `plugin` export, so a plugin exported as `plugin` is the module's `default` too (`*` in ESM)."""
    if not plugins:
        return exports
    found = set(exports)
    names = set(plugins.values())
    for exported, local in exports:
        if local in names and exported == "plugin":
            found |= {("default", local), ("*", local)}
    root = source_file.tree.root_node
    for obj in typescript.descendants(root, "object"):
        name = f"plugin@{obj.start_byte}"
        if name not in names:
            continue
        holder = typescript.outer_parens(obj).parent
        if holder is not None and holder.type == "pair" and holder.parent is not None:  # `module.exports = { plugin: {…} }`
            key = _text(holder.child_by_field_name("key"))
            outer = typescript.outer_parens(holder.parent).parent
            if key == "plugin" and outer is not None and outer.type == "assignment_expression" \
                    and _text(outer.child_by_field_name("left")) == "module.exports":
                found |= {("plugin", name), ("default", name)}
        elif holder is not None and holder.type == "assignment_expression":
            target = _text(holder.child_by_field_name("left"))
            if target == "module.exports":
                found.add(("default", name))
            elif re.fullmatch(r"(?:module\.)?exports\.plugin", target):
                found |= {("plugin", name), ("default", name)}
            elif re.fullmatch(r"(?:module\.)?exports\.[\w$]+", target):
                found.add((target.rsplit(".", 1)[1], name))
        elif holder is not None and holder.type == "export_statement":
            found.add(("default", name))
    return tuple(sorted(found))


# --- where a receiver's routes answer -------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """Where the routes of a receiver answer: under these prefixes ("" the root); `unknown`: also
    (or only) somewhere fixer cannot tell (a prefix it cannot read, a router it sees mounted
    nowhere, a controller class's own router); `assumed`: mounted nowhere fixer sees and no router,
    so taken for the application itself, which a factory, a function's parameter or someone
    else's object (`server.app`) may not be."""

    prefixes: frozenset[str]
    unknown: bool = False
    assumed: bool = False
    # why (not compared: the answer is the fields above): (file, receiver) of each receiver taken for the
    # application; (file, line, col) of each mount seen whose prefix fixer cannot read (`app.use(basePath, router)`)
    assumed_at: frozenset[tuple[str, str, bool]] = field(default=frozenset(), compare=False)  # (…, a sub-app: `MountFacts.made`)
    unread: frozenset[tuple[str, int, int]] = field(default=frozenset(), compare=False)

    def certain(self) -> frozenset[str] | None:
        """The prefixes when fixer is sure of them all, else None."""
        return None if self.unknown or self.assumed else self.prefixes


ROOT = Standing(frozenset({""}))
UNKNOWN = Standing(frozenset(), unknown=True)

# a route registered on a class's own instance or its router (`this.route(…)`, `this.get(…)`, `this.router.get(…)`):
# a controller class, mounted wherever its instances' `.router` is (`app.use('/api/x', new XController().router)`)
_CLASS_ROUTER = re.compile(r"this(?:\s*\.\s*\w*router\w*)?", re.I)


def joined(prefix: str, inner: str) -> str:
    """A prefix under a prefix ("" the root): `/api` + `/v1/` -> `/api/v1`."""
    return prefix.rstrip("/") + inner.rstrip("/")


class Resolver:
    """Mount resolution over a repository's `MOUNTS` facts (a run's: build one per run)."""

    def __init__(self, repo: Repo) -> None:
        self.repo = repo
        self.facts: dict[str, MountFacts | None] = repo.facts_of(MOUNTS)
        self._importers: dict[tuple[str, str], list[tuple[str, str]]] | None = None
        self._starters: set[tuple[str, str]] | None = None  # (file, exported name) of factories whose app an importer starts

    def standing(self, path: str, receiver: str) -> Standing:
        """Where a route registered on `receiver` in the file at `path` answers."""
        return self._standing(path, receiver, frozenset())

    def mount_text(self, path: str, line: int, col: int) -> str:
        """The `use` (hapi's `register`) whose first argument is at (line, col) in `path`, as written when short
        (`app.use(basePath, router)`), else abridged (`app.use(basePath, …)`); "" when not found."""
        try:
            source_file = self.repo.file(path)
            calls = _route_calls(source_file) + [c for c in typescript.iter_member_calls(source_file.tree.root_node)
                                                 if c.method == "register"]
        except Exception:  # (unreadable now: the caller words it without the text)
            return ""
        for call in calls:
            if call.method in ("use", "register") and call.args and source_file.line_col(call.args[0].start_byte) == (line, col):
                text = " ".join(_text(call.call).split())
                return text if len(text) <= 80 else f"{_text(call.object)}.{call.method}({' '.join(_text(call.args[0]).split())}, …)"
        return ""

    def mounts_routes(self, path: str, name: str) -> bool:
        """Whether a name `use` mounts in `path` is a router or sub-app of the repository's own code
        (made in this file, or exported as one by the module it is imported from), not a handler:
        `app.use('/health', check)` answers /health itself."""
        facts = self.facts.get(path)
        if facts is None:
            return False
        if any(name in (made, function) for made, _, function in facts.routers) or name in {f for _, f in facts.local if f}:
            return True
        from fixer import logger  # (fixer.logger reads facts of its own: imported where used)

        for local, module, imported in facts.imports:
            if local != name and not name.startswith(local + "."):
                continue
            wanted = name[len(local) + 1:] if name != local and imported == "default" else imported
            target = logger.resolve_module(self.repo, path, module)
            other = self.facts.get(target) if target is not None else None
            if other is not None and any(exported == wanted for exported, _ in other.exports):
                return True
        return False

    def _standing(self, path: str, receiver: str, seen: frozenset[tuple[str, str]]) -> Standing:
        facts = self.facts.get(path)
        if facts is None or _CLASS_ROUTER.fullmatch(receiver) or (path, receiver) in seen:
            return UNKNOWN
        seen = seen | {(path, receiver)}
        routers = {name: (prefix, function) for name, prefix, function in facts.routers}
        local = dict(facts.local)
        own = routers[receiver][0] if receiver in routers else ""
        names = [receiver] + [f for f in (routers.get(receiver, ("", ""))[1], local.get(receiver, "")) if f]
        found = [s for name in dict.fromkeys(names) for s in self._mounted(path, name, seen)]
        if found:
            return Standing(frozenset(joined(p, own) for s in found for p in s.prefixes),
                            any(s.unknown for s in found), any(s.assumed for s in found),
                            frozenset().union(*(s.assumed_at for s in found)), frozenset().union(*(s.unread for s in found)))
        if receiver in routers:
            return UNKNOWN  # a router seen mounted nowhere
        if receiver in local or "." in receiver:
            sub_app = receiver in facts.made and not (local.get(receiver) and self._started(path, local[receiver]))
            return Standing(frozenset({""}), assumed=True, assumed_at=frozenset({(path, receiver, sub_app)}))
        return ROOT

    def _mounted(self, path: str, name: str, seen: frozenset[tuple[str, str]]) -> list[Standing]:
        """Where what `name` holds in `path` is mounted: in that file, or, exported, in a file that imports it."""
        facts = self.facts.get(path)
        if facts is None:
            return []
        found = []
        for host, prefix, mounted, line, col in facts.uses:
            if mounted == name:
                if prefix is None:
                    found.append(Standing(frozenset(), unknown=True, unread=frozenset({(path, line, col)})))
                    continue
                outer = self._standing(path, host, seen)
                found.append(Standing(frozenset(joined(o, prefix) for o in outer.prefixes), outer.unknown, outer.assumed,
                                      outer.assumed_at, outer.unread))
        for exported, local in facts.exports:
            if local == name:
                for importer, imported in self.importers().get((path, exported), ()):
                    if (importer, imported) not in seen:
                        found += self._mounted(importer, imported, seen | {(importer, imported)})
        return found

    def _started(self, path: str, function: str) -> bool:
        """Whether a production file that imports `function` (a factory in `path`) starts the app it returns."""
        if self._starters is None:
            from fixer import logger  # (fixer.logger reads facts of its own: imported where used)

            self._starters = set()
            for importer, facts in sorted(self.facts.items()):
                if facts is not None and facts.starts and self.repo.is_production_code(importer):
                    for _, module, name in facts.starts:
                        target = logger.resolve_module(self.repo, importer, module)
                        if target is not None:
                            self._starters.add((target, name))
        facts = self.facts.get(path)
        return facts is not None and any((path, exported) in self._starters for exported, local in facts.exports if local == function)

    def importers(self) -> dict[tuple[str, str], list[tuple[str, str]]]:
        """(file, exported name) -> (production file that imports it to mount it, the name it mounts
        there: `health`, or `server.app` for a default import `server` of a module exporting `app`)."""
        if self._importers is None:
            from fixer import logger  # (fixer.logger reads facts of its own: imported where used)

            index: dict[tuple[str, str], list[tuple[str, str]]] = {}
            for path, facts in sorted(self.facts.items()):
                if facts is None or not facts.imports or not self.repo.is_production_code(path):
                    continue
                mounted = {name for _, _, name, _, _ in facts.uses}
                for local, module, name in facts.imports:
                    target = logger.resolve_module(self.repo, path, module)
                    if target is None:
                        continue
                    if local in mounted:
                        index.setdefault((target, name), []).append((path, local))
                    if name == "default":
                        for dotted in sorted(m for m in mounted if m.startswith(local + ".") and m.count(".") == 1):
                            index.setdefault((target, dotted.split(".", 1)[1]), []).append((path, dotted))
            self._importers = index
        return self._importers
