"""Console-style argument lists as logger calls: `('Saved:', user.id, err)` becomes
`('Saved', { userId: user.id, error: err })` — winston's `(message, meta)`, or pino's
`(meta, message)` — by edits at the edges of the arguments, so comments inside the list
and multi-line layouts stay.

- the message: a string, a template literal or a string concatenation first argument, or
  a choice of them (`c ? 'a' : `b ${x}``) (a trailing `:` goes; a printf-style string or template literal becomes a template
  literal — pino keeps a format string where its types take it and it prints as console
  did — but a value a template (or pino) would print differently, `%o`/`%O`/`%j`'s or,
  under `%s`, an error or an object by all signs, under `%d`/`%f` one not known to be a
  number, under `%i` one not known to be an integer (console printed Number(x), parseFloat(x),
  parseInt(x): `'auto'` -> NaN, 97.5 -> 97, `10n` with its `n`), goes into meta wherever it
  stands, its specifier dropped from the message, and a `%%` right after it, its unit — but
  between words the message prints its name in meta in braces takes its place, its unit kept:
  `'Process {proc} restarted {count} times'`, no gap in the sentence);
  a call of the file's own colour module (`chalk.green('Started')` of `import chalk from
  './chalk'`) is the text it colours (`_own_colour_text`);
  anything else gets a short literal message and goes into meta; but an object literal logged
  alone whose own `message` is a string or a template literal gives that message, its other
  keys the meta (`_own_message_edits`);
- winston logs no meta with a message that holds a format token (`%s`, `%d`, `%%`…), so a
  call that would keep one beside values (a specifier console printed as it is, specifiers
  in a concatenation, a colour call's text or a template literal's substitution — `${red`%s`}`
  —, or filled by a spread) raises NotRewritten: reported, not edited;
- meta keys: identifiers as shorthand, error-like values (`err`, a `catch` binding, a
  `.catch()` callback's parameter, a `new Error(…)`) under `error` (`err` for pino), member paths
  camelCased (`user.id` -> `userId`), a getter's call under what it gets (`getUser()`,
  `mail.getTestMessageUrl(info)` -> testMessageUrl), a method call's under its receiver's
  name (`n.toFixed(2)` -> n) but a request's, a response's or an error's (`req`, `res`, `err`:
  pino's and bunyan's keys for those objects) under what it looks up (`req.get('user-agent')`
  -> userAgent) or receiver and method (`req.get(name)` -> reqGet), object literals spread in
  (but one whose keys its text does not show, `{ ...user }`, whole under `detail`), spread
  arguments under their own name, anything else under the message's trailing label (for the
  value right after it, when no other value has that name of its own; `URL:` -> url; in a
  format, the label right before a value's specifier, `'Preview URL: %s'`) or a derived name;
  never a key the logger reads or writes itself (`reserved_keys`: winston's `message` ->
  detail, `level` -> levelValue; pino's `msg`, `time`, `pid`, `hostname`; bunyan's `name`, `v`
  too), a spread argument's neither; an error stays at meta's top level, the only place the
  logger's errors format (pino's `err` serializer) reads one: an object literal holding one
  is spread in with such keys renamed, and one the meta would hold nested (`[err]`, an object
  literal that must go whole under a key) raises NotRewritten;
- optionally a `service: '<name>'` entry last.

Comments stay: between the values they stay where they are (for pino, a comment between
the message and the values keeps its place before them and the message goes after the
meta object, the comments among its own values before them too, in their order); one among
values that go into a template goes with the template.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterator

from fixer import edits as edit_ops
from fixer.model import Edit
from fixer.parsing import typescript
from fixer.parsing.typescript import Node, node_text as _text
from fixer.repo import SourceFile

ERROR_NAMES = frozenset({"err", "error", "e", "ex", "exc", "exception", "cause"})
RESERVED_KEYS = {"message": "detail", "level": "levelValue"}  # winston reads these keys of meta itself
# the fields pino writes into each record itself: a meta key of the same name writes the field twice into the
# JSON line (parsers keep the last: the record's time or pid gone, or the value logged)
PINO_RESERVED_KEYS = {**RESERVED_KEYS, "msg": "msgValue", "time": "timeValue", "pid": "pidValue",
                      "hostname": "hostnameValue"}
# bunyan's, which replace its own (its logger's `name`, its `time`; a `msg` is dropped)
BUNYAN_RESERVED_KEYS = {**PINO_RESERVED_KEYS, "name": "nameValue", "v": "vValue"}


def reserved_keys(pino: bool, bunyan: bool = False) -> dict[str, str]:
    """The meta keys the logger reads or writes itself, each with the key a value of that name
    goes under instead: winston's, pino's or bunyan's (`pino`: a logger of their order)."""
    return (BUNYAN_RESERVED_KEYS if bunyan else PINO_RESERVED_KEYS) if pino else RESERVED_KEYS
FORMAT = re.compile(r"%[sdifjoOc%]")
LABEL = re.compile(r"(?<![%\w])(\w+)\s*:\s*$")  # (not the `s` of a trailing `%s:`)


class NotRewritten(Exception):
    """A call whose arguments can't become a logger call that logs what console did (the
    logger would drop its values, or its types reject them): reported, not edited; str() says why."""


@dataclass
class Entry:
    node: Node
    key: str | None  # None: shorthand, or spread / object contents
    text: str | None = None  # replacement text for the node, when it is not kept as is
    renames: dict[str, str] = field(default_factory=dict)  # an object literal spread in: its keys the logger reserves


def arguments_edits(source_file: SourceFile, call: Node, service: str | None, quote: str = "'",
                    pino: bool = False, colours: frozenset[str] = frozenset(), bunyan: bool = False,
                    own_colours: frozenset[str] = frozenset()) -> list[Edit]:
    """Edits turning a console call's arguments into winston's `(message, meta)` (pino's
    `(meta, message)` when the logger is pino; `bunyan`: it is bunyan's, of pino's order, whose
    record has fields of its own pino's has not). `colours`: the file's bindings of a terminal
    colour library (`chalk`), whose calls return the text they colour; `own_colours`: those of
    the file's own colour module (`import chalk from './chalk'`), whose calls give their text
    (`_own_colour_text`)."""
    reserved = reserved_keys(pino, bunyan)
    path = source_file.path
    arguments = call.child_by_field_name("arguments")
    assert arguments is not None
    args = typescript.list_items(arguments)
    edits: list[Edit] = []
    if (inner := _stringified_object(source_file, args)) is not None:
        if "_aws" in _own_keys(inner):
            raise NotRewritten("an Embedded Metric Format line (its `_aws` key): CloudWatch takes the metric from "
                               "the JSON console printed, which a logger would wrap (or drop, below its level)")
        if _unknown_keys(inner):
            raise NotRewritten("a JSON line with fields its text does not show (a spread, a computed key), which may be "
                               "ones the logger writes itself (`level`, `message`…): it would drop or overwrite them, "
                               "and under a key of their own they would no longer be the line's top-level fields; "
                               "rewrite this call by hand")
        # `console.log(JSON.stringify({ metric, value }))`: the object is the meta, its keys top-level
        # fields of the JSON line as they were (a log-based metric's `$.metric` still matches), not one
        # string under a made-up key
        edits += [Edit(path, args[0].start_byte, inner.start_byte, ""), Edit(path, inner.end_byte, args[0].end_byte, "")]
        args = [inner]
    if inner is None and len(args) == 1 and args[0].type == "object" and \
            (own := _own_message_edits(source_file, args[0], service, quote, pino, reserved)) is not None:
        return own
    # a call of the file's own colour module is the message, made the text it colours (`chalk.green('Started')`
    # -> 'Started'): it may print colour codes wherever it runs, which a log line has no use for
    colours |= own_colours  # (its other calls are text too, as a colour library's: kept as they are)
    own_text = _own_colour_text(args[0], own_colours) if args and inner is None else None
    if own_text is not None:
        edits.append(Edit(path, args[0].start_byte, args[0].end_byte, _text(own_text)))
    # a string variable or a string expression logged alone is the message (with values after it, console would
    # fill in a `%s` it may hold, and winston would drop the values for it): `String(rows.length)` is what
    # console printed, not a value to name
    message: Node | None = args[0] if args and (own_text is not None or a_string(args[0], colours) or (
        len(args) == 1 and string_expression(args[0]))) else None
    rest = args[1:] if message is not None else args
    if message is not None and rest:  # (console formats a string followed by values, not one alone)
        # a format token in a text the message is made of when it runs — a concatenated string, a colour call's
        # text, a template literal's substitution (`${red`%s`}`, `${chalk.red('%s')}`) —: console filled it in
        if (token := _inner_token(message)) is not None:
            where = {"binary_expression": "its concatenated message",
                     "call_expression": "the text its colour call returns",
                     "template_string": "the text a substitution of its template literal gives"}
            if message.type == "call_expression":
                raise NotRewritten(f"console filled in the `{token}` of {where[message.type]}, which "
                                   + ("pino would print as it is" if pino else
                                      "winston would print as it is, dropping the values")
                                   + ": rewrite the text as a template literal by hand")
            raise NotRewritten(f"console filled in the `{token}` of {where.get(message.type, 'its message')}, which "
                               + ("pino would print as it is" if pino else
                                  "winston would take for a format of its own, dropping the values")
                               + ": rewrite the message as a template literal by hand")
        if (plan := _format_plan(message, rest, pino)) is not None:
            return _format_edits(source_file, message, rest, plan, service, quote, pino, reserved)
    if message is not None and rest and not pino and (joined := _joined_strings(source_file, message, rest))[1]:
        edits += joined[0]
        message, rest = joined[1][-1], rest[len(joined[1]):]  # the last string joined stands for the message
    if message is not None and rest and (strip := _trailing_label(message)) is not None:
        edits.append(Edit(path, strip[0], strip[1], ""))
    entries = _entries(rest, _label(message) if message is not None else None, "err" if pino else "error",
                       reserved=reserved)
    keys = {key for entry in entries for key in _keys_of(entry)}
    service_text = f"service: {quote}{service}{quote}" if service and "service" not in keys else None
    if not pino and not entries and message is not None and _static_token(message):
        service_text = None  # winston would log no meta with it (and console printed the message as it is)
    if pino and (entries or service_text):
        return _meta_first(source_file, message, edits, entries, service_text)
    if not entries:
        meta = f", {{ {service_text} }}" if service_text else ""
        if message is None:  # console.log(): an empty line
            return [Edit(path, arguments.start_byte + 1, arguments.start_byte + 1, f"{quote}{quote}{meta}")]
        return edits + ([Edit(path, message.end_byte, message.end_byte, meta)] if meta else [])
    prefix = ""
    if message is None:  # a value first: a short literal message, the value into meta
        literal = _message_for(entries[0])
        prefix = quote + literal + quote
    if len(entries) == 1 and entries[0].node.type == "object" and entries[0].key is None:
        if prefix:
            edits.append(Edit(path, entries[0].node.start_byte, entries[0].node.start_byte, prefix + ", "))
        return edits + _spread_object(source_file, entries[0], service_text)
    return edits + _wrap(source_file, entries, service_text, prefix)


