"""What deploys code as AWS Lambda functions: a Serverless Framework file or an AWS SAM / CloudFormation template.

One reader for every fix and the checklist. A template is found by its name (`is_candidate`) or by its
top-level keys, tested on its bytes (`shape`: no YAML or JSON file is parsed to ask); then read for its
functions (`functions`: each one's handler and the directory of its code), its environment (`environments`:
the mappings each function gets), the `custom:` values its environment names (`${self:custom.x}`) and a
SAM template's parameters (`parameters`).

- serverless.yml (any name: `service:` and `provider:` at the top level), serverless.json (by name: JSON's keys
  have no line of their own to test), serverless.ts (by name; TypeScript, never read for values: `documents`
  is empty);
- a SAM or CloudFormation template: YAML with `AWSTemplateFormatVersion:` or a `Transform:` naming
  `AWS::Serverless` at the top level; JSON named `template.json` or `*.template.json` holding them.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Iterator

from fixer.errors import ParseError
from fixer.parsing import yamlfile
from fixer.repo import SourceFile

# the names the Serverless Framework and SAM's CLI look for (`serverless.js` is none: often the serverless-http
# wrapper of an Express app, not the framework's file)
_NAMES = re.compile(r"(?:^|/)(?:serverless\.(?:ya?ml|json|ts)|template\.(?:ya?ml|json))$")
_JSON_SAM_NAMES = re.compile(r"(?:^|/)(?:[^/]*[.-])?template\.json$")

_BOM = rb"(?:^|\A\xef\xbb\xbf)"
_SERVERLESS_KEYS = (re.compile(rb"(?m)" + _BOM + rb"service[ \t]*:"), re.compile(rb"(?m)" + _BOM + rb"provider[ \t]*:"))
_SERVICE_NAME = re.compile(rb"(?m)" + _BOM + rb"service[ \t]*:[ \t]*[^\s#]")  # `service: orders`, a name
_CLOUDFORMATION_KEY = re.compile(rb"(?m)" + _BOM + rb"AWSTemplateFormatVersion[ \t]*:")
_SAM_TRANSFORM_KEY = re.compile(rb"(?m)" + _BOM + rb"Transform[ \t]*:")
_JSON_KEY = rb'"%s"[ \t\r\n]*:'
_JSON_SERVERLESS = (re.compile(_JSON_KEY % b"service"), re.compile(_JSON_KEY % b"provider"))
_JSON_CLOUDFORMATION = re.compile(_JSON_KEY % b"AWSTemplateFormatVersion")
_JSON_TRANSFORM = re.compile(_JSON_KEY % b"Transform")

SERVERLESS, SAM = "serverless", "sam"


_HELM_VALUES = re.compile(r"(?:^|/)(?:[^/]*[-_.])?values(?:[-_.][^/]*)?\.ya?ml$|(?:^|/)charts/(?!(?:.*/)?templates/)",
                          re.IGNORECASE)


def is_helm_values(path: str) -> bool:
    """`values.yaml`, `values-prod.yaml`, any YAML under `charts/` but its `templates/` (those are
    manifests, with Go template syntax): a chart's values, never a Lambda template (external-dns's
    have a `service:` mapping and a `provider:`). Secrets reads them as values files."""
    return bool(_HELM_VALUES.search(path))


def is_candidate(path: str) -> bool:
    """A file named as the Serverless Framework or SAM's CLI looks for one (serverless.yml/.yaml/.json/.ts,
    template.yaml/.yml/.json; `*.template.json`): what a reader that starts from names lists. Any YAML
    file may be a template too (`shape` tells from its bytes)."""
    return bool(_NAMES.search(path) or _JSON_SAM_NAMES.search(path))


def shape(source_file: SourceFile) -> str | None:
    """`serverless` for a Serverless Framework file (YAML: `service:` and `provider:` at its top level; in a
    file not named `serverless.*`, `service:` a name, in no Helm values file; serverless.json and
    serverless.ts by name, holding `provider`), `sam` for an AWS SAM or CloudFormation template (YAML:
    `AWSTemplateFormatVersion:`, or a `Transform:` naming `AWS::Serverless`, at its top level; JSON named
    `template.json` or `*.template.json` holding those keys), else None. Decided from the bytes alone."""
    kind, data, name = source_file.kind, source_file.data, posixpath.basename(source_file.path)
    if kind == "yaml":
        if b"provider" in data and b"service" in data and all(key.search(data) for key in _SERVERLESS_KEYS) and (
                name.startswith("serverless.")
                or (_SERVICE_NAME.search(data) and not is_helm_values(source_file.path))):
            return SERVERLESS  # (a chart's values may have a `service:` mapping and a `provider:`: external-dns's)
        if (b"AWSTemplateFormatVersion" in data and _CLOUDFORMATION_KEY.search(data)) or \
                (b"AWS::Serverless" in data and _SAM_TRANSFORM_KEY.search(data)):
            return SAM
        return None
    if kind == "json":
        if name == "serverless.json":
            return SERVERLESS if all(key.search(data) for key in _JSON_SERVERLESS) else None
        if _JSON_SAM_NAMES.search(source_file.path) and (
                _JSON_CLOUDFORMATION.search(data) or (b"AWS::Serverless" in data and _JSON_TRANSFORM.search(data))):
            return SAM
        return None
    if name == "serverless.ts" and b"provider" in data:
        return SERVERLESS
    return None


def documents(source_file: SourceFile) -> list[yamlfile.Node]:
    """The template's documents (JSON is read as the YAML it is); none for serverless.ts, which is code.
    Raises ParseError when it does not parse."""
    return source_file.yaml_documents if source_file.kind in ("yaml", "json") else []


@dataclass(frozen=True)
class Function:
    name: str
    node: yamlfile.Node  # its mapping (serverless.yml's function, a SAM resource)
    handler: str | None  # `dist/handler.handler`, SAM `app.handler`
    code: str  # the directory of its code, relative to the template's ("" unknown or the template's own)


def functions(documents: list[yamlfile.Node], shape: str) -> Iterator[Function]:
    """serverless.yml: each of `functions:` (a mapping, or a list of them), its code where its `handler:`
    is; SAM/CloudFormation: each resource of type `AWS::Serverless::Function` or `AWS::Lambda::Function`
    (a bucket or a table is none), its code in `CodeUri` (or `Globals.Function.CodeUri`) and the
    directory of `Handler`."""
    for document in documents:
        if shape == SERVERLESS:
            found = yamlfile.get(document, "functions")
            for group in found.value if isinstance(found, yamlfile.SequenceNode) else [found]:
                for name, function in yamlfile.items(group):
                    handler = _string(yamlfile.get(function, "handler"))
                    yield Function(name, function, handler, posixpath.dirname(handler) if handler else "")
            continue
        shared = yamlfile.get_path(document, "Globals", "Function", "CodeUri")
        for name, resource in yamlfile.items(yamlfile.get(document, "Resources")):
            properties = yamlfile.get(resource, "Properties")
            if _string(yamlfile.get(resource, "Type")) not in _FUNCTION_TYPES:
                continue
            uri = yamlfile.get(properties, "CodeUri") or shared
            handler = _string(yamlfile.get(properties, "Handler"))
            yield Function(name, resource, handler, posixpath.join(
                _string(uri) or "", posixpath.dirname(handler) if handler else ""))


_FUNCTION_TYPES = frozenset({"AWS::Serverless::Function", "AWS::Lambda::Function"})


def _string(node: yamlfile.Node | None) -> str | None:
    if isinstance(node, yamlfile.ScalarNode) and isinstance(node.value, str) and node.tag.endswith(":str"):
        return node.value
    return None


def environments(documents: list[yamlfile.Node], shape: str) -> Iterator[tuple[str, yamlfile.Node | None]]:
    """(where, mapping) of each environment the template gives its functions: serverless.yml's
    `provider.environment` and each function's `environment`; SAM's `Globals.Function.Environment.Variables`
    and each resource's `Properties.Environment.Variables`."""
    for document in documents:
        if shape == SERVERLESS:
            yield "provider environment", yamlfile.get_path(document, "provider", "environment")
            for function in functions([document], shape):
                yield f"function {function.name} environment", yamlfile.get(function.node, "environment")
        else:
            yield "Globals Function Environment", yamlfile.get_path(document, "Globals", "Function", "Environment",
                                                                    "Variables")
            for name, resource in yamlfile.items(yamlfile.get(document, "Resources")):
                yield f"{name} Environment", yamlfile.get_path(resource, "Properties", "Environment", "Variables")


