"""`fixer-ignore` comments and `.fixer.toml` [[ignore]] rules: honoured, and reported when unused."""

from __future__ import annotations

import json
from pathlib import Path

from gitrepo import SMALL_REPO, fixer, make_repo

RULES = '''\
[[ignore]]
path = "services/booking-service/**"
fixes = ["health-endpoints"]
reason = "probed by the old balancer"

[[ignore]]
path = "services/renamed-away/**"
fixes = ["health-endpoints"]
reason = "replaced in Q3"
'''


def test_an_unused_ignore_rule_in_fixer_toml_is_reported_like_an_unused_comment(tmp_path: Path) -> None:
    """README and docs/audit.md: "an ignore that suppresses nothing is reported as unused", the
    [[ignore]] form too: a rule whose path no longer holds anything for its fix hides a service
    re-introduced there one day."""
    repo = make_repo(tmp_path / "repo", {**SMALL_REPO, ".fixer.toml": RULES})
    result = fixer("audit", "--fix", "health-endpoints", "--json", str(repo))
    assert b"Traceback" not in result.stderr
    findings = json.loads(result.stdout)["findings"]
    texts = [f"{f['path']}: {f['message']}" for f in findings]
    unused = [text for text in texts if "unused [[ignore]]" in text]
    assert unused == [".fixer.toml: unused [[ignore]] of health-endpoints for path 'services/renamed-away/**': "
                      "health-endpoints finds nothing there any more; remove health-endpoints from that rule's "
                      "fixes, or the rule"], texts
    assert not any(text.startswith("services/booking-service/") for text in texts)  # the used rule is honoured