def _own_message_edits(source_file: SourceFile, obj: Node, service: str | None, quote: str, pino: bool,
                       reserved: dict[str, str]) -> list[Edit] | None:
    """`console.error({ message: 'Payment failed', error: err, orderId })`, an object literal logged
    alone whose own `message` is a string literal or a template literal: that is the message,
    the other keys the meta (`'Payment failed', { error: err, orderId }`; pino's order `{ err,
    orderId }, 'Payment failed'`, an error under pino's `err`, the one key its serializer
    reads), not a made-up `'detail'` message with the text under `detail`. None (the object goes
    into meta as any other) when a key is not plain (a spread, a computed key, a method), the
    object holds a comment, the message holds a format token, or a key the logger reserves
    would clash once renamed."""
    items = typescript.list_items(obj)
    if any(child.type == "comment" for child in obj.named_children) or _unknown_keys(obj) or \
            any(item.type not in ("pair", "shorthand_property_identifier") for item in items):
        return None
    keys = [typescript.string_value(key) or _text(key) if (key := item.child_by_field_name("key")
                                                           if item.type == "pair" else item) is not None else None
            for item in items]
    if keys.count("message") != 1:
        return None
    pair = items[keys.index("message")]
    value = pair.child_by_field_name("value") if pair.type == "pair" else None
    if value is None or value.type not in ("string", "template_string") or _static_token(value) is not None:
        return None
    rest = [(item, key) for item, key in zip(items, keys) if item is not pair]
    renames = {key: reserved[key] for _, key in rest if key in reserved}
    errors = [key for item, key in rest
              if (inner := item.child_by_field_name("value") if item.type == "pair" else item) is not None
              and _an_error(inner)]
    if pino and len(errors) == 1 and errors[0] != "err":
        renames[errors[0]] = "err"  # (pino's and bunyan's serializer reads an error under `err` alone)
    names = [renames.get(key, key) for _, key in rest]
    if None in keys or len(set(names)) < len(names):
        return None
    path, data = source_file.path, source_file.data
    service_text = f"service: {quote}{service}{quote}" if service and "service" not in names else None
    message = _text(value)
    if not rest:
        meta = f"{{ {service_text} }}" if service_text else ""
        text = (f"{meta}, {message}" if pino else f"{message}, {meta}") if meta else message
        return [Edit(path, obj.start_byte, obj.end_byte, text)]
    # the pair goes (the service's name, when it is added, takes its place: the object's layout stays)
    edits = [Edit(path, pair.start_byte, pair.end_byte, service_text)] if service_text else \
        [Edit(path, start, end, "") for start, end in typescript.list_removal_spans(data, obj, [pair])]
    for item, key in rest:
        if key not in renames:
            continue
        new_key = renames[key]
        if item.type == "shorthand_property_identifier":
            edits.append(Edit(path, item.start_byte, item.end_byte, f"{new_key}: {key}"))
        elif _text(item.child_by_field_name("value")) == new_key:  # (`error: err` -> `err`)
            edits.append(Edit(path, item.start_byte, item.end_byte, new_key))
        else:
            name = item.child_by_field_name("key")
            edits.append(Edit(path, name.start_byte, name.end_byte, new_key))
    if pino:
        return edits + [Edit(path, obj.end_byte, obj.end_byte, f", {message}")]
    return [Edit(path, obj.start_byte, obj.start_byte, f"{message}, ")] + edits


def _stringified_object(source_file: SourceFile, args: list[Node]) -> Node | None:
    """The object literal of a lone `JSON.stringify({ … })` argument (no replacer, no indent, nothing
    but white space around it: no comment would go with the wrapper)."""
    if len(args) != 1 or args[0].type != "call_expression":
        return None
    function, arguments = args[0].child_by_field_name("function"), args[0].child_by_field_name("arguments")
    if function is None or arguments is None or _text(function) != "JSON.stringify":
        return None
    items = typescript.list_items(arguments)
    if len(items) != 1 or items[0].type != "object":
        return None
    data = source_file.data
    before = data[args[0].start_byte: items[0].start_byte]
    after = data[items[0].end_byte: args[0].end_byte]
    return items[0] if b"".join(before.split()) == b"JSON.stringify(" and after.strip() == b")" else None


def _message_for(entry: Entry) -> str:
    """The short literal message of a call that logs a value alone: its key (`console.log(user)`
    -> `'user', { user }`), but `error` for an error's own text (`console.error(err.stack)` ->
    `'error', { errorStack: err.stack }`: its key as the message says nothing; and the stack,
    `string | undefined`, stays out of the message: a logger's own `error(message: string, meta?)`
    would not take it, where winston's one-argument overload takes anything), and a colour or
    style method's string for its call (`_styled_text`)."""
    literal = entry.key or ""
    if entry.key is not None and error_text(entry.node) is not None:
        return "error"
    if (styled := _styled_text(entry.node)) is not None:
        return styled
    return literal if re.fullmatch(r"[A-Za-z_$][\w$]*", literal) else "detail"


def _styled_text(node: Node) -> str | None:
    """The text of a colour or style method's one string literal argument (`chalk.bold('Resources')`,
    of a `chalk` not known to be a colour library's): what is logged is about it, where the key, the
    receiver's name, says nothing. None when it is not such a call, or the text has a quote, a
    backslash, a `%` or a line break (it goes between the message's quotes as it is)."""
    function = node.child_by_field_name("function") if node.type == "call_expression" else None
    arguments = node.child_by_field_name("arguments") if node.type == "call_expression" else None
    if function is None or function.type != "member_expression" or arguments is None or arguments.type != "arguments" \
            or not colour_style(_text(function.child_by_field_name("property"))):
        return None
    items = typescript.list_items(arguments)
    text = typescript.string_value(items[0]) if len(items) == 1 and items[0].type == "string" else None
    return text.strip() if text and text.strip() and not re.search(r"['\"`\\%\r\n]", _text(items[0])[1:-1]) else None


def _joined_strings(source_file: SourceFile, message: Node, rest: list[Node]) -> tuple[list[Edit], list[Node]]:
    """`'Status:', 'ok', code` -> `'Status: ok', code`: console printed the strings after the
    message joined by a space, and so does the message (not meta values named `detail`). Joined
    only when they are string literals that need no new escapes in the message's quotes, hold
    no `%` (console formats the first argument alone) and have nothing but a comma between them
    (a comment stays where it is). Returns the edits and the strings joined (none: no edits)."""
    data = source_file.data
    if message.type != "string" or b"%" in (message.text or b""):
        return [], []
    quote = data[message.start_byte:message.start_byte + 1]
    joined: list[Node] = []
    previous = message
    for node in rest:
        raw = node.text or b""
        if node.type != "string" or b"%" in raw or (raw[:1] != quote and (quote in raw or b"\\" in raw)) \
                or data[previous.end_byte:node.start_byte].strip(b" \t\r\n") != b",":
            break
        joined.append(node)
        previous = node
    if not joined:
        return [], []
    inner = b" ".join((node.text or b"")[1:-1] for node in joined[:-1])
    text = " " + (inner.decode("utf-8") + " " if joined[:-1] else "")
    last = joined[-1]
    edits = [Edit(source_file.path, message.end_byte - 1, last.start_byte + 1, text)]
    if data[last.start_byte:last.start_byte + 1] != quote:
        edits.append(Edit(source_file.path, last.end_byte - 1, last.end_byte, quote.decode()))
    return edits, joined


def _meta_first(source_file: SourceFile, message: Node | None, message_edits: list[Edit],
                entries: list["Entry"], service_text: str | None) -> list[Edit]:
    """pino's order: `'m', a, b` -> `{ a, b }, 'm'` (the meta object built from the argument
    text itself, so comments between the values stay). `message_edits` are edits inside the
    message."""
    path = source_file.path
    if not entries:
        assert message is not None and service_text
        return message_edits + [Edit(path, message.start_byte, message.start_byte, f"{{ {service_text} }}, ")]
    if len(entries) == 1 and entries[0].node.type == "object" and entries[0].key is None:
        inner = _spread_object(source_file, entries[0], service_text)
    else:
        inner = _wrap(source_file, entries, service_text, "", inline=True)
    if message is None:  # (`message_edits`: then only the unwrapping of a `JSON.stringify({ … })`)
        start, end = entries[0].node.start_byte, entries[-1].node.end_byte
        return message_edits + [Edit(path, start, end, _applied(source_file, start, end, inner))]
    return _before_message(source_file, message.start_byte, message.end_byte, message_edits,
                           entries[0].node, entries[-1].node, inner)


