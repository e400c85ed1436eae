"""secrets: values inside values — JSON decoded from a Secret's base64, `key=value` settings inside a
value (a JAAS config), JSON config files with comments. Every value below is fake, built for this test."""

from __future__ import annotations

import json
from base64 import b64encode

from transforms.secrets import Secret, _judge_text, judge

TOKEN = "ghp_Ab3dE5gH7jK9mN1pQ3sT5vX7zB9dF1hJ3lN5"


def _docker_config(password: str) -> str:
    auth = b64encode(f"acme:{password}".encode()).decode()
    return json.dumps({"auths": {"ghcr.io": {"username": "acme", "password": password, "auth": auth}}},
                      separators=(",", ":"))


def test_s1_dockerconfigjson_is_judged_by_its_json_strings() -> None:
    text = _docker_config(TOKEN)
    verdict, new = _judge_text(".dockerconfigjson", text)
    assert isinstance(verdict, Secret)
    assert new is not None
    assert json.loads(new) == {"auths": {"ghcr.io": {"username": "acme", "password": "your-password",
                                                     "auth": "your-auth"}}}
    assert TOKEN in verdict.values


def test_s1_dockerconfigjson_with_a_plain_password_keeps_json() -> None:
    verdict, new = _judge_text(".dockerconfigjson", _docker_config("Qm7vX2kP9rT4wZ8nB3cF6hJ1"))
    assert isinstance(verdict, Secret) and new is not None
    assert "Qm7vX2kP9rT4wZ8nB3cF6hJ1" not in new and "YWNtZT" not in new
    json.loads(new)


def test_s1_service_account_key_json_stays_json() -> None:
    key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n"
    text = json.dumps({"type": "service_account", "private_key": key, "client_email": "x@acme.iam.example.com"},
                      indent=2)
    verdict, new = _judge_text("key.json", text)
    assert isinstance(verdict, Secret) and verdict.kind == "private key"
    assert new is not None and json.loads(new)["private_key"].startswith("your-")


def test_s1_json_with_comments_and_trailing_commas_is_read_at_exact_offsets() -> None:
    from transforms.secrets import json_strings

    data = (b'{\n  // a comment with "quotes"\n  "stripe": { "secretKey": "sk_live_x", /* note */ },\n'
            b'  "url": "http://a//b/*c*/",\n}\n')
    strings = list(json_strings(data))
    assert [(place, value) for place, value, _s, _e in strings] == [
        ("stripe.secretKey", "sk_live_x"), ("url", "http://a//b/*c*/")]
    for _place, value, start, end in strings:
        assert data[start:end] == json.dumps(value).encode()


def test_s1_password_setting_inside_a_value() -> None:
    jaas = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="svc" password="Tz8kL3vQ9pR2mX7wN4yB";'
    verdict = judge("KAFKA_SASL_JAAS_CONFIG", jaas)
    assert isinstance(verdict, Secret)
    assert verdict.values == ("Tz8kL3vQ9pR2mX7wN4yB",)
    assert verdict.replacements == (("Tz8kL3vQ9pR2mX7wN4yB", "your-password"),)
    connection = "Server=db.internal;Database=app;User Id=app;Password=Hq4mZ8xR2vT6wK9n;"
    assert judge("SQL_CONNECTION", connection).values == ("Hq4mZ8xR2vT6wK9n",)  # type: ignore[union-attr]


def test_s1_no_secret_setting_inside_a_value() -> None:
    for key, value in [
        ("KAFKA_SASL_JAAS_CONFIG", 'org.apache.kafka.common.security.plain.PlainLoginModule required '
                                   'username="svc" password="${KAFKA_PASSWORD}";'),
        ("KAFKA_SASL_JAAS_CONFIG", 'PlainLoginModule required username="svc" password="changeme";'),
        ("KSQL_OPTS", "-Dsecurity.protocol=SASL_SSL -Dsasl.mechanism=PLAIN"),
        ("CALLBACK", "https://hooks.example.com/in?token=Hq4mZ8xR2vT6wK9n&mode=strict"),
        ("LOG_FORMAT", "level=info format=json"),
    ]:
        assert not isinstance(judge(key, value), Secret), value
