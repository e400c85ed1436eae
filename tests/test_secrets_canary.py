"""Canary: secrets made up at test time, planted in every kind of file the `secrets` fix
reads, must never come out of fixer in full — not on stdout or stderr of any command, not
in JSON, not in the commit message or the committed files, not in the result cache, and
not when the fix fails part-way or crashes."""

from __future__ import annotations

import json
import os
import secrets as random_source
import string
import subprocess
import sys
from pathlib import Path

import pytest

from fixer.redact import mask
from gitrepo import GIT_ENV, fixer, git, make_repo

ALNUM = string.ascii_letters + string.digits


def _random(n: int, alphabet: str = ALNUM) -> str:
    """A made-up value of a generated key's shape: from an alphanumeric alphabet, always with
    a digit and a letter (all letters, it can read as words: a 1-in-200 flake before)."""
    while True:
        value = "".join(random_source.choice(alphabet) for _ in range(n))
        if alphabet != ALNUM or (any(c.isdigit() for c in value) and any(c.isalpha() for c in value)):
            return value


@pytest.fixture
def canaries() -> dict[str, str]:
    return {
        "redis": _random(56),
        "razorpay_id": "rzp_test_" + _random(14),
        "razorpay_secret": _random(24),
        "jwt": _random(64, "0123456789abcdef"),
        "stripe": "sk_live_" + _random(24),
        "github": "ghp_" + _random(36),
        "aws": "AKIA" + _random(16, string.ascii_uppercase + "234567"),
        "db": _random(20),
        "code": _random(40),
        "k8s": _random(32),
        "dotenv": _random(48),
        "comment": _random(40),
        "colon": _random(20),
        "url_key_id": "AKIA" + _random(16, string.ascii_uppercase + "234567"),
        "url_secret": _random(40),
        "beside_url": "sk_live_" + _random(24),
        "compose_comment": "sk_live_" + _random(24),
        "cli_comment": _random(20),
        "probe": _random(20),
        "curl": _random(20),
        "docker_comment": _random(48, "0123456789abcdef"),
        "code_comment": "sk_live_" + _random(24),
        "helm": _random(20),
        "key_comment_1": _random(64, ALNUM + "+/"),
        "key_comment_2": _random(44, ALNUM + "+/"),
    }


# in comments and on command lines: reported for a human, left in the files (never printed)
REPORTED = ("compose_comment", "cli_comment", "probe", "curl", "docker_comment", "code_comment", "key_comment_1",
            "key_comment_2")


def _tree(c: dict[str, str]) -> dict[str, str]:
    return {
        "env.template": (
            f"REDIS_URL=rediss://default:{c['redis']}@example-host-00000.upstash.io:6379\n"
            f"RAZORPAY_KEY_ID={c['razorpay_id']}\nRAZORPAY_KEY_SECRET=\"{c['razorpay_secret']}\"  # test mode\n"
            f"# GITHUB_TOKEN={c['github']}\n# old prod: redis://default:{c['comment']}@cache.prod.acme-billing.io:6379"
            f" (billing: {c['beside_url']})\n"
            f"MONGO_URL=mongodb+srv://{c['url_key_id']}:{c['url_secret']}@cluster0.example.mongodb.net/app"
            "?authMechanism=MONGODB-AWS\n"
            f"# -----BEGIN RSA PRIVATE KEY-----\n# {c['key_comment_1']}\n# {c['key_comment_2']}\n"
            "# -----END RSA PRIVATE KEY-----\n"
        ),
        ".env": f"JWT_SECRET={c['dotenv']}\nDATABASE_URL=postgres://app:{c['db']}@db.prod.example.com/app\n"
                f"SMTP_PASSWORD: {c['colon']}\n",
        "docker-compose.yml": (
            "services:\n  api:\n    build: ./services/api\n    environment:\n"
            f"      JWT_SECRET: {c['jwt']}\n      STRIPE_SECRET_KEY: '{c['stripe']}'\n"
            f"      # STRIPE_SECRET_KEY: {c['compose_comment']}\n"
            f"    healthcheck:\n      # redis-cli -a {c['cli_comment']} ping\n"
            f"      test: [\"CMD\", \"wget\", \"-qO-\", \"http://probe:{c['probe']}@localhost:3000/healthz\"]\n"
            "  es:\n    image: elasticsearch:8.13.0\n    healthcheck:\n"
            f"      test: curl -fs -u elastic:{c['curl']} http://localhost:9200/_cluster/health\n"
        ),
        "services/api/package.json": '{"name": "api", "dependencies": {"express": "^4.19.0"}}\n',
        "services/api/Dockerfile": (
            f"FROM node:20-alpine\nENV AWS_ACCESS_KEY_ID={c['aws']}\n# ENV JWT_SECRET={c['docker_comment']}\n"
            "HEALTHCHECK CMD wget -qO- http://localhost:3000/healthz || exit 1\nCMD [\"node\", \"index.js\"]\n"
        ),
        "services/api/src/config.ts": f"export const secret = process.env.JWT_SECRET || '{c['code']}';\n",
        "services/api/src/index.ts": (
            "import express from 'express';\n"
            f"// const stripe = new Stripe('{c['code_comment']}');\n"
            "const app = express();\napp.get('/healthz', (_req, res) => res.send('ok'));\napp.listen(3000);\n"
        ),
        "charts/api/values.yaml": (
            f"postgresql:\n  auth:\n    password: {c['helm']}\nlivenessProbe:\n  httpGet:\n    path: /healthz\n"
            "    port: 3000\n"
        ),
        "deploy/api.yaml": (
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\n"
            f"stringData:\n  SESSION_SECRET: \"{c['k8s']}\"\n"
        ),
    }