def _before_message(source_file: SourceFile, start: int, end: int, kept_edits: list[Edit], first: Node,
                    last: Node, meta_edits: list[Edit]) -> list[Edit]:
    """pino's meta first: the message (and what stays with it: `kept_edits` are edits inside
    [start, end)) and after it the values from `first` to `last`, which `meta_edits` make
    the meta object. The meta object's text goes before the message; but when a comment
    stands between them (`'started',\n  // the port\n  port`) the message goes after the
    meta object instead, and the comment stays where it was, before the value it is about;
    comments among the message and its values go before it, so they keep their order."""
    path, data = source_file.path, source_file.data
    comma = _comma_between(data, end, first.start_byte)
    gap = data[comma + 1 : first.start_byte] if comma is not None else b""
    if comma is None or not gap.strip():
        meta = _applied(source_file, first.start_byte, last.end_byte, meta_edits)
        cut = comma if comma is not None else end  # (a comment before the comma stays with its value)
        return kept_edits + [Edit(path, start, start, meta + ", "), Edit(path, cut, last.end_byte, "")]
    after = comma + 1 + len(gap) - len(gap.lstrip(b" \t"))
    hoisted, removals = "", []
    indent = source_file.text.indent_at(after)
    for comment in first.parent.named_children if first.parent is not None else []:
        if comment.type != "comment" or not start <= comment.start_byte < after or \
                any(e.start <= comment.start_byte < e.end for e in kept_edits):
            continue
        text = _text(comment)
        hoisted += text + ("\n" + indent if text.startswith("//") else " ")
        if comment.start_byte >= end:
            continue  # (between the last value and its comma: not in the text that goes after)
        before = comment.start_byte
        while data[before - 1 : before] in (b" ", b"\t") and not any(e.start < before <= e.end for e in kept_edits):
            before -= 1
        past = comment.end_byte
        while data[past : past + 1] in (b" ", b"\t", b"\r", b"\n"):
            past += 1
        ends = [e for e in kept_edits if e.end == before and e.start < e.end]  # (a value deleted before it)
        previous = (ends[0].text or data[ends[0].start - 1 : ends[0].start].decode())[-1:] if ends else \
            data[before - 1 : before].decode()
        blank = data[past : past + 1] in (b",", b")") or previous in (" ", "\t", "\n", "(")
        removals.append(Edit(path, before, past, "" if blank else " "))
    kept = _applied(source_file, start, end, kept_edits + removals)
    return [Edit(path, start, after, hoisted), *meta_edits, Edit(path, last.end_byte, last.end_byte, ", " + kept)]


def _applied(source_file: SourceFile, start: int, end: int, inner: list[Edit]) -> str:
    """The text of [start, end) with `inner` (edits inside it) applied."""
    shifted = [Edit(source_file.path, e.start - start, e.end - start, e.text) for e in inner]
    return edit_ops.apply(source_file.data[start:end], shifted).decode()


def _comma_between(data: bytes, start: int, end: int) -> int | None:
    """The offset of the list's comma between two items (outside comments)."""
    index = start
    while index < end:
        if data.startswith(b"//", index):
            newline = data.find(b"\n", index, end)
            index = end if newline == -1 else newline + 1
        elif data.startswith(b"/*", index):
            close = data.find(b"*/", index + 2, end)
            index = end if close == -1 else close + 2
        elif data[index : index + 1] == b",":
            return index
        else:
            index += 1
    return None


def _keys_of(entry: "Entry") -> list[str]:
    if entry.key is not None:
        return [entry.key]
    if entry.node.type == "object":
        keys = []
        for item in typescript.list_items(entry.node):
            key = item.child_by_field_name("key") if item.type == "pair" else item
            name = typescript.string_value(key) or _text(key)
            keys.append(entry.renames.get(name, name))
        return keys
    return []


def _unknown_keys(obj: Node) -> bool:
    """Whether an object literal has keys its text does not show: a spread (`{ ...user }`), a
    computed key (`{ [name]: v }`)."""
    return any(item.type == "spread_element" or (item.type == "pair" and (key := item.child_by_field_name("key"))
                                                  is not None and key.type == "computed_property_name")
               for item in typescript.list_items(obj))


def _an_error(node: Node) -> bool:
    return is_error_like(node) or _constructs_error(node)


def _holds_an_error(obj: Node) -> bool:
    """Whether an object literal holds an error as a value of its own (`{ error: err }`, `{ err }`)."""
    for item in typescript.list_items(obj):
        value = item.child_by_field_name("value") if item.type == "pair" else item
        if value is not None and _an_error(value):
            return True
    return False


def _rename_edits(source_file: SourceFile, entry: "Entry") -> list[Edit]:
    """The edits renaming the keys of an object literal spread into the meta that the logger
    reserves (`entry.renames`): `message: m` -> `detail: m`, `{ level }` -> `{ levelValue: level }`."""
    edits = []
    for item in typescript.list_items(entry.node) if entry.renames else []:
        key = item.child_by_field_name("key") if item.type == "pair" else item
        if key is None or item.type not in ("pair", "shorthand_property_identifier"):
            continue
        name = typescript.string_value(key) or _text(key)
        if name in entry.renames:
            text = entry.renames[name] if item.type == "pair" else f"{entry.renames[name]}: {name}"
            edits.append(Edit(source_file.path, key.start_byte, key.end_byte, text))
    return edits


def _is_message(node: Node, colours: frozenset[str] = frozenset()) -> bool:
    """A string, a template literal, `'…' + x` (a string in TypeScript whatever x is), or a
    call of a terminal colour library (`chalk.bold('Resources')`, `kleur.green().bold(m)`):
    it returns the text, and prints no colour codes where stdout is no terminal (a container),
    so the call stays as the message, as it is."""
    if node.type in ("string", "template_string"):
        return True
    if node.type == "binary_expression":
        operator = node.child_by_field_name("operator")
        left = node.child_by_field_name("left")
        return operator is not None and operator.type == "+" and left is not None and _is_message(left, colours)
    if node.type == "call_expression" and colours:
        return _text(_chain_root(node)) in colours
    return False


# the colours and styles of terminal colour libraries (chalk's, colors', kleur's…), without `bg` and `Bright`
COLOUR_STYLES = frozenset({"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white", "gray", "grey",
                           "reset", "bold", "dim", "italic", "underline", "overline", "inverse", "hidden",
                           "strikethrough", "visible"})


def colour_style(name: str) -> bool:
    """A colour or style name of a terminal colour library: `green`, `bold`, `bgRed`, `redBright`."""
    if name.startswith("bg") and name[2:3].isupper():
        name = name[2:3].lower() + name[3:]
    return name.removesuffix("Bright") in COLOUR_STYLES


def _own_colour_text(node: Node, own: frozenset[str]) -> Node | None:
    """The text a call of the file's own colour module colours (`own`: the names the file imports
    it under): `chalk.green('Server started')`, `colors.red.bold(`port ${port}`)`, `green('done')`
    of `const { green } = require('./colors')` — colour and style names (`colour_style`) called
    with one text argument (a string, a template literal, a concatenation) that holds no format
    token, and no comment beside it. None otherwise."""
    if not _own_colour_call(node, own):
        return None
    items = typescript.list_items(node.child_by_field_name("arguments"))
    if _static_token(items[0]) is not None or any(not items[0].start_byte <= comment.start_byte < items[0].end_byte
                                                  for comment in typescript.descendants(node, "comment")):
        return None
    return items[0]


def _own_colour_call(node: Node, own: frozenset[str]) -> bool:
    """Whether a call is one of the file's own colour module (`own`: the names the file imports it
    under) by its shape: colour and style names (`colour_style`) called with one text argument
    (`chalk.green('Server started')`, `green('done')`)."""
    function = node.child_by_field_name("function") if own and node.type == "call_expression" else None
    arguments = node.child_by_field_name("arguments") if function is not None else None
    if arguments is None or arguments.type != "arguments":
        return False
    items = typescript.list_items(arguments)
    if len(items) != 1 or not _is_message(items[0]):
        return False
    names = []
    while function.type == "member_expression" and (name := function.child_by_field_name("property")) is not None:
        names.append(_text(name))
        function = function.child_by_field_name("object")
    return function is not None and function.type == "identifier" and _text(function) in own and \
        all(colour_style(name) for name in names or [_text(function)])


def _chain_root(node: Node) -> Node:
    """The name a chain of calls and members starts from: `chalk` of `chalk.bold.red(x)`."""
    while node.type in ("call_expression", "member_expression"):
        inner = node.child_by_field_name("function" if node.type == "call_expression" else "object")
        if inner is None:
            break
        node = inner
    return node


def holds_a_string(node: Node) -> bool:
    """Whether the file shows that an identifier holds a string: its nearest declaration is a
    parameter or variable annotated `: string`, or a variable set to a string literal, a
    template literal or a string concatenation (or a choice of them, `ok ? 'up' : 'down'`), or
    an expression that is a string whatever its operands are (`string_expression`: `String(n)`).
    Any other binding of the name in a closer scope (`for (const [name] of rows)`, `({ name })
    =>`, `for (let name = 0; …)`, `catch ({ name })`) is some other value: the search stops."""
    return _holds_a_string(node, 0)


def _holds_a_string(node: Node, depth: int) -> bool:
    declaration = _declaration(node)
    if declaration is None:
        return False
    value = declaration.child_by_field_name("value") if declaration.type == "variable_declarator" else None
    return _annotated_string(declaration) or (value is not None and (
        a_string(value) or _string_expression(value, depth + 1)))


