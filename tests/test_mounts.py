"""`fixer.mounts`: where a route registered on a router or sub-app answers, the one reading
health-endpoints' twin check and the checklist's route items share."""

from __future__ import annotations

from pathlib import Path

from fixer import config as config_mod, mounts
from fixer.repo import DirectorySource, Repo
from gitrepo import write_tree
from transforms import registry

EXPRESS = "const express = require('express');\n"


def resolver(root: Path, files: dict[str, str]) -> mounts.Resolver:
    write_tree(root, {"services/api/package.json": '{"name": "api", "main": "index.js"}\n', **files})
    return mounts.Resolver(Repo(root, DirectorySource(root), config_mod.load(root, registry())))


def test_a_router_imported_and_mounted_under_a_prefix_answers_there(tmp_path: Path) -> None:
    found = resolver(tmp_path, {
        "services/api/routes.js": "const { Router } = require('express');\nconst router = Router();\n"
                                  "router.get('/health', (q, s) => s.send('ok'));\nmodule.exports = router;\n",
        "services/api/index.js": EXPRESS + "const routes = require('./routes');\nconst app = express();\n"
                                 "const API = '/api';\napp.use(`${API}/v1`, routes);\napp.use(API, routes);\napp.listen(3000);\n"})
    standing = found.standing("services/api/routes.js", "router")
    assert standing.unknown and standing.prefixes == {"/api"}  # a template with an expression: not readable
    assert found.standing("services/api/index.js", "app") == mounts.ROOT
    assert found.mounts_routes("services/api/index.js", "routes")


def test_a_sub_app_a_factory_makes_answers_where_its_call_is_mounted(tmp_path: Path) -> None:
    """parse-server's shape: `function createApi() { const api = express(); …; return api }`,
    `app.use('/parse', createApi())`: its /health answers /parse/health (the checklist took it for the root)."""
    api = EXPRESS + ("function createApi() {\n  const api = express();\n  api.use('/health', (q, s) => s.json({}));\n"
                     "  return api;\n}\nmodule.exports = %s;\n")
    index = EXPRESS + "const %s = require('./lib/apiServer');\nconst app = express();\napp.use('/parse', createApi());\n"
    for exported, imported in (("{ createApi }", "{ createApi }"), ("createApi", "createApi")):
        root = tmp_path / exported.strip("{ }") / imported.strip("{ }")
        found = resolver(root, {"services/api/lib/apiServer.js": api % exported, "services/api/index.js": index % imported})
        assert found.standing("services/api/lib/apiServer.js", "api").certain() == {"/parse"}, exported
        assert found.mounts_routes("services/api/index.js", "createApi")


def test_what_fixer_cannot_follow_is_unknown_or_assumed(tmp_path: Path) -> None:
    found = resolver(tmp_path, {
        "services/api/lib/server.js": EXPRESS + "function makeServer() {\n  const api = express();\n"
                                      "  api.get('/health', (q, s) => s.send('ok'));\n  return { app: api };\n}\n"
                                      "module.exports = { makeServer };\n",
        "services/api/lib/unmounted.js": "const { Router } = require('express');\nexport const router = Router();\n"
                                         "router.get('/health', (q, s) => s.send('ok'));\n",
        "services/api/lib/register.js": "module.exports = (app) => { app.get('/health', (q, s) => s.send('ok')); };\n",
        "services/api/lib/controller.js": "class C { constructor() { this.router.get('/health', (q, s) => s.send('ok')); } }\n",
        "services/api/index.js": EXPRESS + "const { makeServer } = require('./lib/server');\nconst app = express();\n"
                                 "const server = makeServer();\nconst mountPath = process.env.MOUNT;\n"
                                 "app.use(mountPath, server.app);\napp.listen(3000);\n"})
    assert found.standing("services/api/lib/server.js", "api") == mounts.Standing(frozenset({""}), assumed=True)
    assert found.standing("services/api/lib/unmounted.js", "router") == mounts.UNKNOWN  # a router mounted nowhere seen
    assert found.standing("services/api/lib/register.js", "app").certain() is None  # a parameter: whose app?
    assert found.standing("services/api/lib/register.js", "app").prefixes == {""}  # (the checklist's reading: the app)
    assert found.standing("services/api/lib/controller.js", "this.router") == mounts.UNKNOWN