# `${self:custom.db.password}` written whole (a variable of its own, no fallback, no nested variable)
_SELF_CUSTOM = re.compile(r"\$\{self:custom((?:\.[A-Za-z0-9_-]+)+)\}")


def custom_value(documents: list[yamlfile.Node], value: str) -> tuple[str, yamlfile.Node] | None:
    """(`custom.db.password`, its node) when a serverless.yml value is one `${self:custom.…}` variable
    whole and the file's `custom:` holds a scalar there (in one document); else None."""
    match = _SELF_CUSTOM.fullmatch(value.strip())
    if match is None or len(documents) != 1:
        return None
    keys = match.group(1).lstrip(".").split(".")
    node = yamlfile.get_path(documents[0], "custom", *keys)
    return (f"custom.{'.'.join(keys)}", node) if isinstance(node, yamlfile.ScalarNode) else None


def parameters(documents: list[yamlfile.Node]) -> Iterator[tuple[str, yamlfile.Node]]:
    """(name, mapping) of each of a SAM/CloudFormation template's `Parameters`."""
    for document in documents:
        yield from yamlfile.items(yamlfile.get(document, "Parameters"))


def code_dirs(source_file: SourceFile) -> set[str] | None:
    """The directories (relative to the repository; "" its root) of the code the template's functions run,
    empty when it has no function (a CloudFormation stack of buckets); None when the template cannot be
    read for them (serverless.ts, a file that does not parse). The template's own directory stands for a
    function whose code is not said."""
    kind = shape(source_file)
    if kind is None or source_file.kind not in ("yaml", "json"):
        return None
    here = posixpath.dirname(source_file.path)
    try:
        found = {posixpath.normpath(posixpath.join(here, function.code)) if function.code else (here or ".")
                 for function in functions(documents(source_file), kind)}
    except ParseError:
        return None
    return {"" if directory == "." else directory for directory in found}