def _declaration(node: Node) -> Node | None:
    """The parameter or variable declarator that binds an identifier's name, the nearest one
    (`holds_a_string`); None when a closer binding is some other (a pattern's, a loop's)."""
    if node.type != "identifier":
        return None
    name = _text(node)
    scope = node.parent
    while scope is not None:
        if scope.type in ("catch_clause", "for_in_statement", "for_statement"):
            bound = scope.child_by_field_name({"catch_clause": "parameter", "for_in_statement": "left",
                                               "for_statement": "initializer"}[scope.type])
            if bound is not None and typescript.declares(bound, name):
                return None  # (`for (const name of names)`: each item, whatever it is)
        if scope.type in typescript.FUNCTION_TYPES:
            parameter = typescript.parameter_named(scope, name)
            if parameter is not None:
                return parameter
            parameters = scope.child_by_field_name("parameters")
            if parameters is not None and typescript.declares(parameters, name):
                return None
        if scope.type in ("program", "statement_block", "switch_case", "switch_default"):
            for statement in scope.named_children:
                if statement.type == "export_statement" and statement.named_children:
                    statement = statement.named_children[0]
                if statement.type not in ("lexical_declaration", "variable_declaration"):
                    continue
                for declarator in statement.named_children:
                    if declarator.type != "variable_declarator":
                        continue
                    if _text(declarator.child_by_field_name("name")) == name:
                        return declarator
                    bound = declarator.child_by_field_name("name")
                    if bound is not None and typescript.declares(bound, name):
                        return None  # `const [name] = rows`
        scope = scope.parent
    return None


def a_string(value: Node, colours: frozenset[str] = frozenset()) -> bool:
    """A string literal, a template literal, a string concatenation (or a colour call's text,
    `colours`: `_is_message`), or `c ? 'a' : 'b'` of them: a string in TypeScript, and text
    as console printed it (so a message, as it is)."""
    if value.type == "ternary_expression":
        branches = [value.child_by_field_name("consequence"), value.child_by_field_name("alternative")]
        return all(branch is not None and a_string(branch, colours) for branch in branches)
    if value.type == "parenthesized_expression" and value.named_children:
        return a_string(value.named_children[0], colours)
    return _is_message(value, colours)


# methods that return a string of whatever value has them (a number's, a Date's, a Buffer's, a
# decimal or date library's): `n.toFixed(2)`, `d.toISOString()`, `buf.toString('hex')`
STRING_METHODS = frozenset({"toString", "toFixed", "toPrecision", "toExponential", "toISOString", "toUTCString",
                            "toDateString", "toTimeString", "toLocaleString", "toLocaleDateString",
                            "toLocaleTimeString"})
# a string's methods that return a string (of a receiver that is one: `String(n).padStart(4)`)
OF_A_STRING = frozenset({"trim", "trimStart", "trimEnd", "toUpperCase", "toLowerCase", "padStart", "padEnd", "slice",
                         "substring", "repeat", "replace", "replaceAll", "normalize", "concat", "charAt"})


def string_expression(node: Node) -> bool:
    """Whether an expression is a string whatever its operands are, in TypeScript's types
    (`string`, which a logger's `message: string` takes) and in what console printed: a string
    or template literal, `String(x)`, `x.toString()` and the other STRING_METHODS, an array's
    `.join()`/`.join(', ')` (a separator literal: `knex.join('t', …)` is a query), a string's
    OF_A_STRING methods (`s.trim()`), a concatenation with one (`n + ' rows'`), or a name that
    holds one (`holds_a_string`). Never through an optional chain (`s?.toString()`: string |
    undefined). Not `JSON.stringify(x)`: undefined (a string in TypeScript's types) for an
    undefined `x`, and its text is a record's (a JSON line), not a message."""
    return _string_expression(node, 0)


def _string_expression(node: Node, depth: int) -> bool:
    while node.type in ("parenthesized_expression", "non_null_expression") and node.named_children:
        node = node.named_children[0]
    if depth > 8:  # (`const s = s.trim()`: a name whose value reads the name)
        return False
    if a_string(node):
        return True
    if node.type == "identifier":
        return _holds_a_string(node, depth)
    if node.type == "binary_expression":
        operator = node.child_by_field_name("operator")
        return operator is not None and operator.type == "+" and any(
            _string_expression(operand, depth + 1) for operand in _operands(node))
    if node.type != "call_expression" or _optional_chain(node):
        return False
    callee, arguments = node.child_by_field_name("function"), node.child_by_field_name("arguments")
    if callee is None or arguments is None or arguments.type != "arguments":  # (a tagged template: the tag's)
        return False
    items = typescript.list_items(arguments)
    if callee.type == "identifier":
        return _text(callee) == "String" and len(items) <= 1 and not any(i.type == "spread_element" for i in items)
    receiver = callee.child_by_field_name("object") if callee.type == "member_expression" else None
    if receiver is None:
        return False
    method = _text(callee.child_by_field_name("property"))
    if method in STRING_METHODS:
        return True
    if method == "join":
        return not items or (len(items) == 1 and items[0].type in ("string", "template_string"))
    return method in OF_A_STRING and _string_expression(receiver, depth + 1)


def _optional_chain(node: Node) -> bool:
    """Whether a chain of calls and members passes a `?.` (its value may be undefined)."""
    while node.type in ("call_expression", "member_expression", "subscript_expression", "non_null_expression",
                        "parenthesized_expression"):
        if any(child.type in ("optional_chain", "?.") for child in node.children):
            return True
        inner = node.child_by_field_name("function" if node.type == "call_expression" else "object") \
            if node.type in ("call_expression", "member_expression", "subscript_expression") else \
            (node.named_children[0] if node.named_children else None)
        if inner is None:
            return False
        node = inner
    return False


def _annotated_string(declaration: Node) -> bool:
    annotation = declaration.child_by_field_name("type")
    return annotation is not None and _text(annotation).lstrip(":").strip() == "string"


def _entries(nodes: list[Node], label: str | None, error_key: str = "error",
             labels: list[str | None] | None = None, reserved: dict[str, str] = RESERVED_KEYS) -> list[Entry]:
    """The meta entries of the values; `label` names the first, or `labels` each (a format's
    `'Preview URL: %s'`: the label right before a value's specifier). A value named like a key
    the logger reserves (`reserved`: `reserved_keys`) goes under the key given for it, a spread
    argument too (`...message` -> `detail: message`: winston would append the array's text to
    the message). Raises NotRewritten for an error the meta would hold nested (`[err]`, an object
    literal that must go whole under a key): winston's errors format and pino's `err` serializer
    read only meta's top-level values, the error's message and stack would be lost."""
    entries: list[Entry] = []
    used: Counter[str] = Counter()
    # a label another value has for a name of its own (`'GitHub URL:', String(u), url`) names
    # neither: the value after the message keeps the name it has
    names = list(labels) if labels is not None else [label, *[None] * len(nodes)]
    for index, name in enumerate(names[: len(nodes)]):
        if name is not None and any(name in _own_keys(node) for other, node in enumerate(nodes) if other != index):
            names[index] = None
    for node, label in zip(nodes, names):
        if node.type == "spread_element":
            inner = node.named_children[0] if node.named_children else node
            key = derived_key(inner) or "detail"
            entries.append(Entry(node, reserved.get(key, key), _text(inner)))
        elif node.type == "object":
            entries.append(Entry(node, None, None))
        else:
            if node.type == "array" and any(_an_error(item) for item in node.named_children):
                raise NotRewritten("an error inside an array literal would go into meta nested, where the logger's "
                                   "errors format reads no error (its message and stack would print as `{}`): "
                                   "log the error as a value of its own by hand")
            error = is_error_like(node) or _constructs_error(node)
            key = error_key if error else derived_key(node)
            if not error and error_text(node) is None and (
                    key is None or (node.type not in ("identifier", "member_expression") and label)):
                key = label or key or "detail"
            entries.append(Entry(node, reserved.get(key, key)))
        # the message's label names the value right after it, no other (`'Error:', err, 'for user', id`:
        # 'for user' is no error; an error's `.message` is the error's text, not what a label names)
    # An object literal is spread into the meta unless that loses or breaks something: a key
    # another value has too (`'Saved', id, { id, name }`: TS2783, and one of them would be
    # lost), one the logger reserves (`{ level: 3 }`), or keys it does not show (`{ ...user }`,
    # `{ [name]: v }`: any of those). Then it goes whole under a key; but one holding an error
    # (which the meta must hold at its top level) is spread with its reserved keys renamed
    # (`{ message: 'Payment failed', error: err }` -> `{ detail: 'Payment failed', error: err }`),
    # and reported where that is not enough.
    spread = {index: set(_keys_of(entry)) for index, entry in enumerate(entries)
              if entry.key is None and entry.node.type == "object"}
    for index in list(spread):
        others = {e.key for e in entries if e.key is not None}.union(
            *(keys for other, keys in spread.items() if other != index))
        node = entries[index].node
        unknown = _unknown_keys(node)
        if not unknown and not spread[index] & (others | set(reserved)):
            continue
        if _holds_an_error(node):
            renames = {key: reserved[key] for key in spread[index] & set(reserved)}
            kept = spread[index] - set(renames)
            if unknown or spread[index] & others or set(renames.values()) & (kept | others) or \
                    len(set(renames.values())) < len(renames):
                raise NotRewritten("its object literal holds an error and must go into meta whole, under a key "
                                   + ("(it spreads keys fixer cannot see)" if unknown else
                                      "(its keys clash with the logger's or another value's)")
                                   + ", where the logger's errors format reads no error (its message and stack "
                                   "would print as `{}`): log the error as a value of its own by hand")
            entries[index].renames = renames
            spread[index] = kept | set(renames.values())
            continue
        entries[index].key = "detail"
        del spread[index]
    # Keys that repeat get a number, never one some other value has (`id, id2, id` -> id3).
    taken = set().union(*spread.values())
    wanted = {entry.key for entry in entries if entry.key is not None}
    for entry in entries:
        if entry.key is None:
            continue
        key = entry.key
        used[key] += 1
        if used[key] > 1 or key in taken:
            number = max(used[key], 2)
            while f"{key}{number}" in taken or f"{key}{number}" in wanted:
                number += 1
            entry.key = f"{key}{number}"
        taken.add(entry.key)
    return entries


