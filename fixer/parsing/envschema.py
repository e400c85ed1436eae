"""Environment variables read through a schema validated against process.env: zod's
`EnvSchema.parse(process.env)`, envalid's `cleanEnv(process.env, {…})`, t3-env's `createEnv({ runtimeEnv:
process.env, server: {…} })`, Joi, yup and the like (the checklist's env facts, cors-validation's env objects)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fixer.parsing import typescript

# a validation of process.env by a schema, as the bytes show it (a gate before the tree is read)
VALIDATES_ENV = re.compile(rb"\.\s*(?:parse|safeParse|validate|validateSync|cast|assert|check)\s*\(\s*(?:\{\s*\.\.\.\s*)?process\.env\b|"
                           rb"\b(?:cleanEnv|createEnv|envalid\.\w+)\s*\(")

# the methods that validate a value against a schema (zod, joi, yup, superstruct, TypeBox's Value)
_SCHEMA_METHODS = frozenset({"parse", "safeParse", "parseAsync", "safeParseAsync", "validate", "validateSync",
                             "validateAsync", "cast", "assert", "check", "attempt"})
# methods of a schema whose identifier argument is a schema whose keys join it (`Base.merge(Extra)`)
_SCHEMA_JOINS = frozenset({"merge", "extend", "keys", "append", "concat", "and", "safeExtend"})
# the builders given an object of keys (zod, joi, yup, superstruct, valibot, TypeBox's `Type.Object`)
_SCHEMA_OBJECTS = frozenset({"object", "Object", "strictObject", "looseObject", "shape", "type"})
# the libraries whose imported names are the schema builders (`z`, `Joi`, `object`), not schemas
_SCHEMA_LIBRARY = re.compile(r"^(?:zod|joi|@hapi/joi|yup|envalid|superstruct|valibot|ajv|class-validator|"
                             r"@sinclair/typebox|@t3-oss/env-[\w-]+|env-var|convict|runtypes|io-ts|arktype)(?:/.*)?$")
# t3-env's `createEnv({ runtimeEnv: process.env, server: {…}, client: {…}, shared: {…} })`
_CREATE_ENV_PARTS = ("server", "client", "shared")


@dataclass
class SchemaKeys:
    keys: list[tuple[str, Any]] = field(default_factory=list)  # name, its node
    imported: list[tuple[str, str]] = field(default_factory=list)  # module, exported name: resolved by the audit
    unknown: bool = False  # some keys come from where fixer cannot see


def is_process_env(node: Any) -> bool:
    """`process.env`, or `{ ...process.env }`."""
    node = typescript.unwrap(node)
    if node is not None and node.type == "object":
        items = typescript.list_items(node)
        return len(items) == 1 and items[0].type == "spread_element" and is_process_env(items[0].named_children[0])
    return node is not None and node.type == "member_expression" and node.text == b"process.env"


def validated_env_schemas(root: Any, kind: str) -> list[tuple[Any, list[Any]]]:
    """Each validation of process.env with a schema (`EnvSchema.safeParse(process.env)`,
    `cleanEnv(process.env, { … })`, `createEnv({ runtimeEnv: process.env, server: { … } })`):
    the call and the schema expressions whose keys are the variables it reads."""
    found = []
    for call in typescript.captures(kind, "(call_expression) @call", root).get("call", []):
        callee, arguments = call.child_by_field_name("function"), call.child_by_field_name("arguments")
        if callee is None or arguments is None or arguments.type != "arguments":
            continue
        args = typescript.list_items(arguments)
        name = (callee.child_by_field_name("property") if callee.type == "member_expression" else callee)
        name = (name.text or b"").decode("utf-8", "replace") if name is not None else ""
        if callee.type == "member_expression" and name in _SCHEMA_METHODS and args and is_process_env(args[0]):
            # (joi's `Joi.attempt(process.env, schema)`, `Joi.assert(…)`: the schema comes second)
            found.append((call, [args[1] if name in ("attempt", "assert") and len(args) >= 2 else callee.child_by_field_name("object")]))
        elif name == "cleanEnv" and len(args) >= 2 and is_process_env(args[0]):
            found.append((call, [args[1]]))
        elif name == "createEnv" and args and args[0].type == "object":
            runtime = typescript.object_property(args[0], "runtimeEnv") or typescript.object_property(args[0], "runtimeEnvStrict")
            if runtime is not None and is_process_env(runtime):
                found.append((call, [part for key in _CREATE_ENV_PARTS
                                     if (part := typescript.object_property(args[0], key)) is not None]))
    return found


def schema_keys(node: Any, found: SchemaKeys, imports: dict[str, Any], depth: int = 0) -> None:
    """The keys of a schema expression: an object literal's, those of the object given to a
    schema builder (`z.object({…}).strip()`, `Joi.object().keys({…})`), followed through
    variables of the file and (for the audit to resolve) imports; unknown otherwise."""
    node = typescript.unwrap(node)
    if node is None or depth > 8:
        found.unknown = True
        return
    if node.type == "object":
        for child in typescript.list_items(node):
            if child.type == "pair":
                key = child.child_by_field_name("key")
                name = typescript.string_value(key) if key is not None and key.type == "string" else (
                    (key.text or b"").decode("utf-8", "replace") if key is not None and key.type == "property_identifier" else None)
                if name is None:
                    found.unknown = True  # (a computed key)
                else:
                    found.keys.append((name, key))
            elif child.type == "shorthand_property_identifier":
                found.keys.append(((child.text or b"").decode("utf-8", "replace"), child))
            elif child.type == "spread_element":
                schema_keys(child.named_children[0] if child.named_children else None, found, imports, depth + 1)
        return
    if node.type == "identifier":
        name = (node.text or b"").decode("utf-8", "replace")
        declarator = typescript.declarator_in_scope(name, node)
        if declarator is not None:
            schema_keys(declarator.child_by_field_name("value"), found, imports, depth + 1)
        elif name in imports and not _SCHEMA_LIBRARY.match(imports[name].module):
            found.imported.append((imports[name].module, imports[name].name))
        else:
            found.unknown = True  # a parameter, a global: its keys are not here
        return
    if node.type == "call_expression":
        callee, arguments = typescript.unwrap(node.child_by_field_name("function")), node.child_by_field_name("arguments")
        if callee is not None and callee.type == "member_expression":
            method_name = (callee.child_by_field_name("property").text or b"").decode("utf-8", "replace")
            base = typescript.unwrap(callee.child_by_field_name("object"))
            if base is not None and base.type == "identifier":  # `EnvSchema.extend(…)`, or a builder: `z.object(…)`
                name = (base.text or b"").decode("utf-8", "replace")
                if not (name in imports and _SCHEMA_LIBRARY.match(imports[name].module)):
                    schema_keys(base, found, imports, depth + 1)
            else:
                schema_keys(base, found, imports, depth + 1)  # the chain: `z.object({…}).strip()`
        elif callee is not None and callee.type == "identifier":  # `object({…})` of yup or superstruct
            name = (callee.text or b"").decode("utf-8", "replace")
            method_name = name
            if not (name in imports and _SCHEMA_LIBRARY.match(imports[name].module)):
                found.unknown = True  # a function's result (`makeSchema()`): its keys are not here
                return
        else:
            found.unknown = True
            return
        if method_name in _SCHEMA_OBJECTS or method_name in _SCHEMA_JOINS:  # (not `.refine(fn, { message })`'s options)
            for argument in typescript.list_items(arguments) if arguments is not None else ():
                argument = typescript.unwrap(argument)
                if argument is not None and argument.type in ("object", "identifier", "call_expression", "member_expression"):
                    schema_keys(argument, found, imports, depth + 1)
        return
    if node.type == "member_expression" and (node.child_by_field_name("property") or node).text == b"shape":
        schema_keys(node.child_by_field_name("object"), found, imports, depth + 1)  # `Base.shape` spread into another
        return
    found.unknown = True
