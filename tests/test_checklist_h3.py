"""Session 20, H3: the image-tools rule of the health-check items (`checklist._tool_missing`): a RUN heredoc's
install is read (`dockerfile.run_script`), and an image with no shell or package manager (distroless, chainguard,
scratch) fails a shell-form probe and is never told to install anything."""

from __future__ import annotations

from pathlib import Path

from fixer import checklist
from fixer.parsing import dockerfile
from test_checklist import SERVICE, decide

PROBE = "HEALTHCHECK CMD curl -f http://127.0.0.1:3000/health || exit 1\n"


def _texts(result: checklist.Checklist, key: str = "docker.healthcheck") -> list[str]:
    return [e.text for e in result.item(key).evidence]


def test_curl_installed_by_a_run_heredoc_is_in_the_image(tmp_path: Path) -> None:
    """`RUN <<EOF` / `apk add curl` / `EOF`, in the final stage or the base stage it is FROM, installs curl as a
    one-line RUN does: no "has not" finding (the RUN's value is only its `<<EOF` marker)."""
    same = ("# syntax=docker/dockerfile:1.7\nFROM node:20-alpine\nWORKDIR /app\nCOPY . .\n"
            "RUN <<EOF\nset -e\napk add --no-cache \\\n  curl dumb-init\nEOF\n" + PROBE + "CMD [\"node\", \"dist/index.js\"]\n")
    base = ("# syntax=docker/dockerfile:1.7\nFROM node:20-alpine AS base\nRUN <<EOF bash -e\napk add --no-cache curl\nEOF\n"
            "FROM base\nWORKDIR /app\nCOPY . .\n" + PROBE + "CMD [\"node\", \"dist/index.js\"]\n")
    for name, text in (("same", same), ("base", base)):
        result = decide(tmp_path / name, {**SERVICE, "services/api/Dockerfile": text})
        item = result.item("docker.healthcheck")
        assert item.status == checklist.PASS, (name, _texts(result))
    # a heredoc that is a file's text, not a script, installs nothing: curl is still missing
    written = ("FROM node:20-alpine\nRUN cat <<EOF > /etc/notes\napk add curl\nEOF\n" + PROBE + "CMD [\"node\", \"x.js\"]\n")
    result = decide(tmp_path / "written", {**SERVICE, "services/api/Dockerfile": written})
    assert any("runs curl, which the image (node:20-alpine) has not" in t for t in _texts(result)), _texts(result)


def test_run_script_reads_the_heredocs_a_shell_runs() -> None:
    instructions = dockerfile.parse(
        b"FROM a\nRUN <<EOF\napk add \\\n  curl\nEOF\nRUN cat <<'EOF' > /x\napk add wget\nEOF\n"
        b"RUN <<EOF\n#!/usr/bin/env python3\nprint('apk add jq')\nEOF\nRUN python3 <<EOF\nx\nEOF\nRUN bash -ex <<-EOF\n\techo hi\n\tEOF\n")
    scripts = [dockerfile.run_script(i) for i in instructions if i.cmd == "RUN"]
    assert scripts[0] == "<<EOF\napk add    curl\n"
    assert scripts[1:4] == ["cat <<'EOF' > /x", "<<EOF", "python3 <<EOF"]
    assert scripts[4] == "bash -ex <<-EOF\n\techo hi\n"
    assert instructions[2].heredocs == (("EOF", "apk add wget\n"),)


DISTROLESS = ("FROM node:20-alpine AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\n"
              "FROM gcr.io/distroless/nodejs20-debian12{tag}\nWORKDIR /app\nCOPY --from=build /app /app\n"
              "{probe}\nCMD [\"dist/index.js\"]\n")


def test_a_shell_form_probe_on_an_image_without_a_shell_never_runs(tmp_path: Path) -> None:
    """distroless has no /bin/sh: a shell-form HEALTHCHECK (even `node -e …`) fails on every run. The advice is the
    exec form with the image's node (/nodejs/bin/node), never an install (no package manager)."""
    node = "HEALTHCHECK CMD node -e \"fetch('http://127.0.0.1:3000/health').then(r => process.exit(r.ok ? 0 : 1))\""
    for name, tag, probe in (("node", "", node), ("curl", ":nonroot", PROBE.strip()),
                             ("exec-sh", "", "HEALTHCHECK CMD [\"/bin/sh\", \"-c\", \"node hc.js\"]")):
        result = decide(tmp_path / name, {**SERVICE, "services/api/Dockerfile": DISTROLESS.format(tag=tag, probe=probe)})
        item = result.item("docker.healthcheck")
        assert item.status == checklist.FAIL, (name, item.summary)
        text = next(t for t in _texts(result) if "has not" in t)
        assert "HEALTHCHECK is in shell form: it runs /bin/sh, which the image (gcr.io/distroless/nodejs20-debian12" in text
        assert "`HEALTHCHECK CMD [\"/nodejs/bin/node\", \"healthcheck.js\"]`" in text and "install it" not in text, text
    # exec-form curl: curl is missing, and the advice installs nothing
    result = decide(tmp_path / "exec-curl", {**SERVICE, "services/api/Dockerfile": DISTROLESS.format(
        tag="", probe="HEALTHCHECK CMD [\"curl\", \"-f\", \"http://127.0.0.1:3000/health\"]")})
    text = next(t for t in _texts(result) if "has not" in t)
    assert text.startswith("HEALTHCHECK runs curl, which the image") and "install it" not in text, text
    assert "/nodejs/bin/node" in text and "`node -e" not in text, text
    # the exec form with the image's node passes; so does a shell form on the :debug image (busybox), not judged
    for name, tag, probe in (("exec-node", "", "HEALTHCHECK CMD [\"/nodejs/bin/node\", \"hc.js\"]"),
                             ("debug", ":debug", "HEALTHCHECK CMD /nodejs/bin/node hc.js || exit 1")):
        result = decide(tmp_path / name, {**SERVICE, "services/api/Dockerfile": DISTROLESS.format(tag=tag, probe=probe)})
        assert result.item("docker.healthcheck").status == checklist.PASS, (name, _texts(result))