def _assert_clean(label: str, text: str | bytes, c: dict[str, str]) -> None:
    data = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    leaked = [name for name, value in c.items() if value in data]
    assert leaked == [], f"{label} holds the full value of: {', '.join(leaked)}"


def _env(tmp_path: Path) -> dict[str, str]:
    return {"FIXER_CACHE_DIR": str(tmp_path / "cache"), "FIXER_NO_CACHE": ""}


def test_no_command_prints_a_secret(tmp_path: Path, canaries: dict[str, str]) -> None:
    repo = make_repo(tmp_path / "repo", _tree(canaries))
    env = _env(tmp_path)

    audit = fixer("audit", str(repo), env=env)
    assert audit.returncode == 1, audit.stderr.decode()
    _assert_clean("audit stdout", audit.stdout, canaries)
    _assert_clean("audit stderr", audit.stderr, canaries)
    shown = audit.stdout.decode()
    for name in ("redis", "razorpay_id", "jwt", "code", "k8s", "dotenv", "comment", "colon", "url_key_id", "url_secret",
                 "beside_url", "compose_comment", "cli_comment", "probe", "curl", "docker_comment", "code_comment",
                 "helm", "key_comment_1", "key_comment_2"):
        assert mask(canaries[name]) in shown, name  # found, and shown redacted
    assert "git history:" in shown

    as_json = fixer("audit", "--json", str(repo), env=env)
    _assert_clean("audit --json", as_json.stdout + as_json.stderr, canaries)
    document = json.loads(as_json.stdout)
    assert any("git history" in note for run in document["fixes"] for note in run["notes"])

    dry = fixer("apply", "--fix", "secrets", "--dry-run", str(repo), env=env)
    assert dry.returncode == 0, dry.stderr.decode()
    _assert_clean("apply --dry-run", dry.stdout + dry.stderr, canaries)
    assert b"rotate" in dry.stderr

    raw = fixer("apply", "--fix", "secrets", "--dry-run", "--show-secrets", str(repo), env=env)
    assert canaries["razorpay_secret"].encode() in raw.stdout  # the one way to see them, on request
    applied = subprocess.run(["git", "apply", "--check", "-"], input=raw.stdout, cwd=repo, capture_output=True)
    assert applied.returncode == 0, applied.stderr.decode()

    real = fixer("apply", "--fix", "secrets", str(repo), env=env)
    assert real.returncode == 0, real.stderr.decode()
    _assert_clean("apply", real.stdout + real.stderr, canaries)
    message = git(repo, "log", "-1", "--format=%B", "fixer/secrets")
    _assert_clean("commit message", message, canaries)
    assert "git history:" in message and ".env (removed from git (`git rm --cached`): checking out or merging this " \
        "commit deletes it from the working tree, so copy it aside first" in message
    edited = {name: value for name, value in canaries.items() if name not in REPORTED}
    for path in ("env.template", "docker-compose.yml", "services/api/Dockerfile", "deploy/api.yaml", ".gitignore",
                 "charts/api/values.yaml"):
        _assert_clean(f"committed {path}", git(repo, "show", f"fixer/secrets:{path}"), edited)
    assert (repo / ".env").read_text().startswith("JWT_SECRET=")  # the user's file is untouched
    _assert_clean("the result cache", _cache_bytes(tmp_path / "cache"), canaries)