def _own_keys(node: Node) -> set[str]:
    """The keys a value has by a name of its own: a name or a member path's, an object
    literal's own keys."""
    if node.type == "object":
        return set(_keys_of(Entry(node, None)))
    if node.type in ("identifier", "member_expression"):
        return {key} if (key := derived_key(node)) else set()
    return set()


def _entry_text(entry: Entry) -> tuple[str, str]:
    """(text inserted before the node, replacement for the node or "" to keep it)."""
    if entry.node.type == "spread_element":  # `...args` -> `args` (the array, under its name)
        return ("" if entry.key == entry.text else f"{entry.key}: "), entry.text or ""
    if entry.key is None:
        return ("...", "") if entry.node.type == "object" else ("", "")
    if entry.node.type == "identifier" and _text(entry.node) == entry.key:
        return "", ""  # shorthand
    return f"{entry.key}: ", ""


def _wrap(source_file: SourceFile, entries: list[Entry], service_text: str | None, prefix: str,
          inline: bool = False, lead: str = "") -> list[Edit]:
    """`a, b.c` -> `{ a, bC: b.c }`: braces around the arguments, a key before each that
    needs one; one per line when they were one per line. `prefix` is a message to put first,
    `lead` entries (text) to put first in the object."""
    path, data, text = source_file.path, source_file.data, source_file.text
    first, last = entries[0].node, entries[-1].node
    block = not inline and len(entries) > 1 and all(_starts_line(data, e.node.start_byte) for e in entries)
    if not block:
        opening = (f"{prefix}, {{ " if prefix else "{ ") + (f"{lead}, " if lead else "")
    else:
        indent, unit = text.indent_at(first.start_byte), text.indent_unit
        opening = (f"{prefix},\n{indent}" if prefix else "") + f"{{\n{indent}{unit}"
        opening += f"{lead},\n{indent}{unit}" if lead else ""
    edits = [Edit(path, first.start_byte, first.start_byte, opening)]
    for entry in entries:
        before, replacement = _entry_text(entry)
        if replacement:
            edits.append(Edit(path, entry.node.start_byte, entry.node.end_byte, before + replacement))
        elif before:
            edits.append(Edit(path, entry.node.start_byte, entry.node.start_byte, before))
        edits += _rename_edits(source_file, entry)
    if not block:
        tail = f", {service_text} }}" if service_text else " }"
        return edits + [Edit(path, last.end_byte, last.end_byte, tail)]
    literals = [(n.start_byte, n.end_byte) for e in entries for n in typescript.descendants(e.node, "template_string")]
    for offset in _line_starts_between(data, first.start_byte, last.end_byte):
        if data[offset:offset + 1] in (b"\r", b"\n") or any(s < offset < e for s, e in literals):
            continue  # blank lines stay blank; a template literal's lines are its value
        edits.append(Edit(path, offset, offset, unit))
    trailing = typescript.comma_after(last) is not None
    tail = f",\n{indent}{unit}{service_text}" if service_text else ""
    tail += f",\n{indent}}}" if trailing else f"\n{indent}}}"
    return edits + [Edit(path, last.end_byte, last.end_byte, tail)]


def _spread_object(source_file: SourceFile, entry: Entry, service_text: str | None) -> list[Edit]:
    """The only meta is an object literal (`entry`): its keys the logger reserves renamed, the
    service name added."""
    return _rename_edits(source_file, entry) + _extend_object(source_file, entry.node, service_text)


def _extend_object(source_file: SourceFile, obj: Node, service_text: str | None) -> list[Edit]:
    """The only meta is an object literal: keep it, and add the service name to it."""
    if not service_text:
        return []
    path, data = source_file.path, source_file.data
    items = typescript.list_items(obj)
    if not items:
        return [Edit(path, obj.start_byte, obj.end_byte, f"{{ {service_text} }}")]
    last = items[-1]
    comma = typescript.comma_after(last)
    if b"\n" in data[obj.start_byte : obj.end_byte]:
        indent = source_file.text.indent_at(last.start_byte)
        if comma is not None:
            return [Edit(path, comma.end_byte, comma.end_byte, f"\n{indent}{service_text},")]
        return [Edit(path, last.end_byte, last.end_byte, f",\n{indent}{service_text}")]
    if comma is not None:
        return [Edit(path, comma.end_byte, comma.end_byte, f" {service_text},")]
    return [Edit(path, last.end_byte, last.end_byte, f", {service_text}")]


def _starts_line(data: bytes, offset: int) -> bool:
    return data[data.rfind(b"\n", 0, offset) + 1 : offset].strip(b" \t") == b""


def _line_starts_between(data: bytes, start: int, end: int) -> Iterator[int]:
    index = data.find(b"\n", start, end)
    while index != -1:
        yield index + 1
        index = data.find(b"\n", index + 1, end)


# --- keys ------------------------------------------------------------------------------

WRAPPING = frozenset({"await_expression", "non_null_expression", "as_expression", "satisfies_expression",
                      "parenthesized_expression", "type_assertion"})
# globals and core modules whose functions are called by their name: `Date.now()`, `os.hostname()`
NAMESPACES = frozenset({"Date", "Math", "Object", "Number", "String", "Array", "Promise", "Buffer", "Reflect",
                        "Intl", "BigInt", "Symbol", "performance", "process", "crypto", "os", "util"})
# keys loggers give an object of their own (pino-http's, bunyan's, winston-express's request and response,
# pino's and bunyan's error): a value a method of one returns is named otherwise (an index maps `req` as an object)
OBJECT_KEYS = frozenset({"req", "res", "err"})
PASS_THROUGH_CALLS = frozenset({"JSON.stringify", "String", "Number", "Boolean", "util.inspect", "inspect",
                                "Object.keys", "Object.values", "Object.entries", "Array.from"})


def derived_key(node: Node) -> str | None:
    """A readable camelCase name for a value: `user.id` -> userId, `getUser()` -> user,
    `JSON.stringify(order)` -> order, `new Date()` -> date."""
    if node.type in WRAPPING and node.named_children:
        return derived_key(node.named_children[-1] if node.type == "await_expression" else node.named_children[0])
    if node.type in ("identifier", "shorthand_property_identifier"):
        return _text(node)
    if node.type == "binary_expression" and _logical(node) and _text(node.child_by_field_name("operator")) != "&&":
        left = node.child_by_field_name("left")  # `user ?? fallback`: the user
        return derived_key(left) if left is not None else None
    if node.type in ("member_expression", "subscript_expression"):
        text = error_text(node)
        if text is not None:  # `err.message`, `(e as Error).stack`: errorMessage, errorStack
            return "error" + text[:1].upper() + text[1:]
        parts = _path(node)
        return _camel(parts) if parts else None
    if node.type == "call_expression":
        callee = node.child_by_field_name("function")
        args = node.child_by_field_name("arguments")
        first = typescript.list_items(args)[0] if args is not None and typescript.list_items(args) else None
        name = _text(callee)
        if name in PASS_THROUGH_CALLS and first is not None:
            return derived_key(first)
        if callee is not None and callee.type == "member_expression":
            target = callee.child_by_field_name("object")
            if target is not None and target.type == "identifier" and _text(target) in NAMESPACES:
                parts = _path(callee)  # `Date.now()` -> dateNow: the value is no Date's
                return _camel([parts[0][:1].lower() + parts[0][1:], *parts[1:]]) if parts else None
            method = _text(callee.child_by_field_name("property"))
            if _GETTER.match(method):  # `mailer.getTestMessageUrl(info)`: what it gets, not the module
                return _getter_key(method)
            key = derived_key(target) if target is not None else None
            if key in OBJECT_KEYS:  # `req.header('x-user')`: a value of the request, not the request
                named = typescript.string_value(first) if first is not None and first.type == "string" else None
                if named and re.fullmatch(r"[A-Za-z][\w.-]*", named):
                    return _camel([part.lower() for part in re.split(r"[-_.]+", named) if part])  # xUser, userAgent
                return _camel([key, method]) if re.fullmatch(r"[\w$]+", method) else None  # reqHeader
            return key
        if callee is not None and callee.type == "identifier":
            return _getter_key(name)
        return None
    if node.type == "new_expression":
        constructor = node.child_by_field_name("constructor")
        name = _text(constructor).split(".")[-1]
        return name[:1].lower() + name[1:] if re.fullmatch(r"\w+", name) else None
    return None


_GETTER = re.compile(r"(get|fetch|load|read|compute|build)(?=[A-Z])")


def _getter_key(name: str) -> str:
    """`getUser` -> user, `fetchProfile` -> profile, `render` -> render."""
    stripped = _GETTER.sub("", name, count=1) if _GETTER.match(name) else name
    return stripped[:1].lower() + stripped[1:]


ERROR_TEXTS = frozenset({"message", "stack"})