def test_chainguard_and_scratch_have_no_shell_either(tmp_path: Path) -> None:
    """cgr.dev/chainguard/node (not its -dev tags: a shell and apk) and scratch: a shell-form probe never runs.
    A SHELL instruction, or a shell copied in, leaves it unjudged."""
    def dockerfile_of(image: str, extra: str = "") -> str:
        return f"FROM {image}\nWORKDIR /app\nCOPY . .\n{extra}{PROBE}CMD [\"dist/index.js\"]\n"
    for name, image in (("cg", "cgr.dev/chainguard/node"), ("cg-tag", "cgr.dev/chainguard/node:latest"), ("scratch", "scratch")):
        result = decide(tmp_path / name, {**SERVICE, "services/api/Dockerfile": dockerfile_of(image)})
        text = next((t for t in _texts(result) if "has not" in t), "")
        assert "it runs /bin/sh, which the image (" + image + ")" in text and "install it" not in text, (name, _texts(result))
        if name.startswith("cg"):
            assert "`HEALTHCHECK CMD [\"node\", \"healthcheck.js\"]`" in text, text
    for name, image, extra in (("dev", "cgr.dev/chainguard/node:latest-dev", ""),
                               ("shell", "gcr.io/distroless/nodejs20-debian12", "SHELL [\"/busybox/sh\", \"-c\"]\n"),
                               ("copied", "gcr.io/distroless/nodejs20-debian12", "COPY --from=busybox:1.36-musl /bin/sh /bin/sh\n"),
                               ("digest", "cgr.dev/chainguard/node@sha256:" + "ab" * 32, "")):
        result = decide(tmp_path / name, {**SERVICE, "services/api/Dockerfile": dockerfile_of(image, extra)})
        assert not any("/bin/sh" in t for t in _texts(result)), (name, _texts(result))


def test_a_compose_cmd_shell_test_on_a_distroless_image(tmp_path: Path) -> None:
    """A compose test replaces the image's HEALTHCHECK: CMD-SHELL (or a string) needs /bin/sh as a shell-form
    HEALTHCHECK does; the advice is a compose exec-form `test:`. An `image:` of distroless is judged too."""
    files = {**SERVICE, "services/api/Dockerfile": DISTROLESS.format(tag="", probe="HEALTHCHECK CMD [\"/nodejs/bin/node\", \"hc.js\"]")}
    for name, test in (("cmd-shell", "[\"CMD-SHELL\", \"node hc.js\"]"), ("string", "node hc.js")):
        compose = f"services:\n  api:\n    build: services/api\n    healthcheck:\n      test: {test}\n"
        result = decide(tmp_path / name, {**files, "docker-compose.yml": compose})
        text = next((t for t in _texts(result) if "has not" in t), "")
        assert text.startswith("compose healthcheck of api is in shell form: it runs /bin/sh"), (name, _texts(result))
        assert "`test: [\"CMD\", \"/nodejs/bin/node\", \"healthcheck.js\"]`" in text, text
    compose = "services:\n  api:\n    build: services/api\n    healthcheck:\n      test: [\"CMD\", \"/nodejs/bin/node\", \"hc.js\"]\n"
    assert decide(tmp_path / "exec", {**files, "docker-compose.yml": compose}).item("docker.healthcheck").status == checklist.PASS
    image = ("services:\n  api:\n    image: gcr.io/distroless/nodejs20-debian12\n    healthcheck:\n"
             "      test: [\"CMD-SHELL\", \"curl -f http://127.0.0.1:3000/health\"]\n")
    result = decide(tmp_path / "image", {**SERVICE, "docker-compose.yml": image})
    assert any(t.startswith("compose healthcheck of api is in shell form") for t in _texts(result, "health.loopback")), \
        _texts(result, "health.loopback")
