"""The sample monorepo (fixtures/sample-monorepo) is a working TypeScript/Node
service tree that carries every defect of Section 2 of the production-readiness
audit. These tests pin both halves: it type-checks and runs, and the defects
(in the varied shapes other tests rely on) are really there.
"""

from __future__ import annotations

import http.server
import json
import re
import socket
import threading
import time
from pathlib import Path

import pytest

from nodeenv import SAMPLE_MONOREPO, declared_dependencies, start_service, tsc

SAMPLE = SAMPLE_MONOREPO

# service -> (port, health route it really exposes)
SERVICES = {
    "api-gateway": (3000, "/health"),
    "student-service": (3001, "/health"),
    "course-service": (3002, "/health"),
    "booking-service": (3003, "/healthz"),
    "admin-service": (3004, "/healthz"),
    "student-auth-service": (3005, "/healthz"),
}
TS_SERVICES = [name for name in SERVICES if name != "student-service"]
HEALTHZ_SERVICES = [name for name, (_, route) in SERVICES.items() if route == "/healthz"]


def read(rel: str) -> str:
    return (SAMPLE / rel).read_bytes().decode("utf-8")


def source_files(root: Path = SAMPLE) -> list[Path]:
    files = []
    for base in (root / "shared", root / "services"):
        files += [p for p in base.rglob("*") if p.suffix in {".ts", ".js"} and "node_modules" not in p.parts]
    return sorted(files)