def test_koa_router_prefixes_default_imports_and_tests(tmp_path: Path) -> None:
    """koa-router's own prefix adds to its mount; `server.app` of a default import is that module's
    `app`; a test that mounts the application under a prefix is no place it answers."""
    found = resolver(tmp_path, {
        "services/api/router.js": "const Router = require('@koa/router');\nconst router = new Router({ prefix: '/api' });\n"
                                  "router.get('/health', (ctx) => { ctx.body = 'ok'; });\nmodule.exports = router;\n",
        "services/api/server.js": EXPRESS + "const app = express();\napp.get('/health', (q, s) => s.send('ok'));\n"
                                  "module.exports = { app };\n",
        "services/api/index.js": "const Koa = require('koa');\nconst router = require('./router');\n"
                                 "const server = require('./server');\nconst koa = new Koa();\nkoa.use(router.routes());\n"
                                 "const express = require('express');\nconst outer = express();\nouter.use('/x', server.app);\n",
        "services/api/test/app.test.js": EXPRESS + "const { app } = require('../server');\nconst t = express();\n"
                                         "t.use('/prefixed', app);\n"})
    assert found.standing("services/api/router.js", "router").certain() == {"/api"}
    assert found.standing("services/api/server.js", "app").certain() == {"/x"}


def test_why_a_standing_is_unsure_is_kept(tmp_path: Path) -> None:
    """A receiver a function makes is told from a function's parameter (`Standing.assumed_at`), and a mount
    whose prefix fixer cannot read is named (`Standing.unread`, `Resolver.mount_text`), for the checklist's wording."""
    found = resolver(tmp_path, {
        "services/api/sub.js": EXPRESS + "module.exports = function makeSub() {\n  const sub = express();\n"
                               "  sub.get('/health', (q, s) => s.send('ok'));\n  return sub;\n};\n",
        "services/api/plugin.js": "module.exports = (app, basePath) => {\n  const r = require('express').Router();\n"
                                  "  r.get('/x', (q, s) => s.send('ok'));\n  app.use(basePath, r);\n"
                                  "  app.get('/y', (q, s) => s.send('ok'));\n};\n"})
    sub = found.standing("services/api/sub.js", "sub")
    assert sub.assumed and sub.assumed_at == {("services/api/sub.js", "sub", True)}
    given = found.standing("services/api/plugin.js", "app")
    assert given.assumed and given.assumed_at == {("services/api/plugin.js", "app", False)}
    unread = found.standing("services/api/plugin.js", "r")
    assert unread.certain() is None and unread.unread == {("services/api/plugin.js", 4, 11)}
    assert found.mount_text("services/api/plugin.js", 4, 11) == "app.use(basePath, r)"


def test_an_app_a_function_makes_and_starts_is_the_application(tmp_path: Path) -> None:
    """hapi's `const server = Hapi.server(…); server.route(…); await server.start()`, an express app a
    function makes and listens on, or hands to `http.createServer`: not a sub-app (`MountFacts.made`)."""
    found = resolver(tmp_path, {
        "services/api/hapi.js": "const Hapi = require('@hapi/hapi');\nconst init = async () => {\n"
                                "  const server = Hapi.server({ port: 3000 });\n"
                                "  server.route({ method: 'GET', path: '/healthz', handler: () => 'ok' });\n"
                                "  await server.start();\n};\ninit();\n",
        "services/api/made.js": EXPRESS + "function main() {\n  const app = express();\n  app.get('/health', (q, s) => s.send('ok'));\n"
                                "  require('http').createServer(app).listen(3000);\n}\nmain();\n",
        "services/api/sub.js": EXPRESS + "module.exports = () => {\n  const sub = express();\n"
                               "  sub.get('/health', (q, s) => s.send('ok'));\n  return sub;\n};\n"})
    assert found.facts["services/api/hapi.js"].made == ()
    assert found.facts["services/api/made.js"].made == ()
    assert found.facts["services/api/sub.js"].made == ("sub",)
    assert not any(made for _, _, made in found.standing("services/api/hapi.js", "server").assumed_at)


def test_an_app_a_server_handler_hands_requests_to_is_started(tmp_path: Path) -> None:
    """medusa: `const app = express(); const server = http.createServer(async (req, res) => { … app(req, res) })`."""
    found = resolver(tmp_path, {
        "services/api/start.js": EXPRESS + "async function start() {\n  const app = express();\n"
                                 "  const server = require('http').createServer(async (req, res) => {\n    await x();\n"
                                 "    app(req, res);\n  });\n  app.get('/health', (q, s) => s.send('ok'));\n"
                                 "  server.listen(3000);\n}\nstart();\n"})
    assert found.facts["services/api/start.js"].made == ()