def error_text(node: Node) -> str | None:
    """"message" or "stack" when the value is an error's own text: `err.message`, `e.stack`,
    `(err as Error).message`, `error?.stack` (of an error-like name: `is_error_like`)."""
    while node.type in WRAPPING and node.type != "await_expression" and node.named_children:
        node = node.named_children[0]
    if node.type != "member_expression":
        return None
    prop = _text(node.child_by_field_name("property"))
    target = node.child_by_field_name("object")
    if prop not in ERROR_TEXTS or target is None:
        return None
    while target.type in WRAPPING and target.type != "await_expression" and target.named_children:
        target = target.named_children[0]
    return prop if is_error_like(target) else None


def _path(node: Node) -> list[str] | None:
    parts: list[str] = []
    while node.type in ("member_expression", "subscript_expression"):
        if node.type == "member_expression":
            prop = node.child_by_field_name("property")
            parts.append(_text(prop).lstrip("#"))
        else:
            index = node.child_by_field_name("index")
            value = typescript.string_value(index) if index is not None and index.type == "string" else None
            if value is None and index is not None and index.type == "number":
                value = _text(index)
            if value is None or not re.fullmatch(r"\w+", value):
                return None
            parts.append(value)
        inner = node.child_by_field_name("object")
        if inner is None:
            return None
        node = inner
    if node.type == "this":
        return parts[::-1] or None
    if node.type != "identifier":
        return None
    return [_text(node), *parts[::-1]]


def _camel(parts: list[str]) -> str:
    words = []
    for part in parts:
        if part.isupper() or "_" in part:
            pieces = [p for p in part.lower().split("_") if p]
            part = pieces[0] + "".join(p.capitalize() for p in pieces[1:]) if pieces else part
        words.append(part)
    head = words[0]
    return head + "".join(w[:1].upper() + w[1:] for w in words[1:])


_ERROR_CLASS = re.compile(r"^(?:[\w$]+\.)*[\w$]*Error$")


def _constructs_error(node: Node) -> bool:
    """`new Error('x')`, `new errors.NotFoundError(id)`: an Error made in the call's arguments goes
    under the error key as a named one does (pino serializes `err`; under a label it printed `{}`)."""
    constructor = node.child_by_field_name("constructor") if node.type == "new_expression" else None
    return constructor is not None and _ERROR_CLASS.match(_text(constructor)) is not None


def is_error_like(node: Node) -> bool:
    """`err`, `error`, `e`…, a `catch` binding, or the parameter of a `.catch()` callback or
    an `.on('error', …)` handler, the first one of a `process.on('unhandledRejection', …)` or
    `'uncaughtException'` handler, or one typed `Error`."""
    if node.type not in ("identifier", "shorthand_property_identifier"):  # (`{ err }`'s too)
        return False
    name = _text(node)
    if name in ERROR_NAMES:
        return True
    scope = node.parent
    while scope is not None:
        if scope.type == "catch_clause":
            parameter = scope.child_by_field_name("parameter")
            if parameter is not None and _text(parameter) == name:
                return True
        if scope.type in typescript.FUNCTION_TYPES:
            parameter = typescript.parameter_named(scope, name)
            if parameter is not None:
                return _error_parameter(scope, parameter)
        scope = scope.parent
    return False


def _error_parameter(function: Node, parameter: Node) -> bool:
    annotation = parameter.child_by_field_name("type")
    if annotation is not None and re.search(r"\b\w*Error\b", _text(annotation)):
        return True
    arguments = function.parent
    call = arguments.parent if arguments is not None and arguments.type == "arguments" else None
    callee = call.child_by_field_name("function") if call is not None else None
    if callee is None or callee.type != "member_expression":
        return False
    method = _text(callee.child_by_field_name("property"))
    if method == "catch":
        return True
    first = typescript.list_items(arguments)[0] if arguments is not None else None
    event = typescript.string_value(first) if method in ("on", "once", "addListener", "prependListener") else None
    if event in PROCESS_ERROR_EVENTS:  # `process.on('unhandledRejection', (reason) => …)`: its first parameter
        return parameter == _first_parameter(function)
    return event == "error"


PROCESS_ERROR_EVENTS = frozenset({"unhandledRejection", "uncaughtException", "uncaughtExceptionMonitor"})


def _first_parameter(function: Node) -> Node | None:
    single = function.child_by_field_name("parameter")
    if single is not None:
        return single
    parameters = function.child_by_field_name("parameters")
    items = typescript.list_items(parameters) if parameters is not None else []
    return items[0] if items else None


def _label(message: Node) -> str | None:
    """`'Starting with services:'` -> services: the word that names the value after it."""
    if message.type not in ("string", "template_string"):
        return None
    return _label_before(_text(message)[1:-1])


def _label_before(text: str) -> str | None:
    """The label a text ends with: `'Preview URL: '` -> url."""
    match = LABEL.search(text)
    if not match or match.group(1).isdigit():
        return None
    word = match.group(1)
    if word.isupper():  # an acronym, `URL:`, `ID:`, `API_URL:`: url, id, apiUrl (not uRL)
        return _camel([word])
    return word[:1].lower() + word[1:]


def _trailing_label(message: Node) -> tuple[int, int] | None:
    """The span of a trailing `:` (and the blanks around it) in a message followed by values."""
    if message.type not in ("string", "template_string"):
        return None
    raw = message.text or b""
    match = re.search(rb"\s*:\s*$", raw[1:-1])
    if not match or not raw[1:-1][: match.start()].strip():
        return None
    return message.start_byte + 1 + match.start(), message.end_byte - 1


@dataclass
class FormatPlan:
    """A printf-style message (a string, or a template literal's text) and what becomes of
    each of its specifiers: "text" (printed in the message: interpolated into a template, or
    left to pino), "meta" (a value the message would not print as console did — `%o`/`%O`/`%j`,
    an error or an object by all signs under `%s`, one not known to be a number under `%d`/`%f`
    or an integer under `%i` — into meta, its specifier dropped), "drop"
    (`%c`'s CSS: console printed nothing), "literal" (no value left for it: console printed the
    specifier itself)."""
    raw: str  # the message's text between its delimiters (`\\%` read as the `%` it is)
    masked: str  # the same, a template literal's substitutions blanked out (`\0`s)
    specifiers: list[re.Match[str]]  # `%%` left out
    kinds: list[str]
    template: bool  # the message is a template literal
    pino: bool = False  # it stays a format string, for pino to fill in


def _format_plan(message: Node, rest: list[Node], pino: bool) -> FormatPlan | None:
    """None: no specifier (and no `%%`) in the message, or not a string or template literal.
    Raises NotRewritten when a spread fills specifiers (which value each prints, only the run knows)."""
    if message.type not in ("string", "template_string"):
        return None
    raw, masked = _format_source(message)
    specifiers = [m for m in FORMAT.finditer(masked) if m.group(0) != "%%"]
    if not specifiers and "%%" not in masked:
        return None
    spread = next((node for node in rest[: len(specifiers)] if node.type == "spread_element"), None)
    if spread is not None:
        raise NotRewritten(f"`{_text(spread)}` fills the format's specifiers, and which value each prints is known "
                           "only when it runs: " + ("pino's types need the values one by one" if pino else
                                                    "winston would drop the values (it reads the specifiers as "
                                                    "its own format)") + "; rewrite this call by hand")
    kinds = []
    for index, match in enumerate(specifiers):
        specifier = match.group(0)
        if index >= len(rest):
            kinds.append("literal")
        elif specifier == "%c":
            kinds.append("drop")
        elif specifier in ("%o", "%O", "%j") or (specifier == "%s" and not _prints_as_text(rest[index])):
            kinds.append("meta")  # console printed its fields (an error's stack); a template, or `%s`, would not
        elif specifier in ("%d", "%i", "%f") and not _prints_as_number(specifier, rest[index]):
            # console printed Number(x), parseInt(x), parseFloat(x) (`'auto'` -> NaN, 97.5 -> 97 under `%i`,
            # a BigInt with its `n`), a template the value as it is: the value itself goes into meta
            # (`${Number(x)}` would print a BigInt without its `n`, `parseInt(String(x))` is noise)
            kinds.append("meta")
        else:
            kinds.append("text")
    plan = FormatPlan(raw, masked, specifiers, kinds, message.type == "template_string")
    # pino fills in `%s` and `%d` as console did, but its types take only a number for `%d` and
    # none of `%i`, `%f`, `%c` (nor a message with fewer values than specifiers): else a template
    values: list[Node | None] = [*rest, *[None] * len(specifiers)]
    plan.pino = pino and not plan.template and all(
        kind == "meta" or (kind == "text" and (m.group(0) == "%s" or (m.group(0) == "%d" and _is_number(value))))
        for m, kind, value in zip(specifiers, kinds, values))
    return plan


def _prints_as_number(specifier: str, node: Node) -> bool:
    """Whether a template prints the value as console's `%d`/`%f` (Number's, parseFloat's
    result) or `%i` (parseInt's) did: a value that is a number whatever runs (`_known_number`),
    for `%i` one that is an integer (`_known_integer`)."""
    return _known_integer(node) if specifier == "%i" else _known_number(node)


_NUMBER_CALLS = re.compile(r"(?:Number|parseInt|parseFloat|Number\.parseInt|Number\.parseFloat|Math\.\w+|Date\.now|"
                           r"performance\.now|process\.uptime)")
_INTEGER_CALLS = re.compile(r"(?:parseInt|Number\.parseInt|Date\.now)")


