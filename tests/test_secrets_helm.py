"""Helm chart templates: YAML with Go-template actions, read with the actions blanked.

The fixture cases (fixtures/secrets/helm-template*) pin the findings and the bytes; these
tests pin what a case cannot: that the template is read (no "YAML does not parse" skip, so
the checklist's secrets items can be ✅), that the edits leave every template action as it
was and the template's YAML meaning elsewhere, and that an edit never lands on an action.
"""

from __future__ import annotations

import json
from pathlib import Path

from fixer import verify
from fixer.parsing import yamlfile
from gitrepo import fixer, make_repo
from harness import FIXTURES, edits_by_path, read_tree, run_on_tree, tree_after

CASES = FIXTURES / "secrets"


def test_blanking_keeps_every_character_place_and_line_break() -> None:
    """Line-only actions become spaces (no YAML of their own); one among a line's text becomes
    `_`s (a plain scalar, so `{{ a }}:{{ b }}` and `{{ a }}-{{ b }}` still parse)."""
    text = ("a:\r\n  {{- with .Values.x }}\r\n  b: {{ .Values.b }}\r\n  c: {{ .A }}:{{ .B }}\r\n"
            "  {{- /* two\r\n  lines */ -}}\r\n  d: {{ .A }}-{{ .B }}")
    blanked = yamlfile.blank_template_actions(text)
    assert len(blanked) == len(text) and blanked.splitlines(keepends=True)[0] == "a:\r\n"
    assert [len(line) for line in blanked.splitlines(keepends=True)] == [len(line) for line in text.splitlines(keepends=True)]
    lines = blanked.split("\r\n")
    assert lines[1].strip() == "" and lines[4].strip() == "" and lines[5].strip() == ""
    assert lines[2] == "  b: " + "_" * len("{{ .Values.b }}")
    assert yamlfile.load_all(blanked.encode()) == [{"a": {"b": "_" * 15, "c": "_" * 8 + ":" + "_" * 8,
                                                          "d": "_" * 8 + "-" + "_" * 8}}]


def test_a_template_is_read_and_the_checklist_s_secrets_items_are_decided(tmp_path: Path) -> None:
    """The `helm create` shape used to be skipped ("YAML does not parse"): the secret in it was
    missed and both secrets items stayed ❓ for good. Read, with references only, they are ✅."""
    before = CASES / "helm-template-references" / "before"
    repo, run = run_on_tree("secrets", before)
    path = "charts/api/templates/secret.yaml"
    assert path not in repo.skips and path not in {skip.path for skip in run.skips}
    assert not run.findings

    files = {p: data for p, data in read_tree(before).items()}
    files["services/api/package.json"] = '{"name":"api","dependencies":{"express":"^4.18.2"}}\n'
    files["services/api/src/index.js"] = ("const express = require('express');\nconst app = express();\n"
                                          "app.get('/health', (req, res) => res.json({ ok: true }));\napp.listen(3000);\n")
    files["services/api/Dockerfile"] = "FROM node:20-alpine\nCOPY . .\nUSER node\nCMD [\"node\", \"src/index.js\"]\n"
    audit = fixer("audit", "--format", "json", str(make_repo(tmp_path / "r", files)))
    items = {item["id"]: item for section in json.loads(audit.stdout)["checklist"]["sections"]
             for item in section["items"]}
    for item_id in ("env.secrets", "sec.secrets"):
        assert items[item_id]["status"] == "pass", (item_id, items[item_id]["summary"], items[item_id]["evidence"])