def test_a_fix_that_fails_part_way_prints_no_secret(tmp_path: Path, canaries: dict[str, str]) -> None:
    files = _tree(canaries)
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "ignore-rules").write_text("node_modules\n")
    os.symlink("ignore-rules", repo / ".gitignore")  # fixer never writes through a symlink
    repo = make_repo(repo, files)
    env = _env(tmp_path)

    dry = fixer("apply", "--fix", "secrets", "--dry-run", str(repo), env=env)
    assert dry.returncode == 3, dry.stderr.decode()
    assert b".gitignore" in dry.stderr and b"error:" in dry.stderr
    _assert_clean("failed dry run", dry.stdout + dry.stderr, canaries)

    real = fixer("apply", "--fix", "secrets", str(repo), env=env)
    assert real.returncode == 3
    _assert_clean("failed apply", real.stdout + real.stderr, canaries)
    message = git(repo, "log", "-1", "--format=%B", "fixer/secrets")
    assert "Errors" in message
    _assert_clean("commit message of a failed run", message, canaries)


CRASH = """
import sys
import transforms.secrets as fix
def boom(*args, **kwargs):
    raise ValueError("cannot place " + repr(args))  # quotes the raw value, as a careless error would
fix._placeholder_edits = boom
fix._code_findings = boom
from fixer.cli import main
sys.argv = ["fixer", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("command", [["audit"], ["audit", "--json"], ["apply", "--fix", "secrets", "--dry-run"],
                                     ["apply", "--fix", "secrets"]])
def test_a_crash_inside_the_fix_prints_no_secret(tmp_path: Path, canaries: dict[str, str], command: list[str]) -> None:
    repo = make_repo(tmp_path / "repo", _tree(canaries))
    result = subprocess.run(
        [sys.executable, "-c", CRASH, "--debug", *command, str(repo)],
        capture_output=True, env={**os.environ, **GIT_ENV, **_env(tmp_path)},
        cwd=Path(__file__).resolve().parent.parent,
    )
    output = result.stdout + result.stderr
    assert b"details withheld" in output, output.decode()[-2000:]
    _assert_clean(" ".join(command) + " after a crash", output, canaries)


def test_a_bare_value_in_an_env_file_leaving_git_is_masked(tmp_path: Path) -> None:
    """A line of a leaving .env that is a value alone (`<base64>=`, `sk_live_…=`: no key before
    its `=`) is masked in the dry run's deletion after its first characters, like a comment:
    what stands before its `=` is no name. (No detector names these: the masking must.)"""
    bare = {"base64": _random(44) + "=", "stripe": "sk_live_" + _random(24),
            "key_id": "AKIA" + _random(16, string.ascii_uppercase + "234567")}
    repo = make_repo(tmp_path / "repo", {".env": f"NODE_ENV=production\nJWT_SECRET={_random(32)}\n# previous key:\n"
                                                 f"{bare['base64']}\n{bare['stripe']}=\n{bare['key_id']}: x\n"})
    env = _env(tmp_path)
    for command in (["apply", "--fix", "secrets", "--dry-run"], ["plan", "--dry-run"]):
        result = fixer(*command, str(repo), env=env)
        assert result.returncode == 0, result.stderr.decode()
        assert b"deleted file mode" in result.stdout, result.stdout.decode()
        _assert_clean(" ".join(command), result.stdout + result.stderr, bare)
        assert mask(bare["base64"]).encode() in result.stdout


def _cache_bytes(folder: Path) -> bytes:
    if not folder.is_dir():
        return b""
    return b"".join(path.read_bytes() for path in folder.rglob("*") if path.is_file())


def test_sarif_markdown_and_plans_print_no_secret(tmp_path: Path, canaries: dict[str, str]) -> None:
    """The outputs that came after the fix: SARIF, the markdown checklist, plan tables and
    diffs, plan commit messages (= pull request bodies) and format-patch files."""
    repo = make_repo(tmp_path / "repo", _tree(canaries))
    env = _env(tmp_path)
    for form in ("sarif", "markdown", "json"):
        result = fixer("audit", "--format", form, str(repo), env=env)
        assert result.returncode == 1, result.stderr.decode()
        _assert_clean(f"audit --format {form}", result.stdout + result.stderr, canaries)
    dry = fixer("plan", "--dry-run", "--include-review", str(repo), env=env)
    assert dry.returncode == 0, dry.stderr.decode()
    assert b"fixer/secrets" in dry.stdout + dry.stderr
    _assert_clean("plan --dry-run", dry.stdout + dry.stderr, canaries)
    patches = tmp_path / "patches"
    real = fixer("plan", "--include-review", "--patches", str(patches), str(repo), env=env)
    assert real.returncode == 0, real.stderr.decode()
    _assert_clean("plan", real.stdout + real.stderr, canaries)
    branches = git(repo, "branch", "--format=%(refname:short)").split()
    assert "fixer/secrets" in branches
    for branch in branches:
        _assert_clean(f"commit message of {branch}", git(repo, "log", "-1", "--format=%B", branch), canaries)
    written = sorted(patches.glob("*.patch"))
    assert written
    for patch in written:
        _assert_clean(f"patch {patch.name}", patch.read_bytes(), canaries)