HAPI_ITEMS = ("'use strict';\nexports.plugin = { name: 'items', register: async (server) => {\n"
              "    server.route({ method: 'GET', path: '/items', handler: () => [] });\n} };\n")


def test_a_hapi_plugin_registered_by_a_glue_manifest_answers_under_its_prefix(tmp_path: Path) -> None:
    """@hapi/glue: `register: { plugins: [{ plugin: './lib/items', routes: { prefix: '/api' } }] }` composed
    with `relativeTo: __dirname` (the checklist said a HEALTHCHECK on /api/items called a path hapi does not serve)."""
    manifest = ("module.exports = {\n    server: { port: 8000, host: '0.0.0.0' },\n    register: { plugins: [\n"
                "        { plugin: '@hapi/inert' },\n        './lib/root',\n"
                "        { plugin: './lib/items', routes: { prefix: '/api' } },\n"
                "        { plugin: './lib/other', routes: { prefix: process.env.PREFIX } }\n    ] }\n};\n")
    server = ("const Glue = require('@hapi/glue');\nconst Manifest = require('./manifest');\n"
              "Glue.compose(Manifest, { relativeTo: __dirname }).then((server) => server.start());\n")
    found = resolver(tmp_path, {"services/api/manifest.js": manifest, "services/api/server.js": server,
                                "services/api/lib/items.js": HAPI_ITEMS, "services/api/lib/root.js": HAPI_ITEMS,
                                "services/api/lib/other.js": HAPI_ITEMS})
    assert found.standing("services/api/lib/items.js", "server").certain() == {"/api"}
    assert found.standing("services/api/lib/root.js", "server").certain() == {""}
    other = found.standing("services/api/lib/other.js", "server")
    assert other.unknown and other.unread == {("services/api/manifest.js", 7, 9)}  # a prefix fixer cannot read


def test_a_hapi_plugin_registered_with_routes_prefix_answers_under_it(tmp_path: Path) -> None:
    """`server.register(plugin, { routes: { prefix } })`, `server.register({ plugin, routes: { prefix } })`,
    an array of them, a plugin object in the same file, and a plugin that registers another (prefixes join)."""
    server = ("const Hapi = require('@hapi/hapi');\nconst Items = require('./lib/items');\n"
              "const { plugin: users } = require('./lib/users');\nimport * as orders from './lib/orders';\n"
              "const own = { name: 'own', async register(srv) { srv.route({ method: 'GET', path: '/own', handler }); } };\n"
              "const init = async () => {\n  const server = Hapi.server({ port: 3000 });\n"
              "  await server.register(Items, { routes: { prefix: '/api' } });\n"
              "  await server.register([{ plugin: users, routes: { prefix: '/v1/' } }, { plugin: require('./lib/nested') }]);\n"
              "  await server.register({ plugin: orders, routes: { prefix: API } });\n"
              "  await server.register(own, { routes: { prefix: '/mine' } });\n  await server.start();\n};\ninit();\n")
    nested = ("module.exports = { name: 'nested', register: async function (server, options) {\n"
              "  await server.register(require('./deep'), { routes: { prefix: '/deep' } });\n} };\n")
    deep = "const plugin = { pkg: require('./package.json'), register };\nasync function register(s) {\n" \
           "  s.route({ method: 'GET', path: '/x', handler });\n}\nmodule.exports = { plugin };\n"
    found = resolver(tmp_path, {"services/api/server.js": server, "services/api/lib/items.js": HAPI_ITEMS,
                                "services/api/lib/users.js": HAPI_ITEMS,
                                "services/api/lib/orders.js": "export const plugin = { name: 'o', register: (server) => "
                                                              "{ server.route({ method: 'GET', path: '/o', handler }); } };\n",
                                "services/api/lib/nested.js": nested, "services/api/lib/deep.js": deep})
    assert found.standing("services/api/lib/items.js", "server").prefixes == {"/api"}
    assert found.standing("services/api/lib/users.js", "server").prefixes == {"/v1"}
    assert found.standing("services/api/lib/deep.js", "s").prefixes == {"/deep"}
    assert found.standing("services/api/server.js", "srv").prefixes == {"/mine"}
    orders = found.standing("services/api/lib/orders.js", "server")
    assert orders.unknown and not orders.prefixes and {line for _, line, _ in orders.unread} == {10}
    assert found.mount_text("services/api/server.js", 10, 25) == "server.register({ plugin: orders, routes: { prefix: API } })"