def test_the_edits_keep_every_template_action_and_the_yaml_around_them() -> None:
    """Placeholders land on the secret's own bytes: the actions are the same text at the same
    places (CRLF kept), and the template read with its actions blanked means the same except at
    the edited values (the engine's own YAML checks cannot read a template)."""
    for case in ("helm-templates", "helm-template-crlf"):
        before = read_tree(CASES / case / "before")
        _, run = run_on_tree("secrets", CASES / case / "before")
        after = tree_after(before, run)
        edits = edits_by_path(run)
        assert edits, case
        for path, file_edits in edits.items():
            old, new = before[path], after[path]
            actions = [old[s:e] for s, e in yamlfile.template_actions(old)]
            assert actions and actions == [new[s:e] for s, e in yamlfile.template_actions(new)], path
            assert old.count(b"\r\n") == new.count(b"\r\n") and new.count(b"\n") == old.count(b"\n"), path
            assert not any(s < edit.end and edit.start < e for edit in file_edits
                           for s, e in yamlfile.template_actions(old)), path
            blank = lambda data: yamlfile.blank_template_actions(data.decode()).encode()  # noqa: E731 (ASCII: same offsets)
            assert verify.meaning_problem("yaml", blank(old), blank(new), file_edits) is None, path


def test_a_secret_an_action_writes_part_of_is_reported_not_edited(tmp_path: Path) -> None:
    """`postgres://app:ab{{ … }}cd@db`: the password's text holds template code; a placeholder
    there would rewrite the chart's code, so a human gets the finding and no edit."""
    root = tmp_path / "t"
    (root / "charts/api/templates").mkdir(parents=True)
    (root / "charts/api/templates/deployment.yaml").write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  template:\n"
        "    spec:\n      containers:\n        - name: api\n          {{- with .Values.resources }}\n"
        "          resources:\n            {{- toYaml . | nindent 12 }}\n          {{- end }}\n          env:\n"
        "            - name: DATABASE_URL\n              value: postgres://app:Wq7{{.Values.pwSuffix}}Zt4@db/app\n")
    _, run = run_on_tree("secrets", root)
    assert [(f.line, f.fixable) for f in run.findings] == [(16, False)], [f.message for f in run.findings]
    assert "cannot place a placeholder here exactly" in run.findings[0].message
    assert not run.changes


def test_a_template_that_is_no_yaml_even_blanked_is_skipped_with_the_reason(tmp_path: Path) -> None:
    """What one action opens and another closes (a flow list ended in both branches of an `if`)
    may leave no YAML: the file is still reported unread, with that reason, never guessed at."""
    root = tmp_path / "t"
    (root / "charts/api/templates").mkdir(parents=True)
    (root / "charts/api/templates/configmap.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\ndata:\n  hosts: [a, {{ if .Values.b }}b]{{ else }}c]{{ end }}\n")
    repo, run = run_on_tree("secrets", root)
    reason = repo.skips.get("charts/api/templates/configmap.yaml", "")
    assert reason.startswith("YAML does not parse, not even with its template actions blanked"), reason
    assert not run.findings and not run.problems


def test_a_secret_s_data_default_is_read_as_base64_only_when_it_is_base64_text(tmp_path: Path) -> None:
    """In a template's Secret `data`, `default "…"` may be the base64 value itself or the plain
    value a `| b64enc` after it encodes: read decoded when it is base64 of text, as written
    otherwise (`Zx81…` is no base64; `hunter22` is, of bytes that are no text: a chosen password).
    A chart's template that parses as YAML as it is (no line of its own is an action) is read as one."""
    import base64

    encoded = base64.b64encode(b"Mq4wLz8Tr2Vn6Xk1Pb9").decode()
    root = tmp_path / "t"
    (root / "charts/api/templates").mkdir(parents=True)
    (root / "charts/api/templates/secret.yaml").write_text(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n"
        f"  API_KEY: {{{{ .Values.apiKey | default \"{encoded}\" | quote }}}}\n"
        "  SESSION_SECRET: {{ .Values.session | default \"Zx81kQ3vLm9TpW2rAbYt\" | b64enc | quote }}\n"
        "  DB_PASSWORD: {{ .Values.db.password | default \"hunter22\" | b64enc | quote }}\n"
        "  JWT_SECRET: {{ .Values.jwt | b64enc | quote }}\n")
    _, run = run_on_tree("secrets", root)
    assert sorted((f.line, f.message.split(": ")[0], f.fixable) for f in run.findings) == [
        (6, "Secret data API_KEY default (base64)", False), (7, "Secret data SESSION_SECRET default", False),
        (8, "Secret data DB_PASSWORD default", False)]
    assert not run.changes