def _known_number(node: Node, names: bool = True) -> bool:
    """A value that is a number (no BigInt, no string) whatever runs: a number literal, `+x`,
    `-`/`~` of one, arithmetic with one (`ratio * 100`: with a BigInt it throws), a sum of
    two, a `.length`, `Number(x)`, `parseFloat(…)`, `Math.round(…)`, `Date.now()`, a name
    declared `: number` or a `const` set to one of these (`names`: look names up)."""
    while node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    if node.type == "identifier":
        return names and _declared(node, "number", lambda value: _known_number(value, names=False))
    if node.type == "number":
        return not _text(node).endswith("n")  # (`10n`: console printed `10n`, a template `10`)
    if node.type == "unary_expression" and node.named_children:
        operator = _text(node.child_by_field_name("operator"))
        return operator == "+" or (operator in ("-", "~") and _known_number(node.named_children[-1], names))
    if node.type == "binary_expression":
        operator = _text(node.child_by_field_name("operator"))
        operands = _operands(node)
        if operator in ("-", "*", "/", "%", "**"):
            return any(_known_number(operand, names) for operand in operands)
        return operator == "+" and len(operands) == 2 and all(_known_number(operand, names) for operand in operands)
    if node.type == "member_expression":
        return _text(node.child_by_field_name("property")) == "length" and "?." not in _text(node)  # (`a?.length`)
    if node.type == "call_expression":
        return _NUMBER_CALLS.fullmatch(_text(node.child_by_field_name("function"))) is not None
    return False


def _known_integer(node: Node, names: bool = True) -> bool:
    """A value `%i` (parseInt of its text) prints as a template does: an integer literal under
    1e21 (`1e+21` parses as 1), `-` of one, a `.length`, `parseInt(…)`, `Date.now()`, a
    `const` set to one of these."""
    while node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    if node.type == "identifier":
        return names and _declared(node, None, lambda value: _known_integer(value, names=False))
    if node.type == "unary_expression" and _text(node.child_by_field_name("operator")) == "-" and node.named_children:
        return _known_integer(node.named_children[-1], names)
    if node.type == "number":
        literal = _text(node).replace("_", "")
        try:
            value = float(int(literal, 0)) if re.fullmatch(r"0[xXoObB][0-9a-fA-F]+|[1-9]\d*|0", literal) \
                else float(literal)
        except ValueError:
            return False  # (`10n`, a legacy octal)
        return value.is_integer() and abs(value) < 1e21
    if node.type == "member_expression":
        return _text(node.child_by_field_name("property")) == "length" and "?." not in _text(node)  # (`a?.length`)
    if node.type == "call_expression":
        return _INTEGER_CALLS.fullmatch(_text(node.child_by_field_name("function"))) is not None
    return False


def _declared(node: Node, annotation: str | None, known: Callable[[Node], bool]) -> bool:
    """Whether the name's nearest declaration is annotated `annotation` (TypeScript holds it to
    that) or is a `const` whose value is `known`."""
    declaration = _declaration(node)
    if declaration is None or declaration.type == "optional_parameter":  # (`n?: number`: maybe undefined)
        return False
    typed = declaration.child_by_field_name("type")
    if annotation is not None and typed is not None and _text(typed).lstrip(":").strip() == annotation:
        return True
    value = declaration.child_by_field_name("value") if declaration.type == "variable_declarator" else None
    statement = declaration.parent
    constant = statement is not None and statement.type == "lexical_declaration" and \
        _text(statement.child_by_field_name("kind")) == "const"
    return constant and value is not None and known(value)


def _is_number(node: Node | None) -> bool:
    if node is not None and node.type == "unary_expression" and _text(node)[:1] in "-+" and node.named_children:
        node = node.named_children[0]
    return node is not None and node.type == "number"


def _format_source(message: Node) -> tuple[str, str]:
    """A string's or a template literal's text between its delimiters (an escaped `\\%` read as
    `%`, which it is), and the same with the template's substitutions blanked out."""
    inner = (message.text or b"")[1:-1]
    spans = [(child.start_byte - message.start_byte - 1, child.end_byte - message.start_byte - 1)
             for child in message.named_children if child.type == "template_substitution"]
    raw, masked, cursor = [], [], 0
    for start, end in [*spans, (len(inner), len(inner))]:
        text = re.sub(r"(?<!\\)((?:\\\\)*)\\%", r"\1%", inner[cursor:start].decode())
        substitution = inner[start:end].decode()
        raw += [text, substitution]
        masked += [text, "\0" * len(substitution)]
        cursor = end
    return "".join(raw), "".join(masked)


def _inner_token(message: Node) -> str | None:
    """The first format token in a string or template literal the message is made of when it
    runs, other than the message's own text (a string's, a template literal's outside its
    substitutions: the format plan's): the strings of `'…' + x + '…'`, of `c ? 'a' : 'b'`, of a
    colour call (`chalk.green('port %d')`), of a template literal's substitutions
    (`${red`%s`}`). Any literal inside counts: which of them the text holds, only the run knows."""
    if message.type == "string":
        return None
    pending = [child for child in message.named_children if child.type == "template_substitution"] \
        if message.type == "template_string" else [message]
    pending.reverse()
    while pending:
        node = pending.pop()
        if node.type in ("string", "template_string") and (match := FORMAT.search(_format_source(node)[1])):
            return match.group(0)
        pending.extend(reversed(node.named_children))
    return None


def _static_token(message: Node) -> str | None:
    """A format token in the text the message's literals give (winston takes one for its format)."""
    if message.type not in ("string", "template_string", "binary_expression", "ternary_expression",
                            "parenthesized_expression"):
        return None  # a string variable's or a colour call's text is not the source's
    match = FORMAT.search(_format_source(message)[1]) if message.type in ("string", "template_string") else None
    return match.group(0) if match else _inner_token(message)


def _format_edits(source_file: SourceFile, message: Node, rest: list[Node], plan: FormatPlan,
                  service: str | None, quote: str, pino: bool, reserved: dict[str, str] = RESERVED_KEYS) -> list[Edit]:
    """`'User %s logged in', name` -> `` `User ${name} logged in` ``; pino keeps a format
    string and its values where it fills them in as console did. A value the message would
    print differently (an error: console printed its stack; an object by all signs: its
    fields) goes into meta, its specifier out of the message, wherever it stands in the format.
    A comment among the values that go into the template goes with the template: a `/* … */`
    after it, and when there is a `//` comment, each comment on its own line before it (a line
    comment after it would swallow the rest of the line). `%%` is `%` when console formats.
    winston logs no meta with a message that holds a format token: such a call raises
    NotRewritten (and one with no meta but the service's name goes without it)."""
    path, data = source_file.path, source_file.data
    count = min(len(plan.specifiers), len(rest))
    consumed, extras = rest[:count], rest[count:]
    kinds = plan.kinds[:count]
    kept = [node for node, kind in zip(consumed, kinds) if kind != "meta"]  # values that leave the meta
    meta_values = [node for node, kind in zip(consumed, kinds) if kind == "meta"]
    last_kept = kept[-1] if kept else message
    moved = [node for node in meta_values if node.start_byte < last_kept.start_byte]  # not next to the extras
    in_place = [node for node in meta_values if node.start_byte > last_kept.start_byte] + extras
    # a value's label is the `word:` right before its specifier (`'Preview URL: %s'`), else the message's for
    # the first
    specified = {id(node): _label_before(plan.masked[: match.start()])
                 for node, match in zip(consumed, plan.specifiers)}
    labels = [specified.get(id(node)) for node in moved + in_place]
    entries = _entries(moved + in_place, _label(message), "err" if pino else "error",
                       labels if any(labels) else None, reserved)
    moved_entries, place_entries = entries[: len(moved)], entries[len(moved):]
    lead = ", ".join(before + (replacement or _applied(source_file, e.node.start_byte, e.node.end_byte,
                                                       _rename_edits(source_file, e)))
                     for e in moved_entries for before, replacement in [_entry_text(e)])
    alone = len(entries) == 1 and entries[0].node.type == "object" and entries[0].key is None  # `{ a }` as it is
    named = {id(entry.node): ", ".join(_keys_of(entry)) for entry in entries}  # (a value's name in the message)
    keys = {key for entry in entries for key in _keys_of(entry)}
    service_text = f"service: {quote}{service}{quote}" if service and "service" not in keys else None
    if not pino and (token := FORMAT.search(_format_text(plan, rest, "static"))):
        if entries:
            raise NotRewritten(f"its message would keep `{token.group(0)}`, printed as it is by console, and winston "
                               "logs no meta with a message holding a format token of its own: the values would be "
                               "lost; rewrite this call by hand")
        service_text = None

    if plan.pino:  # the format string stays, for pino: only its text changes, and the values for meta go
        text = _string_text(plan, rest, meta_values, "pino", named)
        message_edits = [] if text == _text(message)[1:-1] else \
            [Edit(path, message.start_byte + 1, message.end_byte - 1, text)]
        message_edits += [Edit(path, node.start_byte, _after_comma(source_file, node), "") for node in moved]
    elif kept:  # the message and the values it prints become a template literal
        template = _format_text(plan, rest, "template", named)
        comments = [node for node in message.parent.named_children if node.type == "comment"
                    and message.end_byte <= node.start_byte and node.end_byte <= last_kept.end_byte]
        if any(_text(node).startswith("//") for node in comments):
            text = source_file.text
            lines = [node for node in [*comments, *consumed] if _starts_line(data, node.start_byte)
                     and node.end_byte <= last_kept.end_byte]
            if _starts_line(data, message.start_byte):
                indent, opening = text.indent_at(message.start_byte), ""
            else:
                indent = text.indent_at(lines[0].start_byte) if lines else \
                    text.indent_at(message.start_byte) + text.indent_unit
                opening = "\n" + indent
            template = opening + "".join(_text(node) + "\n" + indent for node in comments) + template
        else:
            template += "".join(" " + _text(node) for node in comments)
        message_edits = [Edit(path, message.start_byte, last_kept.end_byte, template)]
    else:  # only values for meta: the same message without their specifiers
        message_edits = [Edit(path, message.start_byte + 1, message.end_byte - 1,
                              _string_text(plan, rest, meta_values, "string", named))]
    end = last_kept.end_byte
    if not entries:
        if not service_text:
            return message_edits
        if pino:
            return message_edits + [Edit(path, message.start_byte, message.start_byte, f"{{ {service_text} }}, ")]
        return message_edits + [Edit(path, end, end, f", {{ {service_text} }}")]
    if alone:
        node = entries[0].node
        whole = _applied(source_file, node.start_byte, node.end_byte,
                         _spread_object(source_file, entries[0], service_text))
    else:
        whole = "{ " + lead + (f", {service_text}" if service_text else "") + " }"

    if pino:  # the meta object first
        if not place_entries:
            return message_edits + [Edit(path, message.start_byte, message.start_byte, whole + ", ")]
        inner = _spread_object(source_file, entries[0], service_text) if alone else \
            _wrap(source_file, place_entries, service_text, "", inline=True, lead=lead)
        return _before_message(source_file, message.start_byte, end, message_edits,
                               place_entries[0].node, place_entries[-1].node, inner)
    if not moved:
        if alone:
            return message_edits + _spread_object(source_file, entries[0], service_text)
        return message_edits + _wrap(source_file, entries, service_text, "")
    if place_entries:
        return message_edits + _wrap(source_file, place_entries, service_text, "", lead=lead)
    return message_edits + [Edit(path, end, end, ", " + whole)]


