"""health-endpoints' reading of a Next.js app's next.config (unit tests; the fixture cases run the fix)."""

from __future__ import annotations

from pathlib import Path

from fixer import config as config_mod
from fixer.repo import open_repo
from gitrepo import make_repo
from transforms.health_endpoints import NEXT_EXTENSIONS, next_config, next_path, next_stem

PACKAGE = '{"name": "web", "dependencies": {"next": "14.2.35"}}'


def test_next_stem_strips_the_page_extension_next_matches_first() -> None:
    assert next_stem("health.page.tsx", ("page.tsx", "api.ts")) == "health"
    assert next_stem("health.tsx", ("page.tsx", "api.ts")) is None  # not a page extension: no route
    assert next_stem("a.b.page.tsx", ("page.tsx",)) == "a.b"
    assert next_stem("health.page.tsx", ("tsx", "page.tsx")) == "health"  # the leftmost dot that ends in one
    assert next_stem("route.ts") == "route" and next_stem("route.mdx", NEXT_EXTENSIONS) is None
    assert next_path("api/healthz.api.ts", "pages", ("api.ts",)) == "/api/healthz"


def _config(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    root = make_repo(tmp_path / "repo", {"package.json": PACKAGE, "next.config.js": text})
    return next_config(open_repo(root, config_mod.Config(), working_tree=True), "")


def test_next_config_literal_rewrites_under_the_base_path(tmp_path: Path) -> None:
    found = _config(tmp_path, """module.exports = {
  basePath: '/site',
  pageExtensions: ['page.tsx', '.api.ts'],
  async rewrites() {
    return {
      beforeFiles: [{ source: '/healthz', destination: '/api/ping' }],
      fallback: [{ destination: 'https://old.example.com/healthz', source: '/old/healthz', basePath: false }],
    };
  },
  async redirects() { return [{ source: '/a', destination: '/b', permanent: true }]; },
};
""")
    assert (found.base, found.extensions, found.unread, found.rewrites_unread) == ("/site", ("page.tsx", "api.ts"), "", "")
    assert [r[:2] for r in found.rewrites] == [("/site/healthz", "/site/api/ping"),
                                               ("/old/healthz", "https://old.example.com/healthz")]


def test_next_config_computed_values_are_unread_not_guessed(tmp_path: Path) -> None:
    found = _config(tmp_path, """const exts = ['tsx'];
module.exports = {
  pageExtensions: exts,
  rewrites: async () => [{ source: '/healthz', destination: `${process.env.API}/health` }],
};
""")
    assert "pageExtensions (line 3)" in found.unread
    assert found.rewrites_unread.startswith("line 4: it has a source or destination that is not a plain string")


# --- session 18 (H3): API Gateway routes of Lambda templates, catch-all servers' ports ---------------------------


def _read(tmp_path: Path, files: dict[str, str], path: str):  # type: ignore[no-untyped-def]
    root = make_repo(tmp_path / "repo", files)
    return open_repo(root, config_mod.Config(), working_tree=True).read(path)


def test_gateway_routes_events_followed_keys_and_comments_skipped_the_rest_unread(tmp_path: Path) -> None:
    from transforms.health_endpoints import _gateway_routes_of
    text = """service: orders
provider: { name: aws }
functions:
  healthz:  # a function's name is no route; healthz in a comment neither
    handler: src/handler.handler
    events:
      - http: { path: api/healthz, method: get }
      - httpApi: 'GET /healthz'
resources:
  Resources:
    Check:
      Type: AWS::Route53::HealthCheck
      Properties: { HealthCheckConfig: { ResourcePath: /healthz, Type: HTTPS } }
"""
    found = _gateway_routes_of(_read(tmp_path, {"serverless.yml": text}, "serverless.yml"))
    assert found is not None
    assert [(line, code) for _s, _e, line, _c, code in found.events] == [(7, "src"), (8, "src")]
    assert [line for line, _col, _why in found.unread] == [13]  # the Route 53 health check calls it too
    broken = _gateway_routes_of(_read(tmp_path / "b", {"serverless.yml": "service: x\nprovider: {\n  path: healthz\n"},
                                      "serverless.yml"))
    assert broken is not None and not broken.events and broken.unread[0][2].startswith("fixer cannot read")
    assert _gateway_routes_of(_read(tmp_path / "c", {"values.yaml": "path: /healthz\n"}, "values.yaml")) is None


def test_a_catch_all_servers_port_is_read_where_its_listen_names_one(tmp_path: Path) -> None:
    from transforms.health_endpoints import _answers_every_path
    code = """const http = require('http');
http.createServer((_req, res) => res.end('a')).listen(9100);
const b = http.createServer((_q, res) => res.end('b'));
b.listen(Number(process.env.B_PORT) || '9200', '0.0.0.0');
this.c = http.createServer((_q, res) => res.end('c'));
this.c.listen(config.port);
http.createServer((_q, res) => res.end('d'));
http.createServer((req, res) => res.end(req.url));
"""
    assert _answers_every_path(_read(tmp_path, {"a.js": code}, "a.js")) == (9100, 9200, None, None)


# --- session 19 (H6): restify's route options, Hono's app.on ---------------------------------------------------


def test_restify_route_options_are_routes_request_options_are_not(tmp_path: Path) -> None:
    from transforms.health_endpoints import find_route_registrations
    code = """server.get({ path: '/healthz', name: 'health' }, (req, res, next) => next());
server.head({ url: '/livez', version: '1.0.0' }, handler);
http.get({ host: '127.0.0.1', port: 3000, path: '/readyz' }, (res) => res.resume());
client.get({ path: '/status' }, (err, req, res, obj) => done(err));
client.get({ path: '/ping', ...defaults }, onResponse);
"""
    found = [(r.path, r.line) for r in find_route_registrations(_read(tmp_path, {"a.js": code}, "a.js"))]
    assert found == [("/healthz", 1), ("/livez", 2)]


def test_hono_on_registers_routes_for_get_or_head_among_its_methods(tmp_path: Path) -> None:
    from transforms.health_endpoints import find_route_registrations
    code = """app.on('GET', '/healthz', (c) => c.text('ok'));
app.on(['get', 'HEAD'], ['/livez', '/readyz'], handler);
app.on('POST', '/status', (c) => c.text('ok'));
emitter.on('ready', () => listening());
process.on('SIGTERM', () => process.exit(0));
app.on('GET', '/health');
"""
    found = [(r.path, r.line, r.together) for r in find_route_registrations(_read(tmp_path, {"a.ts": code}, "a.ts"))]
    # (the receiver is not checked: an HTTP method and a path are Hono's shape, an app made in another file too)
    assert found == [("/healthz", 1, ("/healthz",)), ("/livez", 2, ("/livez", "/readyz")), ("/readyz", 2, ("/livez", "/readyz"))]


# --- session 20 (F3): keep-alias keeps chained routes, Fastify's route config is the user's ----------------------


def _keep_alias_run(tmp_path: Path, files: dict[str, str]):  # type: ignore[no-untyped-def]
    from harness import run_on_tree, tree_after
    root = make_repo(tmp_path / "repo", {".fixer.toml": "[fix.health-endpoints]\nkeep-alias = true\n", **files})
    repo, run = run_on_tree("health-endpoints", root)
    assert not run.problems, [p.message for p in run.problems]
    before = {path: text.encode() for path, text in files.items()}
    return tree_after(before, run), run


def test_keep_alias_copies_a_chain_link_in_crlf_and_beside_a_route_evaluated_on_a_condition(tmp_path: Path) -> None:
    package = '{ "name": "fa", "dependencies": { "fastify": "^5.0.0" } }'
    code = ("const fastify = require('fastify')();\r\n"
            "fastify\r\n  .get('/healthz', async () => 'ok')\r\n  .get('/version', async () => 1);\r\n"
            "const extra = process.env.X ? fastify.route({ method: 'GET', url: '/healthz/x', handler: h }) : null;\r\n"
            "if (process.env.Y) return fastify.route({ method: 'GET', url: '/healthz/y', handler: h });\r\n")
    after, run = _keep_alias_run(tmp_path, {"services/fa/package.json": package, "services/fa/src/index.js": code})
    text = after["services/fa/src/index.js"].decode()
    assert text.startswith("const fastify = require('fastify')();\r\nfastify\r\n  .get('/health', async () => 'ok')\r\n"
                           "  .get('/healthz', async () => 'ok')\r\n  .get('/version', async () => 1);\r\n")
    assert "\r\r" not in text and "\n" not in text.replace("\r\n", "")
    # (evaluated only on a condition: a copy before the statement would register /health unconditionally; Fastify
    # returns itself, so a link chained beside it is copied instead)
    assert "fastify.route({ method: 'GET', url: '/health/x', handler: h }).route({ method: 'GET', url: '/healthz/x'" in text
    assert "fastify.route({ method: 'GET', url: '/health/y', handler: h }).route({ method: 'GET', url: '/healthz/y'" in text
    messages = sorted((f.line, f.message) for f in run.findings)
    assert [line for line, _m in messages] == [3, 5, 6] and all("registered beside it" in m for _l, m in messages)


def test_keep_alias_a_restify_route_evaluated_only_on_a_condition_is_renamed_and_reported(tmp_path: Path) -> None:
    package = '{ "name": "re", "dependencies": { "restify": "^11.0.0" } }'
    code = ("const restify = require('restify');\nconst server = restify.createServer();\n"
            "const name = process.env.X ? server.get('/healthz', (req, res, next) => next()) : null;\n")
    after, run = _keep_alias_run(tmp_path, {"services/re/package.json": package, "services/re/server.js": code})
    assert after["services/re/server.js"].decode().count("/healthz") == 0
    (finding,) = [f for f in run.findings if f.path == "services/re/server.js"]
    assert finding.line == 3 and "keep-alias cannot register /health beside it here" in finding.message


def test_fastify_route_config_id_is_no_hapi_route_id(tmp_path: Path) -> None:
    from fixer.parsing import typescript
    from transforms.health_endpoints import _unique_route_id
    code = """fastify.route({ method: 'GET', url: '/healthz', config: { id: 'a' }, handler });
server.route({ method: 'GET', path: '/healthz', options: { id: 'b' }, handler });
x.route({ method: 'GET', path: '/healthz', config: { id: 'c' }, handler });
y.route({ method: 'GET', path: '/healthz', handler });
"""
    source_file = _read(tmp_path, {"a.js": code}, "a.js")
    routes = [call.args[0] for call in typescript.iter_member_calls(source_file.tree.root_node)]
    assert [_unique_route_id(route, "") != "" for route in routes] == [False, True, True, False]  # (`url`: Fastify's)
    assert [_unique_route_id(route, "fastify") for route in routes] == ["", "", "", ""]
    assert _unique_route_id(routes[2], "hapi") == "hapi refuses a second route with its id 'c'"