def closed_port() -> int:
    """A loopback port nothing listens on (bound then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def no_infra_env() -> dict[str, str]:
    """Point every infrastructure dependency at a closed loopback port, so the
    services must start (and fail fast) without Postgres, Redis or Kafka."""
    port = closed_port()
    return {
        "NODE_ENV": "development",
        "DATABASE_URL": f"postgresql://postgres:postgres@127.0.0.1:{port}/kodingcaravan",
        "REDIS_URL": f"redis://127.0.0.1:{port}",
        "KAFKA_BROKERS": f"127.0.0.1:{port}",
        "DB_MAX_RETRIES": "2",
        "DB_RETRY_DELAY_MS": "50",
    }


def load_compose() -> dict:
    try:
        from ruamel.yaml import YAML
    except ImportError:  # pragma: no cover - fall back to PyYAML
        import yaml

        return yaml.safe_load(read("docker-compose.yml"))
    return YAML(typ="safe", pure=True).load(read("docker-compose.yml"))


def dockerfile_instructions(text: str) -> list[str]:
    """Dockerfile instructions with line continuations joined (comments dropped)."""
    instructions, current = [], ""
    for line in text.replace("\r\n", "\n").split("\n"):
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        instructions.append((current + line).strip())
        current = ""
    if current:
        instructions.append(current.strip())
    return instructions


# ---------------------------------------------------------------------------
# Layout and manifests
# ---------------------------------------------------------------------------

def test_layout_matches_the_documented_shape():
    expected = [
        "package.json", "tsconfig.base.json", "tsconfig.json", "env.template", ".env", ".gitignore",
        "docker-compose.yml", "shared/package.json", "shared/src/index.ts", "shared/src/config/logger.ts",
        "services/course-service/src/config/database.ts",
        "services/student-service/index.js", "services/student-service/app.js",
        "services/student-service/config/database.js", "services/student-service/logger.js",
        "services/booking-service/src/config/database.ts",
        "services/admin-service/src/controllers/session.controller.ts",
        "services/admin-service/src/services/session.service.ts",
        "services/admin-service/src/workers/notification.consumer.ts",
    ]
    missing = [rel for rel in expected if not (SAMPLE / rel).is_file()]
    assert missing == []
    assert sorted(p.name for p in (SAMPLE / "services").iterdir()) == sorted(SERVICES)
    assert not (SAMPLE / "services/student-service/src").exists()
    for service in TS_SERVICES:
        assert (SAMPLE / f"services/{service}/src/index.ts").is_file()
        assert (SAMPLE / f"services/{service}/src/app.ts").is_file() or service == "api-gateway"
    assert 30 <= len(source_files()) <= 60


def test_root_manifests():
    root = json.loads(read("package.json"))
    assert root["name"] == "kc-backend" and root["private"] is True
    assert root["workspaces"] == ["shared", "services/*"]
    assert {"typescript", "tsx"} <= set(root["devDependencies"])
    assert json.loads(read("shared/package.json"))["name"] == "@kc/shared"

    base = json.loads(read("tsconfig.base.json"))["compilerOptions"]
    assert base["strict"] is True and base["target"] == "ES2022" and base["module"] == "commonjs"
    assert base["moduleResolution"] == "node" and base["baseUrl"] == "."
    assert base["esModuleInterop"] and base["skipLibCheck"] and base["resolveJsonModule"]
    assert base["paths"] == {"@kc/shared": ["shared/src/index.ts"], "@kc/shared/*": ["shared/src/*"]}

    top = json.loads(read("tsconfig.json"))
    assert top["extends"] == "./tsconfig.base.json" and top["compilerOptions"]["noEmit"] is True
    assert set(top["include"]) == {"shared/src"} | {f"services/{s}/src" for s in TS_SERVICES}


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_service_manifest(service):
    manifest = json.loads(read(f"services/{service}/package.json"))
    assert manifest["name"] == service
    assert manifest["main"]
    assert {"build", "start", "dev"} <= set(manifest["scripts"])
    if service == "student-service":
        assert manifest["type"] == "commonjs" and manifest["main"] == "index.js"
        assert not (SAMPLE / f"services/{service}/tsconfig.json").exists()
    else:
        config = json.loads(read(f"services/{service}/tsconfig.json"))
        assert config["extends"] == "../../tsconfig.base.json"
        assert manifest["dependencies"]["@kc/shared"] == "*"


def test_dependencies_are_pinned_to_exact_versions():
    deps = declared_dependencies()
    loose = {name: v for name, v in deps.items() if not re.fullmatch(r"\d+\.\d+\.\d+", v)}
    assert loose == {}
    majors = {name: int(v.split(".")[0]) for name, v in deps.items()}
    assert majors["express"] == 4 and majors["@types/express"] == 4 and majors["@types/node"] == 20
    assert majors["winston"] == 3 and majors["pg"] == 8 and majors["redis"] == 4 and majors["kafkajs"] == 2
    assert majors["socket.io"] == 4 and majors["typescript"] == 5 and majors["tsx"] == 4
    assert {"cors", "@types/cors", "@types/pg"} <= set(deps)


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_service_reads_port_with_its_default_and_listens_without_host(service):
    port, _ = SERVICES[service]
    entry = read(f"services/{service}/" + ("index.js" if service == "student-service" else "src/index.ts"))
    assert f"process.env.PORT || {port}" in entry
    assert re.search(r"\b(app|httpServer)\.listen\(PORT, \(\) =>", entry)


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_dockerfile_is_multi_stage_non_root(service):
    port, _ = SERVICES[service]
    instructions = dockerfile_instructions(read(f"services/{service}/Dockerfile"))
    assert "FROM node:20-alpine AS builder" in instructions
    assert "RUN npm ci" in instructions and "RUN npm run build" in instructions
    assert "FROM node:20-alpine" in instructions
    assert instructions.index("FROM node:20-alpine") > instructions.index("FROM node:20-alpine AS builder")
    assert "USER node" in instructions and f"EXPOSE {port}" in instructions
    [healthcheck] = [i for i in instructions if i.startswith("HEALTHCHECK")]
    assert healthcheck.startswith("HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3")


# ---------------------------------------------------------------------------
# It type-checks and runs
# ---------------------------------------------------------------------------

@pytest.mark.node
def test_pristine_sample_typechecks(sample_tree):
    assert tsc(sample_tree) == []


@pytest.mark.node
def test_tsc_reports_errors_with_relative_paths(sample_tree):
    app = sample_tree / "services/booking-service/src/app.ts"
    app.write_text(app.read_text().replace("res.json({ status: 'ok', service: 'booking' })", "res.jsn(1)"))
    diagnostics = tsc(sample_tree)
    assert len(diagnostics) == 1
    assert re.fullmatch(r"services/booking-service/src/app\.ts\(\d+,\d+\): error TS2551: Property 'jsn' .*", diagnostics[0])


@pytest.mark.node
@pytest.mark.parametrize("service", sorted(SERVICES))
def test_service_starts_without_infrastructure_and_answers_health(sample_tree, service):
    _, route = SERVICES[service]
    with start_service(sample_tree, service, env=no_infra_env()) as svc:
        status, body = svc.get(route)
        assert status == 200, svc.output()
        assert json.loads(body)["status"] == "ok"
        if route == "/healthz":  # the audit's inconsistency: Docker checks /health, which 404s
            assert svc.get("/health")[0] == 404
        assert svc.alive(), svc.output()


@pytest.mark.node
@pytest.mark.parametrize("service, path", [("course-service", "/api/courses"), ("student-service", "/api/students")])
def test_lazy_init_answers_503_when_database_is_down(sample_tree, service, path):
    with start_service(sample_tree, service, env=no_infra_env()) as svc:
        started = time.monotonic()
        status, body = svc.get(path)
        assert status == 503, body
        assert time.monotonic() - started < 8, "lazy init must fail fast without a database"
        assert svc.get(SERVICES[service][1])[0] == 200  # still "healthy": the audit's point
        assert svc.alive()


@pytest.mark.node
def test_gateway_slow_route_answers_after_about_a_second(sample_tree):
    with start_service(sample_tree, "api-gateway", env=no_infra_env()) as svc:
        started = time.monotonic()
        status, body = svc.get("/slow")
        elapsed = time.monotonic() - started
        assert status == 200, svc.output()
        assert json.loads(body)["status"] == "ok"
        assert 0.9 <= elapsed < 5, elapsed


class _StubHandler(http.server.BaseHTTPRequestHandler):
    seen: list[tuple[str, str, bytes]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        type(self).seen.append((self.command, self.path, body))
        payload = json.dumps({"upstream": True, "path": self.path}).encode()
        self.send_response(201 if self.command == "POST" else 200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.node
def test_gateway_proxies_api_requests_to_service_urls(sample_tree):
    _StubHandler.seen = []
    stub = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _StubHandler)
    threading.Thread(target=stub.serve_forever, daemon=True).start()
    try:
        env = no_infra_env()
        env["COURSE_SERVICE_URL"] = f"http://127.0.0.1:{stub.server_address[1]}"
        env["BOOKING_SERVICE_URL"] = f"http://127.0.0.1:{closed_port()}"
        with start_service(sample_tree, "api-gateway", env=env) as svc:
            status, body = svc.get("/api/courses/7?limit=5")
            assert (status, json.loads(body)) == (200, {"upstream": True, "path": "/api/courses/7?limit=5"})
            status, _ = svc.request("POST", "/api/courses", body={"title": "Rust"})
            assert status == 201
            assert _StubHandler.seen[-1][:2] == ("POST", "/api/courses")
            assert json.loads(_StubHandler.seen[-1][2]) == {"title": "Rust"}
            assert svc.get("/api/bookings/1")[0] == 502
            assert svc.get("/api/unknown/1")[0] == 404
    finally:
        stub.shutdown()
        stub.server_close()


# ---------------------------------------------------------------------------
# Section 2 defects are present
# ---------------------------------------------------------------------------

def test_defect_secrets_in_env_template():
    lines = read("env.template").split("\n")
    # audit: env.template lines 40 and 109-110
    assert re.fullmatch(r"REDIS_URL=rediss://default:[A-Za-z0-9]{56}@example-host-00000\.upstash\.io:6379", lines[39])
    assert re.fullmatch(r"RAZORPAY_KEY_ID=rzp_test_[A-Za-z0-9]{14}", lines[108])
    assert re.fullmatch(r"RAZORPAY_KEY_SECRET=[A-Za-z0-9]{24}", lines[109])
    text = "\n".join(lines)
    assert re.search(r"^DATABASE_URL=postgresql://\w+:[A-Za-z0-9]{16,}@[\w.-]+:5432/\w+$", text, re.M)
    assert re.search(r"^JWT_SECRET=[0-9a-f]{64}$", text, re.M)
    for placeholder in ("=your-", "=change-me", "=${"):
        assert placeholder in text


def test_defect_committed_env_file():
    env = read(".env")
    assert re.search(r"^REDIS_URL=rediss://default:[A-Za-z0-9]{56}@", env, re.M)
    assert re.search(r"^RAZORPAY_KEY_SECRET=[A-Za-z0-9]{24}$", env, re.M)
    ignored = [line.strip() for line in read(".gitignore").splitlines()]
    assert {"node_modules", "dist/", "logs/"} <= set(ignored)  # no slash: also ignores the test symlink
    assert not any(".env" in line for line in ignored)


def test_env_template_documents_every_env_var_the_services_read():
    read_vars = set()
    for path in source_files():
        read_vars |= set(re.findall(r"process\.env\.([A-Z][A-Z0-9_]*)", path.read_text()))
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", read("env.template"), re.M))
    assert {"PORT", "NODE_ENV", "LOG_LEVEL", "CORS_ORIGIN", "DATABASE_URL", "REDIS_URL", "KAFKA_BROKERS"} <= read_vars
    assert read_vars - documented == set()


def test_defect_healthz_routes_while_dockerfiles_check_health():
    assert re.search(r"app\.get\('/healthz', \(_req, res\) => \{\n\s+res\.json\(\{ status: 'ok', service: 'booking' \}\);",
                     read("services/booking-service/src/app.ts"))
    assert "app.get('/healthz'" in read("services/admin-service/src/app.ts")
    auth_app = read("services/student-auth-service/src/app.ts")
    assert re.search(r'app\.get\(\n\s+"/healthz",\n\s+\(_req', auth_app)  # split over several lines
    for service, (port, route) in SERVICES.items():
        dockerfile = read(f"services/{service}/Dockerfile")
        assert f"localhost:{port}/health" in dockerfile and "/healthz" not in dockerfile
    for service in ("api-gateway", "course-service"):
        assert "app.get('/health'" in read(f"services/{service}/src/" + ("index.ts" if service == "api-gateway" else "app.ts"))
    assert "app.get('/health'" in read("services/student-service/app.js")


def test_defect_localhost_in_every_healthcheck():
    styles = set()
    for service, (port, _) in SERVICES.items():
        [check] = [i for i in dockerfile_instructions(read(f"services/{service}/Dockerfile")) if i.startswith("HEALTHCHECK")]
        assert f"http://localhost:{port}/health" in check and "127.0.0.1" not in check
        styles.add("curl" if "curl -f" in check else "node" if "require('http').get(" in check else "?")
    assert styles == {"curl", "node"}
    assert "apk add --no-cache curl" in read("services/api-gateway/Dockerfile")
    compose = load_compose()["services"]
    assert compose["api-gateway"]["healthcheck"]["test"] == "curl -f http://localhost:3000/health || exit 1"
    assert compose["course-service"]["healthcheck"]["test"] == ["CMD", "wget", "-qO-", "http://localhost:3002/health"]


@pytest.mark.parametrize("rel, methods", [
    ("services/admin-service/src/controllers/session.controller.ts", {"log"}),
    ("services/admin-service/src/services/session.service.ts", {"log", "warn", "error"}),
    ("services/course-service/src/app.ts", {"log", "error", "warn"}),
    ("services/booking-service/src/config/database.ts", {"log", "error"}),
    ("services/api-gateway/src/index.ts", {"log", "error"}),
    ("services/student-service/app.js", {"log", "error"}),
])
def test_defect_console_calls_in_audit_named_files(rel, methods):
    found = set(re.findall(r"\bconsole\.(log|warn|error|info|debug)\(", read(rel)))
    assert methods <= found


def test_defect_session_service_has_several_console_calls():
    assert len(re.findall(r"\bconsole\.(?:log|warn|error)\(", read("services/admin-service/src/services/session.service.ts"))) >= 6


def test_defect_compose_hardcodes_node_env_production_with_shared_env_file():
    services = load_compose()["services"]
    env_file_forms, environment_forms = set(), set()
    for name in SERVICES:
        spec = services[name]
        assert spec["build"] == {"context": f"./services/{name}", "dockerfile": "Dockerfile"}
        env_file = spec["env_file"]
        env_file_forms.add(type(env_file).__name__)
        assert env_file in (".env", [".env"])
        environment = spec["environment"]
        environment_forms.add(type(environment).__name__)
        if isinstance(environment, dict):
            assert environment["NODE_ENV"] == "production"
        else:
            assert "NODE_ENV=production" in environment
        assert spec["ports"] and "deploy" not in spec
    assert env_file_forms == {"str", "list"} and environment_forms == {"dict", "list"}
    assert read("docker-compose.yml").startswith("version: '3.8'\n")
    assert "#" in read("docker-compose.yml")
    for absent in ("docker-compose.override.yml", ".env.development", ".env.production"):
        assert not (SAMPLE / absent).exists()


def test_defect_kafka_localhost_listener():
    kafka = load_compose()["services"]["kafka"]
    assert kafka["image"].startswith("confluentinc/cp-kafka")
    env = kafka["environment"]
    assert env["KAFKA_ADVERTISED_LISTENERS"] == "PLAINTEXT://kafka:9092,PLAINTEXT_HOST://localhost:9092"
    assert env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"] == "PLAINTEXT:PLAINTEXT,PLAINTEXT_HOST:PLAINTEXT"
    assert kafka["ports"] == ["9092:9092"]
    assert kafka["healthcheck"]["test"] == ["CMD-SHELL", "kafka-broker-api-versions --bootstrap-server localhost:9092"]
    assert load_compose()["services"]["zookeeper"]["image"].startswith("confluentinc/cp-zookeeper")


def test_defect_database_init_throws_after_retries():
    course = read("services/course-service/src/config/database.ts").split("\n")
    student = read("services/student-service/config/database.js").split("\n")
    # audit: course-service/src/config/database.ts:58, student-service/config/database.ts:56
    assert course[57].strip() == "throw lastError;"
    assert student[55].strip() == "throw lastError;"
    for text in ("\n".join(course), "\n".join(student)):
        assert re.search(r"for \(let attempt = 1; attempt <= MAX_RETRIES; attempt\+\+\)", text)
        assert "await candidate.query('SELECT 1')" in text
        assert "2 ** (attempt - 1)" in text or "Math.pow(2, attempt - 1)" in text
    assert "export async function initPostgres(): Promise<Pool>" in "\n".join(course)
    assert re.search(r"process\.exit\(1\)", read("services/student-service/index.js"))


@pytest.mark.parametrize("rel", ["services/course-service/src/app.ts", "services/student-service/app.js"])
def test_defect_lazy_initialization_middleware(rel):
    text = read(rel)
    assert "let servicesInitialized = false;" in text
    assert re.search(
        r"app\.use\(async \(req[^)]*\) => \{\s+if \(!servicesInitialized\) \{\s+try \{\s+await initializeServices\(\);"
        r"\s+servicesInitialized = true;\s+\} catch \(error\) \{\s+console\.error\(.*?\s+return res\.status\(503\)\.json\(",
        text,
        re.S,
    )
    assert "initializeServices()" not in read(rel.replace("app.", "index."))


def test_defect_file_transports_in_shared_logger():
    logger = read("shared/src/config/logger.ts")
    assert 'process.env.NODE_ENV === "production"' in logger
    assert logger.count("new winston.transports.File(") == 4
    for name in ("logs/error.log", "logs/combined.log", "logs/exceptions.log", "logs/rejections.log"):
        assert f'filename: "{name}"' in logger
    assert "exceptionHandlers:" in logger and "rejectionHandlers:" in logger
    assert 'level: process.env.LOG_LEVEL || "info"' in logger
    assert "winston.transports.File(" in read("services/student-service/logger.js")


def test_defect_no_graceful_shutdown_anywhere():
    offenders = [str(p.relative_to(SAMPLE)) for p in source_files() if re.search(r"SIGTERM|SIGINT", p.read_text())]
    assert offenders == []
    assert "httpServer.listen(PORT" in read("services/api-gateway/src/index.ts")


def test_defect_cors_defaults_to_localhost():
    gateway = read("services/api-gateway/src/index.ts")
    expr = "origin: process.env.CORS_ORIGIN?.split(',') || ['http://localhost:5173', 'http://localhost:3000']"
    assert gateway.count(expr) == 2
    socket_block = gateway[gateway.index("new SocketIOServer(httpServer, {"):]
    assert socket_block.index(expr) < socket_block.index("path: '/socket.io'") < socket_block.index("});")
    assert "app.use(cors({\n  " + expr in gateway


def test_defect_hardcoded_jwt_secret_default():
    assert re.search(r'process\.env\.JWT_SECRET \|\| "[A-Za-z0-9]{32,}"', read("services/student-auth-service/src/config/jwt.ts"))


# ---------------------------------------------------------------------------
# Varied styles other fixes must preserve
# ---------------------------------------------------------------------------

def test_one_crlf_source_file_and_one_crlf_dockerfile():
    for rel in ("services/admin-service/src/controllers/session.controller.ts", "services/booking-service/Dockerfile"):
        data = (SAMPLE / rel).read_bytes()
        assert data.count(b"\r\n") > 10 and data.count(b"\n") == data.count(b"\r\n"), rel
    crlf = [p for p in source_files() if b"\r\n" in p.read_bytes()]
    assert [p.name for p in crlf] == ["session.controller.ts"]


def test_admin_service_is_tab_indented():
    files_with_indentation = 0
    for path in sorted((SAMPLE / "services/admin-service/src").rglob("*.ts")):
        lines = path.read_bytes().decode().replace("\r\n", "\n").split("\n")
        indented = [line for line in lines if line[:1] in (" ", "\t")]
        files_with_indentation += bool(indented)
        assert all(line.startswith("\t") or line.startswith(" *") for line in indented), path
    assert files_with_indentation >= 5


def test_student_service_is_commonjs_with_four_space_indent():
    files = sorted(p for p in (SAMPLE / "services/student-service").rglob("*.js"))
    assert len(files) >= 6
    for path in files:
        text = path.read_text()
        assert not re.search(r"^(import|export) ", text, re.M), path
        assert "require(" in text, path
        indents = [len(m) for m in re.findall(r"^( +)\S", text, re.M)]
        assert all(n % 4 == 0 for n in indents), path
    assert "const logger = require('./logger');" in read("services/student-service/index.js")
    assert "const logger = require('../logger');" in read("services/student-service/config/database.js")


def test_student_auth_service_uses_double_quotes_and_has_a_file_without_final_newline():
    files = sorted((SAMPLE / "services/student-auth-service/src").rglob("*.ts"))
    for path in files:
        assert "'" not in path.read_text(), path
    no_newline = [p.name for p in source_files() if not p.read_bytes().endswith(b"\n")]
    assert no_newline == ["jwt.ts"]


def test_shared_logger_import_styles_and_exports():
    index = read("shared/src/index.ts")
    assert "export { logger" in index and "export default logger;" in index
    booking = "\n".join(p.read_text() for p in (SAMPLE / "services/booking-service/src").rglob("*.ts"))
    assert "import { logger } from '@kc/shared';" in booking
    assert re.search(r"logger\.(info|error)\([^;]*\{ service: 'booking-service'", booking, re.S)
    admin = "\n".join(p.read_text() for p in (SAMPLE / "services/admin-service/src").rglob("*.ts"))
    assert "import logger from '@kc/shared';" in admin


def test_infrastructure_clients_are_lazy():
    kafka = read("services/booking-service/src/config/kafka.ts")
    assert "from 'kafkajs'" in kafka and "candidate\n      .connect()" in kafka
    assert "'booking.created'" in read("services/booking-service/src/events/booking.events.ts")
    worker = read("services/admin-service/src/workers/notification.consumer.ts")
    assert "consumer.run(" in worker and "require.main === module" in worker
    others = [p for p in source_files() if p.name != "notification.consumer.ts"]
    assert not any("notification.consumer" in p.read_text() for p in others)
    redis = read("services/student-auth-service/src/config/redis.ts")
    assert 'import { createClient } from "redis";' in redis and "export async function getRedis()" in redis
    for rel in ("services/course-service/src/config/database.ts", "services/student-service/config/database.js",
                "services/booking-service/src/config/database.ts"):
        assert re.search(r"from 'pg'|require\('pg'\)", read(rel))
    gateway = json.loads(read("services/api-gateway/package.json"))["dependencies"]
    assert not any("proxy" in name for name in gateway)
    assert "await fetch(" in read("services/api-gateway/src/routes/proxy.ts")