def _string_text(plan: FormatPlan, rest: list[Node], meta_values: list[Node], mode: str,
                 named: dict[int, str] | None = None) -> str:
    """The message as a quoted string's text; `'%s', order`, left with no text, is named
    like a value logged alone (`console.log(order)` -> `'order', { order }`)."""
    text = _format_text(plan, rest, mode, named)
    if text.strip() or not meta_values or "text" in plan.kinds:
        return text
    key = "error" if is_error_like(meta_values[0]) or error_text(meta_values[0]) else derived_key(meta_values[0])
    return key if key and re.fullmatch(r"[A-Za-z_$][\w$]*", key) else "detail"


_CLOSING = {"(": ")", "[": "]", "{": "}", "'": "'", '"': '"', "`": "`"}


def _format_text(plan: FormatPlan, rest: list[Node], mode: str, named: dict[int, str] | None = None) -> str:
    """The message's new text: a template literal's (mode "template", with its backticks), or
    the text between the message's delimiters ("string": console's formatting done, the values
    gone to meta; "pino": the specifiers of the values that stay, for pino; "static": as
    "template" without backticks, its substitutions blanked out — the text the message itself
    holds). A specifier whose value goes into meta goes with the blanks, `:` and `,` before it, and
    brackets or quotes around it (`'saved [%s]'` -> `'saved'`), where it starts or ends what the
    message prints; between words the message prints (`'Process %s restarted %d times'`), where
    the sentence would have a gap, it becomes (with what framed it) the value's name in meta in
    braces (`named`: the keys, by the value's id), `Process {proc} restarted {count} times`, and
    its unit stays."""
    raw = plan.masked if mode == "static" else plan.raw
    stays = sum(1 for kind in plan.kinds if kind == "text")
    convert = _as_template_text if mode == "template" and not plan.template else (lambda piece: piece)
    out: list[str] = []
    cursor, index, trim_next, dropped_end = 0, 0, False, -1

    def piece(text: str) -> None:
        nonlocal trim_next
        if trim_next:
            text, trim_next = text.lstrip(" :,"), False
        if mode == "pino" and stays:  # pino takes any `%` and the character after it for a specifier
            text = text.replace("%", "%%")
        out.append(convert(text))

    for match in FORMAT.finditer(plan.masked):
        before = raw[cursor : match.start()]
        cursor = match.end()
        specifier = match.group(0)
        if specifier == "%%":
            if match.start() == dropped_end:
                continue  # the unit of a value gone into meta (`'hit rate %i%%'` -> `'hit rate'`)
            piece(before)
            out.append("%%" if mode == "pino" and stays else "%")
            continue
        kind, value = plan.kinds[index], rest[index] if index < len(rest) else None
        index += 1
        if kind in ("text", "drop", "literal"):
            piece(before)
            if kind == "literal":
                out.append(specifier)
            elif kind == "drop":
                pass
            elif mode == "template":
                out.append("${" + _text(value) + "}")
            elif mode == "pino":
                out.append(specifier)
            elif mode == "static":
                out.append("\0")
            continue
        # into meta: the specifier goes, with what only framed it (`[%s]`, `'%s'`, `\'%s\'`)
        escapes = len(before[:-1]) - len(before[:-1].rstrip("\\"))
        if before and before[-1] in _CLOSING and escapes % 2 == 0 and raw[cursor : cursor + 1] == _CLOSING[before[-1]]:
            before, cursor = before[:-1], cursor + 1
        elif before and before[-1] in "'\"`" and escapes % 2 == 1 and raw[cursor : cursor + 2] == "\\" + before[-1]:
            before, cursor = before[:-2], cursor + 2
        name = (named or {}).get(id(value))
        if name and not before.endswith("$") and _printed(plan, "".join(out) + before, cursor, index):
            piece(before)  # between words: the value's name in meta in its place
            out.append("{" + name + "}")
            continue
        piece(before.rstrip(" :,"))
        dropped_end = cursor
        written = "".join(out)  # the text after it starts the message, or a bracket: `(%s rows)` -> `(rows)`
        trim_next = not written or written[-1] in "([{"
    piece(raw[cursor:])
    text = "".join(out)
    return "`" + text + "`" if mode == "template" else text


def _printed(plan: FormatPlan, written: str, end: int, index: int) -> bool:
    """Whether the message prints a word both before a specifier (in `written`: the new text so
    far and the text right before it) and after it (from `end` in the format, the specifiers
    from the `index`th on): the text of its literals, a value a template or pino prints (a
    substitution of the template literal, a specifier of kind "text" or "literal")."""
    if not re.search(r"[^\W_]|\0", written):
        return False
    cursor = end
    for match in FORMAT.finditer(plan.masked, end):
        if re.search(r"[^\W_]|\0", plan.masked[cursor : match.start()]):
            return True
        cursor = match.end()
        if match.group(0) != "%%":
            if plan.kinds[index] in ("text", "literal"):
                return True
            index += 1
    return re.search(r"[^\W_]|\0", plan.masked[cursor:]) is not None


def _after_comma(source_file: SourceFile, node: Node) -> int:
    """The end of `node`'s comma and the blanks after it (for deleting a value from a list)."""
    comma = typescript.comma_after(node)
    end = comma.end_byte if comma is not None else node.end_byte
    data = source_file.data
    while data[end : end + 1] in (b" ", b"\t", b"\r", b"\n"):
        end += 1
    return end


# What a template prints as console's `%s` did: strings, numbers, and values named like them.
_TEXT_NAME = re.compile(r"(?:^|[a-z0-9_])(?:id|ids|name|url|uri|path|port|host|hostname|ip|method|status|code|count|"
                        r"length|size|total|email|type|kind|msg|message|text|title|version|env|mode|ms|seconds|"
                        r"duration|date|time|label|slug|topic|queue|table|route|origin|region|level|reason)$",
                        re.IGNORECASE)
_TEXT_CALLS = re.compile(r"(?:^|\.)(?:String|Number|stringify|toString|toFixed|toISOString|toUpperCase|toLowerCase|"
                         r"trim|join|padStart|padEnd|slice|substring|format)$")


def _prints_as_text(node: Node) -> bool:
    """Whether `${node}` prints what console's `%s` printed: not an Error (console printed its
    stack) and not, by all signs, an object (`[object Object]`; console printed its fields)."""
    if node.type == "binary_expression" and _logical(node):  # `cfg || {}`, `user ?? 'anonymous'`: what either prints
        return all(_prints_as_text(operand) for operand in _operands(node))
    if node.type == "number":
        return not _text(node).endswith("n")  # (`%s` of `10n` printed `10n`, a template prints `10`)
    if node.type in ("string", "template_string", "true", "false", "binary_expression", "unary_expression"):
        return True
    if node.type == "parenthesized_expression" and node.named_children:
        return _prints_as_text(node.named_children[0])
    if node.type == "ternary_expression":
        branches = [node.child_by_field_name("consequence"), node.child_by_field_name("alternative")]
        return all(branch is not None and _prints_as_text(branch) for branch in branches)
    if is_error_like(node):
        return False
    if node.type == "call_expression":
        return bool(_TEXT_CALLS.search(_text(node.child_by_field_name("function"))))
    if holds_a_string(node):
        return True
    if node.type in ("identifier", "member_expression", "subscript_expression"):
        key = derived_key(node)
        return key is not None and _TEXT_NAME.search(key) is not None
    return False


def _logical(node: Node) -> bool:
    operator = node.child_by_field_name("operator")
    return operator is not None and operator.type in ("||", "??", "&&")


def _operands(node: Node) -> list[Node]:
    return [operand for operand in (node.child_by_field_name("left"), node.child_by_field_name("right"))
            if operand is not None]


def _as_template_text(raw: str) -> str:
    """A quoted string's raw text as a template literal's: its escapes kept as they are (each
    means the same there: `\\${` stays escaped, `\\`` stays a backtick), a bare backtick
    and a bare `${` escaped."""
    out, index = [], 0
    while index < len(raw):
        char = raw[index]
        if char == "\\":
            out.append(raw[index : index + 2])
            index += 2
            continue
        if char == "`" or (char == "$" and raw[index + 1 : index + 2] == "{"):
            out.append("\\")
        out.append(char)
        index += 1
    return "".join(out)


