"""Replace committed secret values with placeholders, and take real env files out of git.

## What it does

Looks for secret values where services get their configuration: env templates and
examples (`env.template`, `.env.example`, `.env.sample`, `*.env.template`,
`.env.*.example`: assignments, `KEY: value` lines, which dotenv reads too, and comments),
compose `environment:` and `build.args` values and passwords on `command:`,
`entrypoint:` and health check `test:` lines (a flag's value, `curl -u user:…`, a URL's
password in any word), Dockerfile
`ENV`/`ARG` defaults and `RUN` lines and heredocs (a flag's value, `curl -u user:…`, a URL's password, a
known token's shape: `echo "//registry.npmjs.org/:_authToken=npm_…" > .npmrc`; reported, never edited:
the image layer keeps it too, pass it as a BuildKit secret, `RUN --mount=type=secret,id=…`), Kubernetes manifests (`env` entries' `value:`, a container's `command:` and
`args:` read as a compose service's command line (`--requirepass …`), a Secret's
`stringData` and `data` — base64 is an encoding, not encryption: each `data` value is decoded and
judged as the text it holds —, a ConfigMap's `data`; a `kind: List`'s `items` too; a Helm chart's
templates too, read with their Go-template actions blanked: `{{- with … }}` lines,
`name: {{ .Release.Name }}`), Helm values files
(`values*.yaml`, YAML under `charts/` but its `templates/`: every string, with its key), Lambda
templates (`fixer.lambdatemplate`, the reader health-endpoints and the checklist share), known in YAML by
their top-level keys whatever their name, in JSON by name (serverless.json, template.json,
`*.template.json`) (a Serverless Framework file's `service:`
and `provider:`: `provider.environment` and each function's `environment`, and the `custom:` value an
environment value is whole, `DB_PASSWORD: ${self:custom.dbPassword}`, judged and named as that variable;
an AWS SAM or CloudFormation
template's `AWSTemplateFormatVersion:` or `Transform: AWS::Serverless…`:
`Globals.Function.Environment.Variables` and each resource's `Properties.Environment.Variables`, a
`!Sub` string's literal text too, and a `String` parameter's `Default:`; a deploy-time variable, `${ssm:…}`,
`${env:…}`, `${self:…}`, a `!Sub`'s `${Stage}`, is a reference, though a token in its fallback is a
secret; serverless.ts is code, not read), string
literals in source code (a hardcoded JWT secret; a template literal's text around its
substitutions; a default a variable falls back to is named for the variable: `process.env.JWT_SECRET || '…'`,
env-var's `env.get('JWT_SECRET').default('…')`, convict's `default:` by the `env:` beside it, a zod, joi or
envalid schema entry's by its key), and the comments of code, compose
files, manifests and Dockerfiles (`# STRIPE_SECRET_KEY: sk_live_…`, `# redis-cli -a …`,
`// new Stripe('sk_live_…')`: token shapes and URL passwords, and values a name or flag in the
comment names), and JSON config files (node-config's `config/*.json`, `appsettings*.json`,
`secrets.json`, a service account's key file: every string, with its key, comments and trailing
commas read past as node-config's JSON5 parser does, a file that does not parse even so reported as
not read; not `package.json`, a lockfile, `tsconfig.json` or a test's fixture), YAML config files named as those are
(express-gateway's `config/system.config.yml`, node-config's `config/*.yaml`: every string, with its
key and place, and the comments; not a tool's, in a dot directory or file: `.circleci/config.yml`),
files named for a key (`*.pem`, `*.key`, `*.p8`, `*.ppk`, `id_rsa`, `id_ed25519`: each private key
block in them; a certificate or a public key is none), and a package manager's settings (`.npmrc`, which npm
and pnpm read, and Yarn 2+'s `.yarnrc.yml`: `//registry.npmjs.org/:_authToken=…`, `_auth`,
`_password`, `npmAuthToken:`, `npmAuthIdent:`, a token anywhere, their comments). Detection is detect-secrets' plugins (AWS, Slack, Stripe,
GitHub, private keys, SendGrid, Twilio, JWTs, high-entropy strings, secret keywords…),
run value by value rather than file by file (its file scan stops at the first pass that
finds anything, so a URL with a password would hide the keyword hits after it), plus
fixer's own: Razorpay key ids (`rzp_test_…`/`rzp_live_…`) and secrets, credentials
inside `redis`/`rediss`/`postgres(ql)`/`mysql`/`mongodb(+srv)`/`amqp(s)` URLs,
Stripe, AWS, GitHub and Slack tokens, and `*_KEY`/`*_SECRET`/`*_TOKEN`/`*_PASSWORD`
(and JWT/session secret) values that look real: long enough, mixed characters, not
words; a configuration's value under a password's name is one when made of words too (three or
more, or words and a number, joined by `-` or `_`: `orders-db-pass-2024`,
`correct-horse-battery-staple`), as `Summer2024` is; a quoted one may hold spaces
(`DB_PASSWORD='p#ss w0rd!xyzQ'`, `"correct horse battery staple"`; not a placeholder sentence
such as `"your password here"`). A front-end framework's prefix (`NEXT_PUBLIC_`, `VITE_`, `REACT_APP_`,
`EXPO_PUBLIC_`, `NUXT_PUBLIC_`, `VUE_APP_`, `GATSBY_`, SvelteKit's and Astro's `PUBLIC_`) says where a
value goes, not that it is public: the rest of the name is judged (`NEXT_PUBLIC_ADMIN_TOKEN` holds an
admin token), and a secret under it is replaced as any other, its finding adding that the framework
inlines the variable into the code shipped to browsers and apps, where anyone can read it whatever it
is set to (no placeholder makes it private): rotate it, and use it only in server code, under a name
without the prefix.

Each value becomes a placeholder that keeps its shape: in a URL only the password
and the host change (`rediss://default:YOUR_REDIS_PASSWORD@YOUR_REDIS_HOST:6379`; a
compose service name or `localhost` stays), anything else becomes
`your-<key-in-kebab-case>` (`RAZORPAY_KEY_ID=your-razorpay-key-id`); every secret in
a value is replaced, in one pass (`sk_live_…,sk_live_…`; `AKIA…:<secret>`, a key id and the generated
value beside it; a URL's password, a key id as its user, `YOUR_…_USER`, and a token after it). Quotes, inline
comments and commented-out settings keep their place; a `${VAR:-default}` keeps its
variable and only the default changes, a URL's password too (`postgres://app:${DB_PASSWORD:-YOUR_DATABASE_PASSWORD}@db`:
setting `DB_PASSWORD` still counts; a required `${VAR:?message}` holds no value). In a Lambda template the whole value becomes what the deploy
reads it from (a placeholder would deploy, and fail at run time): `${env:STRIPE_SECRET_KEY}` in
serverless.yml (the Framework fails the deploy while the variable is unset; quoted in a flow mapping),
`!Ref StripeSecretKey` in a SAM or CloudFormation template, a new `NoEcho` string parameter with no
default, declared after the last entry of its block `Parameters:` (or in a new `Parameters:` before
`Resources:`), the new ones in the order the file uses them; one variable or parameter per value, named
for its first key (a number after it when another value or logical id has the name); a `custom:` value
is replaced where it is written (every `${self:custom.…}` of it keeps working). A parameter's secret
`Default:` goes (its line becomes `NoEcho: true`, or is deleted when the parameter has `NoEcho`): the
deploy asks for the value. A `!Sub` string, a value over several lines, a variable's
fallback, a flow-style parameter, a SAM template in JSON and a template whose `Parameters:` cannot take an
entry for certain (flow style, empty) are reported with those instructions; intrinsic tags (`!Ref`,
`!Sub`, `!GetAtt`) stay as written. One value, one placeholder, repository-wide: every place of
every file the fix edits that holds the same secret gets the same one, the first whole value's, else
the first URL password's (files in path order): a compose file's `POSTGRES_PASSWORD`, the
`DATABASE_URL` of each service that connects to it, a `DB_PASSWORD` and the env template's
`DATABASE_URL` that a fresh clone copies to `.env`: all `your-postgres-password`; a Secret's password,
base64 `data` too, a ConfigMap's URL and a Deployment's `env` value in another file; a compose file
and the `.env.example` its `env_file:` names. Given a placeholder each, the stack would no longer
agree with itself. One verdict per value, too: a value some place holds as a secret (a URL's password,
whatever it looks like; any value a finding names) is one in every place under a secret's name that
holds it, in any file, where alone it would pass (a single word may name a field:
`MONGO_INITDB_ROOT_PASSWORD: mailerpass` beside `mongodb://mailer:mailerpass@mongo`, a
`--requirepass`, a real env file, which then leaves git): judged apart, the URL would get a placeholder
while the database kept the old password, and a value listed for rotation would stay committed. A
well-known default (`postgres`) is everyone's value, no sign that two places share one. A command line holding a value other places hold (of its file or another) is
edited with them (`--requirepass`, the health check's `redis-cli -a`, the clients' URL), and when
one place of a value cannot be edited (an escape, a template's `default`), none of them is, in any
file: each is reported (and a file whose change fails verification takes the value's other files
with it). A real env file keeps its values (it leaves git); a copy of the value in source code or a
JSON config file is reported, and does not hold back the others. A private key is its whole block,
BEGIN through END, replaced by one placeholder where the block sits in one piece (one line with
backslash-n escapes, or a quoted multi-line env value); a key in a YAML block scalar is reported,
and so is one written as comment lines (`# -----BEGIN …`, each body line behind `#` or `//`: one
finding at its BEGIN line, every body line redacted wherever the file is shown),
as is a secret on a `# KEY=…` line of a block scalar (text of the outer value, not a comment). A
literal block scalar of `KEY=value` lines (a ConfigMap's `app.env: |`, a Helm value's
`application.properties: |`) is read line by line, as an env file: each secret gets its own
key's placeholder, the other lines stay. A Secret's `data` value gets the base64 of the
placeholder its decoded text would get as `stringData` (`DB_PASSWORD: eW91ci1kYi1wYXNzd29yZA==`,
`your-db-password`; decoded `KEY=value` lines, a Secret made from an env file, each their own);
one spread over several lines is reported, and so are bytes that are no text under a secret's
name (a DER `tls.key`, a random `ENCRYPTION_KEY`: no placeholder keeps their shape). What is
no base64 (kubectl would refuse it), a certificate (`tls.crt`) and a decoded placeholder
(`changeme`, `${DB_PASSWORD}`) are no secrets. The base64 text the file holds is what is masked
and looked for in history (the decoded value is in no file, diff or commit).

A real env file that git tracks (`.env`, `.env.production`, `.env.backup.2024`, …)
and that holds a secret is removed from git (`git rm --cached`) and added
to `.gitignore`; one that git does not track but does not ignore either (or any, in a
directory that is no git repository) is added to `.gitignore`. `.env`, `.env.local` and `.env.*.local`
are added by name, anywhere (no convention commits one: a copy elsewhere is just as secret); any other
by its own path (`/services/orders/.env.development`, `/.env.production`): dotenv-flow, Create React App,
Next.js and Vite commit `.env.development` or `.env.production` with a service's shared defaults, and
the name ignored everywhere would keep every other service's, a new service's too, out of git. The
`.gitignore` keeps its line endings and its missing final line break. One that a Dockerfile copies from
its build context (`COPY .env.production.local ./`, `ADD .env.* /app/`, an earlier stage's copy
of it: `COPY --from=builder /app/.env.production.local ./`; not `COPY . .`) stays in git: untracked, every clean checkout (CI, the deploy box) would fail
`docker build` on that line. Its secrets and the COPY line are reported: give the container the
values at run time (`docker run --env-file`, compose `env_file:`, secrets), drop the COPY, then
untrack the file. The commit leaves the
file on the disk of the checkout fixer runs in, but git deletes a file a commit
untracks from every checkout that checks the commit out or merges it (and `git apply`
of the dry run's diff deletes it too): copy it aside first, and back after (it is
ignored from then on); the dry run and the commit message say so. The redacted dry run shows its
lines as they are, with every value that is or might be a secret masked (inside its quotes; a URL's
password alone): words and numbers (`NODE_ENV=development`, `# local`) stay readable. A secret in source code is reported, not edited:
read it from the environment with no default. So is a session, cookie or JWT signing secret written as a literal,
whatever it looks like (a sample, a placeholder, words: express-session's README's `keyboard cat`, `changeme`,
jsonwebtoken's `shhhhh`): the service signs with it in production, so anyone who can guess it forges its sessions
or tokens. It is one when bound to a signing secret's name (`JWT_SECRET`, `sessionSecret`, `jwt.sign(payload, '…')`,
a fallback `process.env.SESSION_SECRET || '…'`), as the `secret`/`keys` option of a session, cookie or JWT
library (`session({ secret: '…' })`, `JwtModule.register({ secret })`) or a cookie parser's argument; in a JSON
or YAML config file under such a place (`session.secret`) too, unless a config file beside it sets the same place
(node-config's `production.json`, or `custom-environment-variables.json` naming the variable). A guessable one
is shown (it hides nothing); any other is masked, to rotate. In a test file (`*.test.*`, `*.spec.*`, `__tests__/`,
`test/`, `e2e/`: `fixer.repo.is_test`) and in an API schema's `example:`/`examples:` value, a literal is
judged by its own shape only (a private key, a token detect-secrets or fixer knows, a URL password on
a real host), never by the name it is bound to: `secret: '*:*.some-random-string'` is a fixture,
`example: { secret: 'a3c8…' }` documentation, and tests are full of both (a real-looking one has a
known shape); a JSON Web Token there is reported at low severity (nearly always a sample; a real one
is still a leak). A password on a compose command line
that no other place of the file holds is reported, not edited: its clients are elsewhere, and the
server, its health check and its clients must change together. A secret
in a comment (but an env template's, edited like its values) is reported: delete it, and rotate it; one
the comment introduces as an example (`For example:`, `e.g.` on its line or on the comment lines right
above it: Sails' generated config) at low severity, as a question (a real one pasted there is still a
leak). So is
one a Helm template's action falls back to (`{{ .Values.apiKey | default "…" }}`: drop the default). A
secret in a JSON or YAML config file is reported: read it from the environment (node-config:
`custom-environment-variables.json`) or a secret manager, and rotate it. A private key kept as a
file is reported at its BEGIN line (the service reads it there and a build may copy it: take it out of
git and the image, give the service the key at run time, and rotate it); one in a test's, an
example's or a document's file (`test/fixtures/agent1-key.pem`, `examples/`, `example.key`) at low
severity, as a question, as a test's JSON Web Token. A registry credential in
`.npmrc` or `.yarnrc.yml` becomes a reference to an environment variable, which npm and Yarn expand
(`//registry.npmjs.org/:_authToken=${NPM_TOKEN}`; `GITHUB_TOKEN` for GitHub Packages, else the
registry's domain name: `ACME_AUTH`), when the setting's whole value is the secret, written plainly;
else (a password in a registry's URL, an escape) it is reported, as is one in the file's comments; and
a Dockerfile that copies such a file into its image (`COPY .npmrc ./`) is reported: the layer keeps
the token whatever a later step deletes (mount it as a build secret). Terraform variable values
(`*.tfvars`: `db_password = "…"`) and Docker client credentials (`.docker/config.json`'s `auths`, whose
`auth` is base64 of `user:password`; an env file's `DOCKER_AUTH_CONFIG` JSON) are reported, never edited
(terraform would apply a placeholder as the password; a registry login is given where it runs). An env
file a compose service requires (`env_file:`, not `required: false`) is untracked all the same (a
production file is the deploy's, not the repository's), and its finding names the entry: every clean
checkout must be given the file, or `docker compose` fails with "env file not found".

Not secrets: placeholders (`your-…`, `YOUR_…`, `change-me`, `changeme`, `…-change-me`, `<…>`,
`${…}`, `xxx…`, `example`, a value with `fake` or `dummy` for a word: Sails' `SG.fake.3e0B…`,
`sk_prod__fake_…`), keys made for browsers, whatever their name (a publishable key `pk_live_…`, Stripe's or
Clerk's, a Mapbox public token `pk.eyJ…`, a PostHog project key `phc_…`), values a name calls public
(`STRIPE_PUBLISHABLE_KEY`, `VAPID_PUBLIC_KEY`, `PUBLIC_KEY`, a captcha's `RECAPTCHA_SITE_KEY`), keys a
service issues for browsers under a browser bundle's prefix (`NEXT_PUBLIC_SUPABASE_ANON_KEY`, Algolia's
`…_SEARCH_KEY`, Segment's `…_WRITE_KEY`, `…_FIREBASE_API_KEY`: public by design), a Helm
template's expressions (`value: {{ .Values.db.password | quote }}`;
beside literal text they read as placeholders: `postgres://app:…@{{ .Values.db.host }}` keeps its
host and loses its password), values made of words (brackets between them too: an i18n key,
`[[user:password]]`; under a password's name, in configuration, only what names a string or a
field: brackets, a `:` or `/`, a dotted path of words, two words, `user_password`; in code and
comments any: a field's name, a message id, `'password-too-short'`), and well-known local-development defaults (`postgres:postgres@localhost`,
`minioadmin`, `guest`) and the samples official docs and scaffolds write (the postgres image's
`mysecretpassword`, `prisma init`'s `johndoe:randompassword@localhost`: a note in an env template or a compose
file, a local stack's; reported in a Dockerfile, whose `ENV` default is baked into an image that ships to
production as it is, and in a Kubernetes manifest or a Helm chart); in a development-only file (dotenv-flow's
committed `.env.development`, `.env.test`, a compose override), a URL's password of words and numbers on the
developer's own machine (`orders:devpass@localhost`, `app:app123@127.0.0.1`: a database that developer set up; not one
that looks generated, nor one another place holds as a secret, nor one on a compose service's host); text longer than any credential
(over 512 characters) that is not base64 or hex, whatever its name (a bundle's parser tables,
`tokenData: "!<p!aR…"`), a password's hash, whatever its name and wherever it is (bcrypt's
`$2a$08$…`, argon2's, scrypt's, PBKDF2's, crypt's SHA and MD5 schemes: what a server checks a
password against, not one; nothing to rotate: node-red's commented-out `adminAuth` example holds
the hash of "password"), and a token's shape spelled by chance inside a run of over 512 base64 characters (an
image's `data:…;base64,…`; an encoded key file under a secret's name is still one); values of keys that say
where a secret is kept (a REF or EXISTING word: `existingSecret`, `secretKeyRef`,
`remoteRefKey`, and every string under such a key; a `…Key` or `…Path` holding a lowercase
store path, `secret/data/prod/api/jwt`), though a token or a URL password in them is still
one; and, in a comment, a URL's password that does not look real (`app_password`) or any on
localhost, a loopback address or an example domain or a subdomain of one (`db.example.com`:
documentation of the format); under a password's name, an environment variable's name
(`ME_CONFIG_BASICAUTH_PASSWORD`, the variable a password is read from: upper-case words and numbers
joined by `_`). Those defaults get an info-level note where they are not in a development-only file
(`docker-compose.override.yml`, `.env.development`, `*.dev.*`, …); in a Kubernetes manifest or a
Helm chart, what a cluster runs as it is, they are reported at low severity (set a password of its
own from a Secret).

After the run, fixer looks for every removed value in the repository's git history
and lists the commits that added it (values shown as their first 4 characters and
length; a private key's lines, added by the same commits, as one; a value the file spells with
escapes or over several lines, looked for as the file spells it, as one). Full values are never printed, logged or committed: every report, diff,
summary, JSON document and commit message shows a prefix and the length;
`fixer apply --dry-run --show-secrets` prints the raw diff. In the same pass it reads every blob a
commit added (not lockfiles, media, built or vendored code, tests or samples) for a live credential's
own shape (`sk_live_`, `ghp_`, `github_pat_`, `glpat-`, `xoxb-`, `npm_`…): one no file of the tree holds
any more (deleted since, yet in every clone) is a note of its own, and the checklist's "All secrets
removed from version control" is ❌ for it.

## Why

The audit found a Redis password and Razorpay keys in `env.template`, a file that
exists to be copied and shared. Anyone who can read the repository can use them. A
placeholder that keeps the value's shape tells the reader what goes there without
giving it away. Removing a value from the latest commit does not remove it from git
history: every value this fix replaces must be rotated (see the history report).

## Example

```diff
-REDIS_URL=rediss://default:AZbW…@example-host-00000.upstash.io:6379
+REDIS_URL=rediss://default:YOUR_REDIS_PASSWORD@YOUR_REDIS_HOST:6379
-RAZORPAY_KEY_ID=rzp_test_C0Tz…
-RAZORPAY_KEY_SECRET=YtEz…
+RAZORPAY_KEY_ID=your-razorpay-key-id
+RAZORPAY_KEY_SECRET=your-razorpay-key-secret
```

and a committed `.env` leaves git (`git rm --cached .env`) with `.env` added to
`.gitignore`.

## Fix safety

Safe. Only the secret's characters (and a URL's host) change; every other byte stays, a Helm
template's actions included (a secret an action writes part of is reported, not edited; a template
that is no YAML even with its actions blanked is skipped, and says so).
Whoever ran from these values must set real ones in their own, untracked `.env` (the
untracked file stays on disk, so the author's local setup keeps working). A compose database's
volume made with the old password keeps it (the image reads `POSTGRES_PASSWORD` on its first start
only) while its clients now use the placeholder: recreate the volume, or set the real values in a
local override. A fresh
clone no longer has `.env`: `cp env.template .env` and fill it in, as the template
says. An install from a registry whose token `.npmrc` now reads from the environment needs that
variable set (`NPM_TOKEN`: CI's secrets, a developer's shell, a Docker build secret), and so does a
Lambda stack's deploy whose template now reads a value from `${env:…}` or a `NoEcho` parameter
(`serverless deploy` where the variable is set, `sam deploy --parameter-overrides`): it fails until
then, rather than deploy without the value. Secrets in source code, in JSON and YAML config files and key files, in comments and on compose and container command lines, and
values fixer cannot place exactly, are reported for a human. An env file, compose file or Dockerfile that
is not UTF-8 (one Latin-1 `ü` in a comment: fixer skips the file for every fix) is read as Latin-1 for
its secrets, never edited: each is reported, to replace by hand, and a value it shares with other
files is a place fixer cannot edit, so none of its places is (they keep agreeing).
"""

from __future__ import annotations

import binascii
import bisect
import fnmatch
import json
import math
import posixpath
import re
from base64 import b64decode, b64encode
from dataclasses import dataclass, replace as _replace
from functools import lru_cache
from typing import Iterable, Iterator, NamedTuple
from urllib.parse import unquote

from fixer.gitignore import is_ignored, path_rule
from fixer.model import Change, Edit, Finding, FixInfo, NewFile, Untrack
from fixer.parsing import dockerfile as dockerfile_parser
from fixer.parsing import envfile, typescript, yamlfile
from fixer.redact import mask
from fixer.errors import ParseError
from fixer import envtemplate, lambdatemplate
from fixer.lambdatemplate import is_helm_values
from fixer.repo import CODE_KINDS, FactsSpec, Repo, SkipFile, SourceFile, is_test, needles_in, words_of

INFO = FixInfo(
    id="secrets",
    title="Keep secrets out of version control",
    audit="Fix 1",
    week=1,
    order=1,
    severity="critical",
    safety="safe",
    kinds=frozenset({"env", "compose", "dockerfile", "yaml", "ts", "tsx", "js"}),
    version=25,  # 25: decoded JSON judged by its strings (dockerconfigjson), key=value settings inside values (JAAS), a known secret inside another value, URL passwords compared decoded, JSON with comments, unclosed quotes; RUN lines, tfvars, docker config auths (reported), compose env_file entries an untracked file breaks named; 24: an untracked env file other than .env, .env.local, .env.*.local is ignored by its own path; 23: word passwords on localhost in development-only files are dev defaults, code defaults named by env-var get(), convict env:, a schema entry; 22: JSON Lambda templates, serverless custom: values, SAM parameter defaults, new parameters in file order; 21: a ${VAR:-default} URL password keeps its variable (only the default replaced); env files that are not UTF-8 read as Latin-1 and reported, never edited; 20: serverless.yml and SAM/CloudFormation environment values (${env:…}, !Ref with a NoEcho parameter), compose files pulled in by include:/extends; 19: keys issued for browsers under a browser prefix (Supabase anon, Algolia search, Segment write) are none; 18: browser-bundle prefixes (NEXT_PUBLIC_, VITE_, EXPO_PUBLIC_…) are set aside when judging a name and said in the finding, keys made for browsers (pk_, phc_) are none; 17: one verdict per value: a value replaced in one place is replaced wherever a secret's name holds it; 16: session/cookie/JWT signing secret literals in code and config reported whatever they look like, Dockerfile ENV/ARG defaults worded for an image; 15: a quoted configuration password with spaces is judged as others; 14: committed key files, YAML config files, container args in k8s; env-var names are no passwords; 13: a configuration password made of words and numbers (orders-db-pass-2024) is one; 12: a tracked env file the image build copies stays tracked and is reported, fake/dummy values and example.com subdomains are documentation, an example a comment gives is a low question; 11: brackets separate words (i18n keys `[[ns:key]]` are no secrets), documented sample passwords are well-known defaults, empty values before a comment; 10: text longer than any credential that is not base64/hex is data, shapes inside encoded runs are chance; .npmrc/.yarnrc.yml read, a Dockerfile copying one reported; password hashes are no secrets; 9: a place left as it is leaves every secret it holds (values agree across files: `finish`)
)

GITIGNORE = ".gitignore"


@dataclass(frozen=True)
class Context:
    tracked: frozenset[str]  # real env files git tracks (a commit: all of them; a plain directory: none)
    untracked: frozenset[str]  # real env files that git neither tracks nor ignores (a plain directory: all)
    # tracked ones a Dockerfile copies into its image (`COPY .env.production.local ./`): they stay in git
    built: tuple["CopyLine", ...] = ()
    # tracked ones a compose service requires (`env_file: ./svc/.env.production`): untracked, each
    # checkout must be given the file (`_secret_finding` says so)
    read_by: tuple["EnvFileLine", ...] = ()


def prepare(repo: Repo, options: dict) -> Context:
    real = [p for p in repo.paths() if repo.kind(p) == "env" and is_real_env_file(p)]
    if getattr(repo.source, "plain", False):  # no git: nothing to untrack (a diff deleting it would lose it)
        return Context(frozenset(), frozenset(real))
    tracked = {p for p in real if _tracked(repo, p)}
    # A tracked env file the build reads is no file to untrack: every clean checkout (CI, the deploy
    # box) would fail `docker build` on the COPY. It stays, reported with the lines that read it.
    built = tuple(copy_lines(repo, tracked)) if tracked else ()
    read_by = tuple(env_file_lines(repo, tracked)) if tracked else ()
    return Context(frozenset(tracked), frozenset(set(real) - tracked), built, read_by)


# --- which files --------------------------------------------------------------------

_DEV_ONLY = re.compile(r"(^|[/._-])(dev|development|local|test|tests|testing|override|e2e|ci)([/._-]|$)", re.I)


def is_real_env_file(path: str) -> bool:
    """`.env`, `.env.production`, `.env.backup.2024`: files that hold a deployment's values
    (as opposed to templates and examples meant to be committed)."""
    return not envtemplate.is_template(path)


def is_dev_only(path: str) -> bool:
    return bool(_DEV_ONLY.search(path))


# --- the verdict on one value -------------------------------------------------------


@dataclass(frozen=True)
class Secret:
    kind: str  # what it is, for a human: "Razorpay key id", "Redis URL password"
    values: tuple[str, ...]  # the secret substrings (what is redacted everywhere)
    replacements: tuple[tuple[str, str], ...]  # (old, new) in order of appearance in the value


@dataclass(frozen=True)
class DevDefault:
    kind: str
    shown: str  # a well-known default: safe to print


_PLACEHOLDER = re.compile(
    r"""^(?:
        your[-_ ].* | .*[-_ ]your[-_ ].* | (?:change|replace|fill|set)[-_ ]?(?:me|it|this)\b.* | changeit
      | <[^>]*> | \[[^\]]*\] | \{\{.*\}\} | %\(?\w+\)?s? | \$\{?\w+\}?
      | (?:x{3,}|X{3,}|\*{3,}|\.{3,}|-{3,}|_{3,}|0{6,}|\#{3,}).* | .*(?:xxxx|XXXX|\*\*\*\*|\.\.\.).*
      | .*example.* | placeholder.* | (?:todo|tbd|fixme|none|null|nil|undefined|empty|redacted|hidden|secret|password|token|key|test|dummy|fake|sample|demo|string|value|foo|bar|baz|abc|abc123|123|1234)
      | (?:dummy|fake|mock|sample|demo|placeholder|insert|enter|put)[-_ ].*
      | .*[-_. ](?:fake|dummy)(?:[-_. ].*)?   # marked as one by its author: Sails' `SG.fake.3e0B…`, `sk_prod__fake_Nfgh…`
      | .*[-_.](?:change|replace|fill|set)[-_]?(?:me|it|this)   # `admin-default-password-change-me`: the shipped one
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_DEV_DEFAULTS = frozenset({
    "postgres", "password", "root", "admin", "minioadmin", "minio123", "guest", "secret", "changeit",
    "mysql", "mongo", "mongodb", "redis", "rabbitmq", "test", "dev", "development", "local", "localdev",
    "pass", "passwd", "123456", "12345678", "admin123", "password123", "user", "sa", "toor", "letmein",
    "postgrespassword", "devpassword", "dev-password", "dev_password", "localpassword", "keycloak",
    # the samples official docs and scaffolds write, copied as they are into thousands of env templates:
    # public, so nothing leaks (a production that keeps one gets the note): the postgres image's
    # `POSTGRES_PASSWORD=mysecretpassword`, the mysql and mariadb images' `my-secret-pw`, the `.env` of
    # `prisma init` (`johndoe:randompassword@localhost`), the mssql image's `yourStrong(!)Password` and
    # its quickstart's `<YourStrong@Passw0rd>` / `<YourStrong!Passw0rd>` (copied without the brackets)
    "mysecretpassword", "my-secret-pw", "randompassword", "yourstrong(!)password", "yourstrong@passw0rd",
    "yourstrong!passw0rd",
})
_PLACEHOLDER_HOST = re.compile(r"^(?:your[-_]|<|\$\{|\{\{|%|x{3,})", re.IGNORECASE)
_DOCUMENTATION_HOST = re.compile(
    r"^(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[?::1\]?|host\.docker\.internal"
    r"|(?:[A-Za-z0-9-]+\.)*example\.(?:com|org|net)|(?:[A-Za-z0-9-]+\.)+(?:example|test|invalid|localhost))$", re.I)
_LOCAL_HOSTS = re.compile(r"^(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[?::1\]?|host\.docker\.internal|[A-Za-z0-9_-]+)$")


def is_placeholder(value: str) -> bool:
    value = value.strip()
    if not value:
        return True
    if _PLACEHOLDER.match(value):
        return True
    core = re.sub(r"^(?:rzp_(?:test|live)_|(?:sk|rk|pk)_(?:live|test)_|gh[pousr]_|xox[abposr]-|AKIA|ASIA)", "", value)
    return len(set(core.lower())) <= 3  # `rzp_test_00000000000000`, `sk_live_aaaa…`


def is_dev_default(value: str) -> bool:
    return value.lower() in _DEV_DEFAULTS


def masked_in_a_diff(key: str | None, value: str, comment: bool = False) -> str | None:
    """How a diff that deletes a real env file (`.env`: a deployment's values) shows this value of
    it (`key` None: a comment's text): None, as it is, when it is plain (words, short numbers,
    placeholders: `development`, `3000`, `redis://redis:6379`, `# local`) and under no secret's
    name; a URL with only its password masked when the rest is plain; else masked whole (what no
    detector names, `LEGACY_ID=Zx81…`, may still be a secret)."""
    value = value.strip()
    if not value or is_placeholder(value):
        return None
    verdict = judge(key, value, comment=comment)
    secrets = verdict.values if isinstance(verdict, Secret) else ()
    rest = value
    for secret in secrets:
        rest = rest.replace(secret, " ")
    if (key is not None and is_secret_name(key) and not secrets) or not _plain(rest):
        return mask(value)
    for secret in sorted(secrets, key=len, reverse=True):
        value = value.replace(secret, mask(secret))
    return value if secrets else None


def _plain(text: str) -> bool:
    """Words, numbers of up to 6 digits, pieces of up to 2 characters, placeholders and
    well-known defaults, between separators: nothing a secret could hide in."""
    return all(is_placeholder(piece) or is_dev_default(piece) or (piece.isalpha() and _words_of(piece))
               or (piece.isdigit() and len(piece) <= 6) or len(piece) <= 2
               for word in text.split() if not is_placeholder(word.strip("'\"`"))
               for piece in re.split(r"[-_.:/,;@?&=#+()'\"`!]+", word) if piece)


# fixer's own detectors: shapes that are secrets whatever the key is called
_TOKEN_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("Razorpay key id", re.compile(r"\brzp_(?:test|live)_[A-Za-z0-9]{14}\b")),
    ("Stripe secret key", re.compile(r"\b(?:sk|rk)_(?:test|live)_[A-Za-z0-9]{16,}\b")),
    ("Stripe webhook secret", re.compile(r"\bwhsec_[A-Za-z0-9]{24,}\b")),
    ("AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b")),
    ("GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b")),
    ("npm token", re.compile(r"\bnpm_[A-Za-z0-9]{36}\b")),
    ("Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b")),
    ("Slack webhook URL", re.compile(r"https://hooks\.slack\.com/services/T[A-Za-z0-9]+/B[A-Za-z0-9]+/[A-Za-z0-9]{16,}")),
    ("JSON Web Token", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}")),
)
def token_values(text: str) -> set[str]:
    """Every value of a known token shape anywhere in a text (`_TOKEN_SHAPES`), whatever
    surrounds it: what a diff of the file must redact even where no finding is made (a
    `RUN echo "…_authToken=npm_…"` line, a compose label)."""
    return {match.group(0) for (_kind, shape), needles in zip(_TOKEN_SHAPES, _TOKEN_NEEDLES)
            if any(needle in text for needle in needles) for match in shape.finditer(text)}


# The literal text every match of each shape holds: a substring test is a fraction of a regex
# search, and most files hold none of them (a regex alternation of the shapes took 0.4 ms a file)
_TOKEN_NEEDLES: tuple[tuple[str, ...], ...] = (
    ("rzp_",), ("sk_test_", "sk_live_", "rk_test_", "rk_live_"), ("whsec_",), ("AKIA", "ASIA"),
    ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"), ("npm_",), ("xox",), ("hooks.slack.com",), ("eyJ",),
)
assert len(_TOKEN_NEEDLES) == len(_TOKEN_SHAPES)


# The password runs to the authority's last `@` (as a URL parser reads it: an unencoded `@`
# in a password is the password's).
_URL_CREDENTIALS = re.compile(  # (a scheme starts a word: in a long base64 run, one try per run, not per character)
    r"(?<![A-Za-z0-9+.-])(?P<scheme>[A-Za-z][A-Za-z0-9+.-]{0,31})://"
    # (a user `${DB_USER:-app}`: atomic, or each `${…}` could also be read as its characters, 2^n ways)
    r"(?P<user>(?>\$\{[^}\s'\"/@]{0,64}\}|[^:@/\s'\"])*):(?P<password>[^\s'\"/?#]+)@"
    r"(?P<host>\[[^\]\s]+\]|[^:/?#,@\s'\"]+)"
)
_URL_FAMILY = {
    "redis": "Redis", "rediss": "Redis", "postgres": "PostgreSQL", "postgresql": "PostgreSQL",
    "mysql": "MySQL", "mariadb": "MySQL", "mongodb": "MongoDB", "mongodb+srv": "MongoDB",
    "amqp": "AMQP", "amqps": "AMQP",
}
_SECRET_NAME = re.compile(r"(?:^|_)(?:PASSWORD|PASSWD|PASS|PWD|SECRET|SECRETS|TOKEN|KEY|APIKEY|CREDENTIALS?|SALT)(?:_|$)")
_NOT_A_SECRET_NAME = re.compile(
    r"(?:^|_)(?:PUBLIC|PUBLISHABLE)(?:_|$)|(?:^|_)SITE_?KEY$|_(?:ID|NAME|PATH|FILE|DIR|URL|URI|HOST|PORT|TTL|EXPIRES?|EXPIRY|IN|"
    r"LENGTH|SIZE|ALGORITHM|ALG|ISSUER|AUDIENCE|HEADER|PREFIX|TYPE|VERSION|REGION|SECONDS|MINUTES|HOURS|DAYS|MS|"
    r"ENABLED|COUNT|FIELD|COLUMN|PARAM|ROTATION|POLICY)$"
)
_PASSWORD_NAME = re.compile(r"(?:^|_)(?:PASSWORD|PASSWD|PASS|PWD)$")
# The prefixes a front-end framework inlines into the code it sends to browsers: they say where a
# value goes, not that it is public (`NEXT_PUBLIC_ADMIN_TOKEN` is an admin token every visitor
# gets). The bare `PUBLIC_` (SvelteKit's, Astro's) is also how a public key is named
# (`PUBLIC_KEY`, `PUBLIC_JWT_KEY`): a prefix only before a name that is no key's.
_BROWSER_PREFIX = re.compile(
    r"^(?:(?P<framework>NEXT_PUBLIC|NUXT_PUBLIC|NUXT_ENV|EXPO_PUBLIC|VITE|REACT_APP|VUE_APP|GATSBY)"
    r"|PUBLIC(?=_[A-Z0-9_]+$)(?!.*_KEY$))_(?=[A-Z0-9])")
_BROWSER_FRAMEWORK = {"NEXT_PUBLIC": "Next.js", "NUXT_PUBLIC": "Nuxt", "NUXT_ENV": "Nuxt", "EXPO_PUBLIC": "Expo",
                      "VITE": "Vite", "REACT_APP": "Create React App", "VUE_APP": "Vue CLI", "GATSBY": "Gatsby",
                      None: "SvelteKit and Astro"}
# Keys made to be shipped to browsers, whatever their name: a publishable key (`pk_live_…`:
# Stripe's, Clerk's, Paystack's; its secret half is `sk_live_…`), a Mapbox public token
# (`pk.eyJ…`; a secret one is `sk.…`), a PostHog project key (`phc_…`; a personal one is `phx_…`)
_PUBLISHABLE_KEY = re.compile(r"pk_(?:live|test)_[A-Za-z0-9]+|pk\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+|phc_[A-Za-z0-9]+")
# Keys their services issue for browsers, named as their docs name them after a browser prefix
# (`NEXT_PUBLIC_SUPABASE_ANON_KEY`, Algolia's search-only key, Segment's write key, Firebase's web
# API key): public by design, each limited by what the service lets it do (row security, search
# only), so no finding tells anyone to rotate them
_PUBLIC_BY_DESIGN = re.compile(
    r"(?:^|_)(?:ANON_KEY|ANON_PUBLIC_KEY|SEARCH(?:_ONLY)?(?:_API)?_KEY|WRITE_KEY|PUSHER(?:_APP)?_KEY|MIXPANEL_TOKEN|"
    r"FIREBASE_API_KEY|FIREBASE_WEB_API_KEY|POSTHOG(?:_API)?_KEY|MAPBOX(?:_ACCESS)?_TOKEN|AMPLITUDE_API_KEY|"
    r"DATADOG_CLIENT_TOKEN|DD_CLIENT_TOKEN|RUM_CLIENT_TOKEN|GOOGLE_MAPS_API_KEY|MAPS_API_KEY|CLIENT_SIDE_ID)$")


def public_by_design(name: str | None) -> bool:
    """`NEXT_PUBLIC_SUPABASE_ANON_KEY`, `VITE_ALGOLIA_SEARCH_KEY`: a key issued for browsers, under a browser
    bundle's prefix (`_PUBLIC_BY_DESIGN`); not `NEXT_PUBLIC_ADMIN_TOKEN`, nor `SUPABASE_ANON_KEY` on a server."""
    prefix = browser_prefix(name)
    return prefix is not None and bool(_PUBLIC_BY_DESIGN.search(env_name(name or "")[len(prefix):]))


def env_name(name: str) -> str:
    """`jwtSecret` -> `JWT_SECRET`, `razorpay.key-id` -> `RAZORPAY_KEY_ID`."""
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_").upper()


def browser_prefix(name: str | None) -> str | None:
    """`NEXT_PUBLIC_` for `NEXT_PUBLIC_ADMIN_TOKEN`: the prefix of a variable a front-end
    framework inlines into its browser bundle (`_BROWSER_PREFIX`); None for any other name."""
    match = _BROWSER_PREFIX.match(env_name(name)) if name else None
    return match.group(0) if match else None


def is_secret_name(name: str) -> bool:
    """`JWT_SECRET`, `ADMIN_API_TOKEN`, `SMTP_PASSWORD`, `apiKey`, `NEXT_PUBLIC_ADMIN_TOKEN` (a
    browser bundle's prefix is no part of what the name says) — not `RAZORPAY_KEY_ID`,
    `JWT_EXPIRES_IN`, `STRIPE_PUBLISHABLE_KEY`, `VAPID_PUBLIC_KEY`, `RECAPTCHA_SITE_KEY`, `TOKEN_TTL`."""
    key = env_name(name)
    key = key[len(browser_prefix(key) or ""):]
    return bool(_SECRET_NAME.search(key)) and not _NOT_A_SECRET_NAME.search(key)


def _entropy(value: str) -> float:
    counts = {char: value.count(char) for char in set(value)}
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def _word_like(value: str) -> bool:
    """`my-super-secret-key`, `kc-backend-2024`, `MySuperSecretKey`: words and numbers, not a
    generated value; brackets too stand between words (NodeBB's i18n key
    `[[reset_password:update_password]]`: an identifier path). A run of letters is words when its
    camel-case humps are (three letters or more on average); random mixed-case letters
    (`ELvAXhFYxMvlaUVv`) break into ones and twos."""
    parts = [p for p in re.split(r"[-_.\s:/\[\](){}<>]+", value) if p]
    return bool(parts) and all((p.isalpha() and _words_of(p)) or (p.isdigit() and len(p) <= 4) for p in parts)


def _chosen_words(value: str) -> bool:
    """A password a person made of words (`_word_like`): three words or more, or words and a
    number, joined by `-` or `_` (`orders-db-pass-2024`, `correct-horse-battery-staple`,
    `kc_backend_2024`); a configuration's value under a password's name is one, as `Summer2024`
    is (`judge`). Not what names a string or a field: brackets, a `:` or a `/` (an i18n key,
    `[[user:password]]`), a dotted path of words (`auth.form.password`), two words
    (`user_password`, `password-input`)."""
    if re.search(r"[\s:/\[\](){}<>]", value) or ("." in value and not re.search(r"[0-9]", value)):
        return False
    if _ENV_VAR_NAME.fullmatch(value):
        return False  # `ME_CONFIG_BASICAUTH_PASSWORD`: the name of the variable the password is read from
    parts = [part for part in re.split(r"[-_.]+", value) if part]
    return len(parts) >= 3 or (len(parts) == 2 and any(part.isdigit() for part in parts)
                               and any(part.isalpha() for part in parts))


_HUMP = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_ENV_VAR_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+")  # an environment variable's name: `DB_PASSWORD_2`


def _words_of(letters: str) -> bool:
    if letters.islower() or letters.isupper():
        return True
    humps = _HUMP.findall(letters)
    return bool(humps) and len(letters) / len(humps) >= 3


# No credential is longer than this (an API key, a password, a token: tens to a few hundred
# characters; a JWT and a private key have shapes of their own). Longer text is data: a parser's
# tables (`tokenData: "!<p!aR!YOX$q…"`), a font, an image, a wasm module, a hash table.
_LONGEST_CREDENTIAL = 512
_ENCODED = re.compile(r"[A-Za-z0-9+/=_-]+")  # base64, base64url and hex characters
_BLOB = re.compile(r"[A-Za-z0-9+/=_-]{%d,}" % (_LONGEST_CREDENTIAL + 1))


# A password's hash (bcrypt, argon2, scrypt, PBKDF2, crypt(3)'s SHA and MD5 schemes: `$2a$08$…`,
# `$argon2id$v=19$m=65536,t=3,p=4$…`): what a server checks a password against, not one. Nothing
# to rotate (the password is what unlocks); a weak password's hash is cracked offline, but
# no shape tells a weak one from a strong one.
_PASSWORD_HASH = re.compile(
    r"\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}"
    r"|\$(?:argon2(?:id|i|d)|scrypt|pbkdf2(?:-sha\d+)?|[156y]|apr1|7)\$(?:[A-Za-z0-9=,.+/-]+\$){1,4}[./A-Za-z0-9+=]{16,}")


def is_password_hash(value: str) -> bool:
    return _PASSWORD_HASH.fullmatch(value.strip()) is not None


def looks_real(value: str, password: bool = False, words: bool = False, quoted: bool = False) -> bool:
    """A value that looks generated (or, for a password, chosen), not a word or a sample. Longer
    than any credential (`_LONGEST_CREDENTIAL`), only an encoded one (base64, base64url, hex: a key
    file kept in a variable, `GCP_SA_KEY=ewogICJ0eXBl…`): other long text is data. `words`: a
    password a person made of words counts too (`_chosen_words`; a configuration's value).
    Text with spaces is no value (a sentence, a command), except a password's `quoted` value in
    configuration (`DB_PASSWORD='p#ss w0rd!xyzQ'`, `"correct horse battery staple"`): its spaces
    join words as `-` does, unless a word is itself a placeholder (`"set a strong password"`)."""
    if is_placeholder(value) or is_dev_default(value) or is_password_hash(value):
        return False
    phrase = password and words and quoted and any(ch.isspace() for ch in value.strip())
    if phrase and any(_PLACEHOLDER.match(word) or is_dev_default(word) for word in value.split()):
        return False
    joined = re.sub(r"\s+", "-", value.strip()) if phrase else value
    if _word_like(value) and not (password and words and _chosen_words(joined)):
        return False
    if len(value) > _LONGEST_CREDENTIAL and not _ENCODED.fullmatch(value):
        return False
    if (any(ch.isspace() for ch in value) and not phrase) or "://" in value or value.startswith(("/", "./", "~")):
        return False
    classes = sum(bool(re.search(p, value)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^A-Za-z0-9]"))
    if password and len(value) >= 6 and classes >= 2:
        return True
    if re.fullmatch(r"[0-9a-fA-F]{32,}", value):
        return True
    if len(value) >= 16 and classes >= 2 and _entropy(value) >= 3.0:
        return True
    return _detect_secrets_entropy(value)


def judge(key: str | None, value: str, comment: bool = False, code: bool = False,
          quoted: bool = False, dev: bool = False) -> Secret | DevDefault | None:
    """Is this value (of this key) a secret, a well-known development default, or neither?
    `comment`: the value is (in) a comment, where a URL's password must look real too
    (`postgres://app:app_password@db` is documentation) and a URL on localhost or an example
    domain is never one. `code`: a string literal of source code, where what a password's name
    holds is as often a field's name, a message id or an error code (`'password-too-short'`):
    words are no password there (`_chosen_words`), as in a comment; in configuration, the value
    under a password's name is the password the program gets. `quoted`: the configuration wrote
    the value in quotes (spaces are then the password's own: `looks_real`). `dev`: the value is in
    a development-only file (`is_dev_only`: `.env.development`, `docker-compose.override.yml`), where
    a URL's password on the developer's own machine is that machine's (`_url_spans`)."""
    value = value.strip()
    if not value:
        return None
    default = re.fullmatch(r"\$\{\w+:?-(.*)\}", value, re.S)
    if default:  # `${JWT_SECRET:-d7589cca…}`: only the default is a value
        return judge(key, default.group(1), comment, code, dev=dev)
    if _PRIVATE_KEY_LABEL.search(value):
        return _private_key(key, value)
    if public_by_design(key):
        return None  # (issued for browsers: the Supabase anon key is a JWT, yet no secret)
    urls, local = _url_spans(key, value, comment, dev)
    spans = urls + _token_spans(key, _blanked(value, urls))  # (one pass: a URL hides no token beside it)
    if "=" in value and not comment:  # (a comment's `KEY=value` words: `_comment_values`)
        spans += _setting_spans(_blanked(value, spans), comment, code, dev)
    if spans:
        spans.sort()
        return Secret(", ".join(dict.fromkeys(s.kind for s in spans if s.kind)),
                      tuple(s.secret for s in spans if s.kind), tuple((value[s.start : s.end], s.new) for s in spans))
    if local is not None:
        return local
    if _PUBLISHABLE_KEY.fullmatch(value):
        return None  # (made for browsers, whatever its name: `STRIPE_KEY=pk_live_…`)
    if key is None or names_a_reference(key, value) or not (is_secret_name(key) or _detect_secrets_keyword(key, value)):
        return None
    name = env_name(key)
    password = bool(_PASSWORD_NAME.search(name))
    if password and is_dev_default(value):
        return DevDefault(f"{name} is the well-known default", value)
    if not looks_real(value, password, words=not (comment or code), quoted=quoted):
        return None
    return _whole_or_part(key, value, value, _name_kind(name))


_REFERENCE_NAME = re.compile(r"(?:^|_)(?:REF|REFS|EXISTING)(?:_|$)")
_STORE_PATH = re.compile(r"/?[a-z0-9._-]+(?:/[a-z0-9._-]+)+/?")
_KEY_OR_PATH_NAME = re.compile(r"(?:^|_)(?:KEY|PATH)$")


def names_a_reference(key: str, value: str) -> bool:
    """A key whose value names where a secret is kept, not the secret: `existingSecret`,
    `existingSecretPasswordKey`, `secretRef`, `secretKeyRef`, `secretStoreRef`, `remoteRefKey`
    (a REF or EXISTING word in the name; `secretName`, `tokenPath`: a NAME or PATH word is no
    secret name anyway), and a `…Key` whose value is a lowercase secret-store path
    (`secret/data/prod/api/jwt`; generated values with a `/` mix cases: base64, an AWS secret
    access key). A token's or a URL's shape in such a value is still a secret."""
    name = env_name(key)
    return bool(_REFERENCE_NAME.search(name)) or \
        bool(_KEY_OR_PATH_NAME.search(name) and _STORE_PATH.fullmatch(value.strip()))


def _name_kind(name: str) -> str:
    if "RAZORPAY" in name:
        return "Razorpay key secret"
    if "AWS" in name and "SECRET" in name:
        return "AWS secret access key"
    if "JWT" in name:
        return "JWT secret"
    if "SESSION" in name or "COOKIE" in name:
        return "session secret"
    if _PASSWORD_NAME.search(name):
        return "password"
    words = _SECRET_NAME.findall(name)
    last = words[-1].strip("_").lower() if words else "secret"
    return f"API {last}" if "API" in name.split("_") and last in ("key", "token") else last


def _whole_or_part(key: str | None, value: str, secret: str, kind: str) -> Secret:
    placeholder = f"your-{_kebab(key or kind)}"
    return Secret(kind, (secret,), ((secret, placeholder),))


class _Span(NamedTuple):
    """A part of a value that is replaced: a secret (`kind`), or a URL's host beside one."""
    start: int
    end: int
    new: str
    kind: str | None = None
    secret: str = ""


def _blanked(value: str, spans: list[_Span]) -> str:
    for span in spans:
        value = value[: span.start] + " " * (span.end - span.start) + value[span.end :]
    return value


_PIECE = re.compile(r"[^\s,;:|]+")
# a `key=value` setting inside a value, at its start or after a space, `;` or `,`: a JAAS config's
# `password="…"`, a connection string's `Password=…;` (a URL's query, `?token=…`, is no such place)
_INNER_SETTING = re.compile(r"""(?:^|(?<=[\s;,]))(?P<key>[A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*"""
                            r"""(?:"(?P<double>[^"\r\n]*)"|'(?P<single>[^'\r\n]*)'|(?P<bare>[^\s;,"']+))""")


def _setting_spans(value: str, comment: bool = False, code: bool = False, dev: bool = False) -> list[_Span]:
    """The secrets of the `key=value` settings a value holds under a secret's name (Kafka's
    `sasl.jaas.config`: `…PlainLoginModule required username="svc" password="…";`), each judged
    as a value of that name is, and replaced inside its quotes."""
    spans: list[_Span] = []
    for match in _INNER_SETTING.finditer(value):
        name = match.group("key")
        group = next(group for group in ("double", "single", "bare") if match.group(group) is not None)
        written = match.group(group)
        if not is_secret_name(name) or not written.strip() or written.strip() == value.strip():
            continue
        verdict = judge(name, written, comment, code, quoted=group != "bare", dev=dev)
        if not isinstance(verdict, Secret):
            continue
        at = 0
        for old, new in verdict.replacements:
            found = written.find(old, at)
            if found < 0:
                break
            start = match.start(group) + found
            secret = old if old in verdict.values else ""
            spans.append(_Span(start, start + len(old), new, verdict.kind if secret else None, secret))
            at = found + len(old)
    return spans


def _token_spans(key: str | None, value: str) -> list[_Span]:
    """Every known token shape in the value (`sk_live_…,sk_live_…`: a list of keys), and
    beside them any piece that looks generated (`AKIA…:<secret access key>`: a key id and
    its secret), each replaced and each named for rotation."""
    spans = [(match.start(), match.end(), kind) for (kind, pattern), needles in zip(_TOKEN_SHAPES, _TOKEN_NEEDLES)
             if any(needle in value for needle in needles)
             for match in pattern.finditer(value) if not is_placeholder(match.group(0))]
    if not spans:
        spans = [(at, at + len(hit), kind) for kind, hit in _detect_secrets_hits(value)
                 if not is_placeholder(hit) and len(hit) >= 8 for at in _occurrences(value, hit)]
    if spans and len(value) > _LONGEST_CREDENTIAL:
        spans = _outside_blobs(value, spans)
    if not spans:
        return []
    kept: list[tuple[int, int, str]] = []
    for start, end, kind in sorted(spans, key=lambda span: (span[0], -span[1])):
        if not kept or start >= kept[-1][1]:  # the first (longest) of overlapping hits
            kept.append((start, end, kind))
    pieces = [(piece.start(), piece.end(), _name_kind(env_name(key)) if key else "secret")
              for piece in _PIECE.finditer(value) if looks_real(piece.group(0))]
    kept = sorted(kept + [p for p in pieces if not any(p[0] < end and start < p[1] for start, end, _k in kept)])
    placeholder = f"your-{_kebab(key or kept[0][2])}"
    return [_Span(s, e, placeholder, kind, value[s:e]) for s, e, kind in kept]


def _outside_blobs(value: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The hits that are no chance spelling inside encoded data: a run of base64 characters longer
    than any credential (an image's or a font's `data:…;base64,…`) spells every short shape
    somewhere (`…AAJABIAAAAAAAAAAAAAAAAAA…`: an AWS key id's). A hit that starts the run is kept."""
    blobs = [(blob.start(), blob.end()) for blob in _BLOB.finditer(value)]
    return [span for span in spans if not any(start < span[0] < end for start, end in blobs)]


def _token_kind(text: str) -> str | None:
    return next((kind for kind, pattern in _TOKEN_SHAPES if pattern.fullmatch(text) and not is_placeholder(text)),
                None)


def _occurrences(value: str, hit: str) -> Iterator[int]:
    at = value.find(hit)
    while at >= 0:
        yield at
        at = value.find(hit, at + len(hit))


# A private key is its whole block, BEGIN through END, not the label a detector matches on.
_PRIVATE_KEY_LABEL = re.compile(r"BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY|PuTTY-User-Key-File")
_PEM_BEGIN = re.compile(r"-----BEGIN (?P<label>(?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----")
_LINE_BREAK = re.compile(r"\r?\n|(?:\\r)?\\n")  # a line break, or one written as `\n` (one-line env values)
_PEM_HEADER = re.compile(r"^[A-Za-z][A-Za-z0-9-]*:")  # `Proc-Type: 4,ENCRYPTED`: not key material


def _private_key(key: str | None, value: str) -> Secret | None:
    """The key block (to its END line, or to the end of the value when that is missing) is
    replaced as one; its body lines are the values redacted and looked for in history (a
    diff shows a multi-line block line by line, each behind a `-`)."""
    begin = _PEM_BEGIN.search(value)
    if begin is None:
        start = _PRIVATE_KEY_LABEL.search(value).start()  # type: ignore[union-attr]
        block = value[value.rfind("\n", 0, start) + 1 :].rstrip()
    else:
        end_label = f"-----END {begin.group('label')}-----"
        end = value.find(end_label, begin.end())
        block = value[begin.start() : end + len(end_label)] if end >= 0 else value[begin.start() :].rstrip()
    body = [piece.strip().strip("'\"") for piece in _LINE_BREAK.split(block)]
    body = [piece for piece in body if piece and not piece.startswith("-----") and not _PEM_HEADER.match(piece)]
    if body and all(is_placeholder(piece) for piece in body):
        return None  # `-----BEGIN PRIVATE KEY-----\n<your key>\n-----END PRIVATE KEY-----`
    return Secret("private key", tuple(dict.fromkeys(body)) or (block,),
                  ((block, f"your-{_kebab(key or 'private key')}"),))


def _kebab(name: str) -> str:
    return env_name(name).lower().replace("_", "-")


# a shell/compose variable with a default: `${DB_PASSWORD:-s3cr3t}`, `${DB_PASSWORD-s3cr3t}` (the default
# is what runs when the variable is unset: the value; the variable is the deployment's way to set it)
_VARIABLE_DEFAULT = re.compile(r"\$\{\w+:?-(?P<default>.*)\}", re.S)
# `${DB_PASSWORD:?set it}`, `${DB_PASSWORD?}`: required, no default (its text is an error message)
_NO_DEFAULT = re.compile(r"\$\{\w+:?\?[^}]*\}")


def variable_default(written: str) -> tuple[str, str, str]:
    """A value written as a variable with a default, split around the default: `${DB_PASSWORD:-s3cr3t}`
    is (`${DB_PASSWORD:-`, `s3cr3t`, `}`), nested ones too; anything else is ("", written, ""). What
    replaces a secret there replaces the default only: the variable stays, and setting it still
    counts (a placeholder in its place would drop what production sets)."""
    head = tail = ""
    while (match := _VARIABLE_DEFAULT.fullmatch(written)) is not None:
        head, tail = head + written[: match.start("default")], written[match.end("default") :] + tail
        written = match.group("default")
    return head, written, tail


def _url_spans(key: str | None, value: str, comment: bool = False,
               dev: bool = False) -> tuple[list[_Span], DevDefault | None]:
    """Each URL's password (and a user that is a key id: `mongodb+srv://AKIA…:…@`), with its
    host; or, when every URL holds well-known local credentials, that default. In a comment
    (`comment`), none on localhost, a loopback address or an example domain, and on a
    one-label host (a compose service: `@db`) only a password that looks real (`looks_real`:
    no words, no well-known default); on a real domain every one. In a development-only file
    (`dev`: dotenv-flow's committed `.env.development`), a password of words and numbers on the
    developer's own machine (`orders:devpass@localhost`, `app:app123@127.0.0.1`) is as local as
    `postgres:postgres@localhost`: that machine's database, set up by the developer (a generated
    one may be copied from a deployment: still a secret)."""
    spans: list[_Span] = []
    found = None
    for match in _URL_CREDENTIALS.finditer(value):
        written, host, user = match.group("password"), match.group("host"), match.group("user")
        scheme = match.group("scheme").lower()
        head, password, tail = variable_default(written)  # `:${DB_PASSWORD:-…}@`: only the default is a value
        if is_placeholder(password) or _NO_DEFAULT.fullmatch(password):
            continue
        if comment and (_DOCUMENTATION_HOST.match(host) or ("." not in host and not looks_real(password, password=True))):
            # `# format: redis://:yourpassword@localhost:6379/0`, `amqp://user:bitnami@rabbitmq` (a compose
            # service's name): how to write one, not one; on a real domain a weak password is the worst kind
            continue
        local = bool(_LOCAL_HOSTS.match(host))
        if local and (is_dev_default(password) or password == variable_default(user)[1]):
            found = DevDefault("a local development URL with the well-known credentials", f"{user}:{password}")
            continue
        if dev and _LOOPBACK.match(host) and _words_and_numbers(password):
            found = DevDefault("a local development URL (a database on the developer's own machine)",
                               f"{user}:{mask(password)}")
            continue
        family = _URL_FAMILY.get(scheme, scheme.upper())
        label = _url_label(key, scheme)
        user_kind = _token_kind(user)
        if user_kind is not None:
            spans.append(_Span(match.start("user"), match.end("user"), f"YOUR_{label}_USER", user_kind, user))
        # `:password@`, not the password alone: the edit looks for it in the raw text, and a
        # user can hold the same characters
        spans.append(_Span(match.start("password") - 1, match.end("password") + 1,
                           f":{head}YOUR_{label}_PASSWORD{tail}@", f"{family} URL password", password))
        if not local and not _PLACEHOLDER_HOST.match(host):
            spans.append(_Span(match.start("host"), match.end("host"), f"YOUR_{label}_HOST"))
    return spans, found


# the developer's own machine (not a compose service's name: `@db` may be any deployment's host)
_LOOPBACK = re.compile(r"^(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[?::1\]?|host\.docker\.internal)$", re.I)


def _words_and_numbers(password: str) -> bool:
    """`devpass`, `orders_dev`, `app123`, `Summer2024`: words and numbers a person typed (`_word_like`,
    a number beside a word too), not a generated value (`Xk9mZ2qP7w`; hex, `9f2b7c4e…`, breaks into
    single letters)."""
    split = re.sub(r"(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])", "-", password)
    return _word_like(split) and not re.search(r"(?<![A-Za-z])[A-Za-z](?![A-Za-z])", split) and not looks_real(password)


def _url_label(key: str | None, scheme: str) -> str:
    name = env_name(key or "")
    name = re.sub(r"_(?:URL|URI|DSN|CONNECTION_STRING|CONNECTION|CONN|ADDRESS|ADDR|ENDPOINT|STRING)$", "", name)
    family = {"rediss": "redis", "postgresql": "postgres", "mongodb+srv": "mongodb", "amqps": "amqp"}.get(scheme, scheme)
    return name or env_name(family)


# --- detect-secrets, value by value ---------------------------------------------------

_NOT_USED = {"Public IP (ipv4)", "Secret Keyword", "Base64 High Entropy String", "Hex High Entropy String",
             "Basic Auth Credentials"}  # keyword/entropy are weighed separately; URL credentials are ours


@lru_cache(maxsize=1)
def _plugins() -> dict[str, object]:
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    return {kind: plugin() for kind, plugin in get_mapping_from_secret_type_to_class().items()}


def _detect_secrets_hits(value: str) -> Iterator[tuple[str, str]]:
    """detect-secrets' pattern plugins on one value. `analyze_string` only: no network
    verification, no global settings."""
    for kind, plugin in _plugins().items():
        if kind in _NOT_USED:
            continue
        for hit in plugin.analyze_string(value):  # type: ignore[attr-defined]
            if isinstance(hit, str) and hit and hit in value:
                yield kind, hit


def _detect_secrets_keyword(key: str, value: str) -> bool:
    from detect_secrets.plugins.keyword import CONFIG_DENYLIST_REGEX_TO_GROUP

    if '"' in value:
        return False
    named = f"{key} {value}".lower()  # (every word of its denylist holds one of these: most values hold none)
    if not any(word in named for word in ("key", "pass", "pwd", "secret", "contrase")):
        return False
    plugin = _plugins()["Secret Keyword"]
    hits = plugin.analyze_string(f'{key}="{value}"', denylist_regex_to_group=CONFIG_DENYLIST_REGEX_TO_GROUP)  # type: ignore[attr-defined]
    return any(value in hit or hit in value for hit in hits if hit)


def _detect_secrets_entropy(value: str) -> bool:
    if '"' in value or len(value) < 16:
        return False
    for kind in ("Base64 High Entropy String", "Hex High Entropy String"):
        plugin = _plugins()[kind]
        for hit in plugin.analyze_string(f'"{value}"'):  # type: ignore[attr-defined]
            if hit == value and plugin.calculate_shannon_entropy(hit) > plugin.entropy_limit:  # type: ignore[attr-defined]
                return True
    return False


# --- where values live ----------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    key: str | None
    value: str  # as the program sees it
    start: int  # byte span of the raw text holding it (quotes may be included)
    end: int
    label: str  # how to name the place to a human
    command: bool = False  # an argument on a command line: reported, never edited (the stack would break)
    block_comment: bool = False  # a `#` line inside a YAML block scalar: the value's text, reported
    template_default: bool = False  # a literal a Helm template's action falls back to: reported
    base64: bool = False  # a Secret's `data:` value: `value` is the base64 text the file holds (`_encoded_finding`)
    example: bool = False  # a literal in code under an `example:`/`examples:` key (an API schema's sample)
    # a Lambda template's environment value ("serverless": serverless.yml, "sam": a SAM/CloudFormation
    # template): replaced whole by a reference the deploy resolves, not by a placeholder (`_reference_finding`)
    reference: str | None = None


def env_values(source_file: SourceFile) -> Iterator[Value]:
    for entry in envfile.parse(source_file.data):
        yield Value(entry.key, entry.value, entry.value_start, entry.value_end, entry.key)
    for entry in envfile.commented(source_file.data):
        yield Value(entry.key, entry.value, entry.value_start, entry.value_end, f"{entry.key} (commented out)")
    yield from _unparsed_env_lines(source_file)


_LINE_LEAD = re.compile(rb"(?:\xef\xbb\xbf)?[ \t]*(?P<comment>#+[ \t]*)?")
_COLON_SETTING = re.compile(rb"(?:export[ \t]+)?(?P<key>[A-Za-z_][A-Za-z0-9_.-]*)[ \t]*:[ \t]+")
_INLINE_NOTE = re.compile(rb"[ \t]#")
# `KEY="value` whose quote is never closed (envfile reads no assignment there; dotenv reads the line's value)
_UNCLOSED_SETTING = re.compile(rb"(?:export[ \t]+)?(?P<key>[A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*(?P<quote>['\"`])")


def _unparsed_env_lines(source_file: SourceFile) -> Iterator[Value]:
    """The lines `envfile` reads no assignment in: `KEY: value` (dotenv reads it as
    `KEY=value`) and free comments (`# prod: rediss://default:…@…`), judged whole."""
    data, text = source_file.data, source_file.text
    taken = {n for e in envfile.parse(data) for n in range(e.line, e.last_line + 1)}
    taken |= {e.line for e in envfile.commented(data)}
    for number in range(1, len(text.line_starts) + 1):
        start, end = text.line_span(number)
        lead = _LINE_LEAD.match(data, start, end)
        if number in taken or lead is None or _PRIVATE_KEY_LABEL.search(data[start:end].decode("utf-8", "replace")):
            continue  # (a key's block in comment lines is no one value: left as it was)
        comment = bool(lead.group("comment"))
        setting = None if comment else _COLON_SETTING.match(data, lead.end(), end) or \
            _UNCLOSED_SETTING.match(data, lead.end(), end)
        at = setting.end() if setting else lead.end()
        unclosed = setting is not None and setting.re is _UNCLOSED_SETTING  # (the value: after its quote)
        note = _INLINE_NOTE.search(data, at, end) if setting else None  # `KEY: value # note`: not the value
        raw = data[at : note.start() if note else end].rstrip(b" \t").decode("utf-8", "replace")
        value = raw[1:-1] if setting and len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"`" else raw
        if not value.strip():
            continue
        key = setting.group("key").decode() if setting else None
        label = f"{key} (its quote is never closed)" if unclosed else key or "comment"
        yield Value(key, value, at, at + len(raw.encode()), label)


def compose_values(source_file: SourceFile) -> Iterator[Value]:
    for document in source_file.yaml_documents:
        for name, service in yamlfile.items(yamlfile.get(document, "services")):
            yield from _yaml_env(source_file, yamlfile.get(service, "environment"), f"{name} environment")
            yield from _yaml_env(source_file, yamlfile.get_path(service, "build", "args"), f"{name} build arg")
            for field, where in (("command", "command"), ("entrypoint", "entrypoint"), ("healthcheck", "health check")):
                node = yamlfile.get_path(service, "healthcheck", "test") if field == "healthcheck" else \
                    yamlfile.get(service, field)
                yield from _command_values(source_file, node, f"{name} {where}")


_PASSWORD_FLAGS = frozenset({"--requirepass", "--masterauth", "--password", "--pass", "--auth", "--http-password"})
_USER_FLAGS = frozenset({"--user", "--http-user", "--proxy-user"})  # curl's `user:password` (wget's: a name)


def _command_values(source_file: SourceFile, node: yamlfile.Node | None, where: str,
                    actions: list[tuple[int, int]] | None = None) -> Iterator[Value]:
    """`actions`: a Helm template's (an argument one writes is the chart's code, no value)."""
    words = [(word, *span) for item in yamlfile.scalars(node)
             if isinstance(item.value, str) and not _overlaps(actions or [], *(span := yamlfile.span(source_file.text, item)))
             for word in str(item.value).split()]
    for key, value, start, end in command_line(words):
        yield Value(key, value, start, end, where, command=True)


def command_line(words: list[tuple[str, int, int]]) -> Iterator[tuple[str | None, str, int, int]]:
    """Passwords on a command line, as (key, value, span of the word's place): `redis-server
    --requirepass …`, `redis-cli -a …`, `mysqladmin -p…`, `--password=…`, `curl -u user:…`,
    `NAME=value` before a command (`PGPASSWORD=… psql`), and a URL's password (`http://u:…@`)."""
    def before(number: int) -> list[str]:  # the programs named before a word
        return [w.rsplit("/", 1)[-1] for w, _s, _e in words[:number]]

    for number, (word, start, end) in enumerate(words):
        flag, _, attached = word.partition("=")
        following = words[number + 1] if number + 1 < len(words) else None
        if word in _PASSWORD_FLAGS or word in _USER_FLAGS or (word == "-a" and "redis-cli" in before(number)) or \
                (word == "-u" and "curl" in before(number)):
            if following is None or following[0].startswith("-"):  # `--auth --bind_ip_all`: a switch
                continue
            key, (value, start, end) = "PASSWORD", following
        elif flag in _PASSWORD_FLAGS or flag in _USER_FLAGS:
            key, value = "PASSWORD", attached
        elif re.fullmatch(r"-p\S+", word) and any(w.startswith(("mysql", "mariadb")) for w in before(number)):
            key, value = "PASSWORD", word[2:]
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", flag) and attached:
            key, value = flag, attached
        elif "://" in word:
            key, value = None, word
        else:
            continue
        value = value.strip("'\"")
        if key == "PASSWORD" and (word in _USER_FLAGS or flag in _USER_FLAGS or word == "-u"):
            if ":" not in value:
                continue  # a user name
            value = value.partition(":")[2]
        if value and "$" not in value:  # `${REDIS_PASSWORD}`, `$$REDIS_PASSWORD`: read from the environment
            yield key, value, start, end


def _yaml_env(source_file: SourceFile, node: yamlfile.Node | None, where: str) -> Iterator[Value]:
    if isinstance(node, yamlfile.MappingNode):
        for key, value in yamlfile.items(node):
            if key == "<<":
                for merged in (value.value if isinstance(value, yamlfile.SequenceNode) else [value]):
                    yield from _yaml_env(source_file, merged, where)
            elif isinstance(value, yamlfile.ScalarNode) and isinstance(value.value, str) and value.tag.endswith(":str"):
                start, end = yamlfile.span(source_file.text, value)
                yield Value(key, value.value, start, end, f"{where} {key}")
    elif isinstance(node, yamlfile.SequenceNode):
        for item in node.value:
            if isinstance(item, yamlfile.ScalarNode) and "=" in str(item.value):
                key, _, value = str(item.value).partition("=")
                start, end = yamlfile.span(source_file.text, item)
                raw = source_file.data[start:end].decode("utf-8", "replace")
                start += len(raw[: raw.find("=") + 1].encode())  # the value only, never the key
                yield Value(key.strip(), value, start, end, f"{where} {key.strip()}")


def _kind(node: yamlfile.Node | None) -> str:
    kind = yamlfile.get(node, "kind")
    return str(kind.value) if isinstance(kind, yamlfile.ScalarNode) else ""


def _objects(document: yamlfile.Node) -> Iterator[yamlfile.Node]:
    """A document's Kubernetes objects: the document, and the `items:` of a `kind: List`
    (`kubectl get -o yaml`'s output, a `SecretList`), nested lists too."""
    stack = [document]
    while stack:
        current = stack.pop()
        yield current
        if _kind(current).endswith("List"):
            items = yamlfile.get(current, "items")
            if isinstance(items, yamlfile.SequenceNode):
                stack.extend(reversed(items.value))


# (kind, section, base64): where a manifest keeps values by key. A Secret's `data` holds its
# values base64-encoded: an encoding, not encryption (`_encoded_finding`).
_K8S_SECTIONS = (("Secret", "stringData", False), ("Secret", "data", True), ("ConfigMap", "data", False))


def k8s_values(source_file: SourceFile) -> Iterator[Value]:
    actions = _template_actions(source_file)
    for document in yaml_documents(source_file):
        for manifest in _objects(document):
            kind_name = _kind(manifest)
            for section_kind, section, base64 in _K8S_SECTIONS:
                if kind_name != section_kind:
                    continue
                entries = yamlfile.get(manifest, section)
                for key, value in yamlfile.items(entries):
                    if isinstance(value, yamlfile.ScalarNode):
                        key_node = yamlfile.key_node(entries, key)
                        name = _template_name(source_file, actions, key_node, key)
                        written = name or (_written(source_file, key_node) if isinstance(key_node, yamlfile.ScalarNode)
                                           else key)
                        for found in _template_values(source_file, actions, name, value,
                                                      f"{kind_name} {section} {written}"):
                            # (a template's `default "…"` literal may be the plain value a `b64enc` encodes)
                            yield _replace(found, base64=base64 and (not found.template_default
                                                                     or _decoded(found.value) is not None))
        for mapping in _mappings(document):
            name_node, value = yamlfile.get(mapping, "name"), yamlfile.get(mapping, "value")
            if isinstance(name_node, yamlfile.ScalarNode) and isinstance(value, yamlfile.ScalarNode):
                name = _template_name(source_file, actions, name_node, str(name_node.value))
                yield from _template_values(source_file, actions, name, value,
                                            f"env {name or _written(source_file, name_node)}")
            if isinstance(name_node, yamlfile.ScalarNode) and yamlfile.get(mapping, "image") is not None:
                # a container's command line (`args: ["--requirepass", "…"]`), as a compose service's
                for field in ("command", "args"):
                    yield from _command_values(source_file, yamlfile.get(mapping, field),
                                               f"container {_written(source_file, name_node)} {field}", actions)


# --- Lambda templates: Serverless Framework and AWS SAM / CloudFormation ------------------


def lambda_template(source_file: SourceFile) -> str | None:
    """`serverless` or `sam` for a Lambda template, else None (`lambdatemplate.shape`: from its bytes)."""
    return lambdatemplate.shape(source_file)


def lambda_values(source_file: SourceFile, shape: str) -> Iterator[Value]:
    """A Lambda template's environment values (`lambdatemplate.environments`: serverless.yml's
    `provider.environment` and each function's `environment`; SAM/CloudFormation's
    `Globals.Function.Environment.Variables` and each resource's `Properties.Environment.Variables`).
    Strings only: an intrinsic function (`!Ref`, `!Sub`, `!GetAtt`, `Fn::…`) is a reference. Also what
    they name: serverless.yml's `custom:` value an environment value is whole (`DB_PASSWORD:
    ${self:custom.dbPassword}`: the literal there, judged and named as the variable), and a SAM
    template's `String` parameters' `Default:` (what a deploy without the parameter uses)."""
    documents = lambdatemplate.documents(source_file)
    for where, node in lambdatemplate.environments(documents, shape):
        yield from _lambda_env(source_file, documents, node, where, shape)
    if shape == lambdatemplate.SAM:
        for name, parameter in lambdatemplate.parameters(documents):
            kind, default = yamlfile.get(parameter, "Type"), yamlfile.get(parameter, "Default")
            if isinstance(kind, yamlfile.ScalarNode) and kind.value == "String" and \
                    isinstance(default, yamlfile.ScalarNode) and isinstance(default.value, str) and \
                    default.tag.endswith(":str"):
                start, end = yamlfile.span(source_file.text, default)
                yield Value(name, default.value, start, end, f"Parameters {name} Default", reference=_DEFAULT)


def _lambda_env(source_file: SourceFile, documents: list[yamlfile.Node], node: yamlfile.Node | None, where: str,
                shape: str) -> Iterator[Value]:
    """Each string of an environment mapping; a `!Sub` string too, judged as its literal text (its
    `${…}` are the template's: reported, never rewritten, `_reference_finding`); the `custom:` string
    a serverless.yml value names whole (`${self:custom.x}`)."""
    for key, value in yamlfile.items(node):
        if isinstance(value, yamlfile.ScalarNode) and isinstance(value.value, str) and \
                (value.tag.endswith(":str") or value.tag == "!Sub"):
            start, end = yamlfile.span(source_file.text, value)
            yield Value(key, value.value, start, end, f"{where} {key}",
                        reference=shape if value.tag.endswith(":str") else _SUB)
            named = lambdatemplate.custom_value(documents, value.value) if shape == lambdatemplate.SERVERLESS \
                and value.tag.endswith(":str") else None
            if named is not None and isinstance(named[1].value, str) and named[1].tag.endswith(":str"):
                start, end = yamlfile.span(source_file.text, named[1])
                yield Value(key, named[1].value, start, end, f"{named[0]} ({where} {key})", reference=shape)


_DEFAULT = "Default"  # a SAM parameter's `Default:` (`Value.reference`)
_SUB = "!Sub"


# A Serverless Framework variable (`${env:NAME}`, `${ssm:/path}`, `${self:custom.x}`, `${opt:stage, 'dev'}`),
# innermost first: a reference resolved at deploy time, no value (its fallback's text may still hold one)
_SERVERLESS_VARIABLE = re.compile(r"\$\{[^{}]*\}")
_VARIABLE_MARK = "\x00"


def _variables_verdict(key: str | None, value: str, quoted: bool = False) -> Secret | DevDefault | None:
    """A value holding variables resolved at deploy time (serverless.yml's `${ssm:…}`, `${self:…}`;
    a `!Sub` string's `${Stage}`) judged with each read as a placeholder: `${ssm:/orders/${self:custom.
    stage}/jwt-secret}` is no JWT secret; a URL's password beside one is (`postgres://app:…@${self:
    custom.host}`), and so is the literal text between them (`${Stage}-Tq7v…`) or a token in a
    variable's fallback (`${env:KEY, 'sk_live_…'}`)."""
    if "${" not in value:
        return judge(key, value, quoted=quoted)
    blanked, previous = value, None
    while blanked != previous:
        previous, blanked = blanked, _SERVERLESS_VARIABLE.sub(lambda m: _VARIABLE_MARK, blanked)

    def held(verdict: Secret | DevDefault | None) -> bool:  # (its secrets are the value's own text)
        return isinstance(verdict, Secret) and all("${V}" not in secret and secret in value for secret in verdict.values)

    verdict = judge(key, blanked.replace(_VARIABLE_MARK, "${V}"), quoted=quoted)
    if held(verdict) or isinstance(verdict, DevDefault):
        return verdict
    for piece in blanked.split(_VARIABLE_MARK):
        verdict = judge(key, piece.strip(" \t-_./:,;'\""), quoted=quoted)
        if held(verdict):
            return verdict
    verdict = judge(None, value)
    return verdict if held(verdict) else None


def _reference_names(source_file: SourceFile, shape: str) -> dict[str, str]:
    """The variable (serverless.yml) or parameter (SAM) each literal value of the file's environment
    is read from once replaced: its first key's (`STRIPE_SECRET_KEY`; SAM: `StripeSecretKey`), one
    per value, a number after it when another value took it (an override of a key in a function) or,
    in a template, another logical id has it."""
    taken: set[str] = set()
    if shape == "sam":
        for document in lambdatemplate.documents(source_file):
            for section in ("Parameters", "Resources", "Outputs", "Conditions", "Mappings"):
                taken |= {key for key, _node in yamlfile.items(yamlfile.get(document, section))}
    names: dict[str, str] = {}
    for value in lambda_values(source_file, shape):
        text = value.value.strip()
        if not text or text in names or is_placeholder(text) or "${" in text or value.reference in (_SUB, _DEFAULT):
            continue  # (a parameter's default: the parameter is its reference)
        base = env_name(value.key) or "SECRET"
        if shape == "sam":
            base = "".join(word.capitalize() for word in base.split("_"))
            base = base if base[:1].isalpha() else f"P{base}"
        name, number = base, 1
        while name in taken:
            number += 1
            name = f"{base}{number}" if shape == "sam" else f"{base}_{number}"
        taken.add(name)
        names[text] = name
    return names


def _sam_declaration(source_file: SourceFile, names: list[str]) -> list[Edit] | None:
    """The edit that declares `NoEcho` string parameters in a SAM/CloudFormation template, in the order
    given: entries after the last of its block `Parameters:` (their indentation), or, when it has none, a
    `Parameters:` section before `Resources:` (and the comment lines right above it). One edit for them all
    (`_declared_together`: the order is the file's, not the findings'). None when no place is certain:
    several documents, a flow-style or empty `Parameters:`, no top-level `Resources:`, a JSON template."""
    if source_file.kind != "yaml":
        return None
    documents, data = source_file.yaml_documents, source_file.data
    root = documents[0] if len(documents) == 1 else None
    if not isinstance(root, yamlfile.MappingNode) or root.flow_style:
        return None
    parameters = yamlfile.key_node(root, "Parameters")
    resources = yamlfile.key_node(root, "Resources")
    if resources is None or resources.start_mark.column != 0:
        return None
    if parameters is not None:
        section = yamlfile.get(root, "Parameters")
        if not isinstance(section, yamlfile.MappingNode) or section.flow_style or not section.value:
            return None
        first_key, first_value = section.value[0]
        indent = first_key.start_mark.column
        step = (first_value.value[0][0].start_mark.column - indent
                if isinstance(first_value, yamlfile.MappingNode) and not first_value.flow_style and first_value.value
                else 2)
        if indent <= 0 or step <= 0:
            return None
        last = max(yamlfile.span(source_file.text, node)[1] for node in yamlfile.scalars(section))
        point = last if data[last - 1 : last] == b"\n" else _line_ends(data, last) + 1
        lead = "\n" if point > len(data) or (point == len(data) and not data.endswith(b"\n")) else ""
        point = min(point, len(data))
        header = None
    else:
        children = yamlfile.get(root, "Resources")
        indent = children.value[0][0].start_mark.column \
            if isinstance(children, yamlfile.MappingNode) and not children.flow_style and children.value else 2
        step, lead = indent, ""
        if indent <= 0:
            return None
        point = yamlfile.span(source_file.text, resources)[0]
        while point > 0:  # above the comment lines that introduce `Resources:`
            above = data.rfind(b"\n", 0, point - 1) + 1
            if not data[above:point].lstrip(b" \t").startswith(b"#"):
                break
            point = above
        header = "Parameters:\n"
    pad, inner = " " * indent, " " * (indent + step)
    entries = "".join(f"{pad}{name}:\n{inner}Type: String\n{inner}NoEcho: true\n" for name in names)
    return [Edit(source_file.path, point, point, f"{header or ''}{lead}{entries}")]


def _declared_together(source_file: SourceFile, found: dict[tuple[int, int], Finding],
                       ) -> dict[tuple[int, int], Finding]:
    """A SAM template's findings (by span) with the parameters they declare in one edit, in the order of
    the places that use them in the file: each finding's own edit declares its parameter alone, and the
    engine orders edits at one point as the run's findings come (another file's finding carries a shared
    value's edits first), so two runs, or two versions, would declare them in different orders."""
    if lambda_template(source_file) != lambdatemplate.SAM:
        return found
    singles: dict[Edit, str] = {}
    for span in sorted(found):
        for change in found[span].changes:
            if isinstance(change, Edit) and change.path == source_file.path and change.text.startswith("!Ref "):
                name = change.text[len("!Ref "):]
                declared = _sam_declaration(source_file, [name])
                if declared is not None and declared[0] in found[span].changes:
                    singles.setdefault(declared[0], name)
    if len(singles) < 2:
        return found
    together = _sam_declaration(source_file, list(dict.fromkeys(singles.values())))
    if together is None:
        return found
    return {span: finding if not any(change in singles for change in finding.changes) else _replace(
        finding, changes=tuple(dict.fromkeys(together[0] if change in singles else change
                                             for change in finding.changes)))
        for span, finding in found.items()}


def _reference_finding(source_file: SourceFile, value: Value, raw: str, verdict: Secret, at: tuple[int, int],
                       secrets: tuple[str, ...]) -> Finding:
    """A secret in a Lambda template's environment: the whole value becomes what the deploy reads it
    from. serverless.yml: `${env:NAME}` (the Framework fails the deploy while NAME is unset, where a
    placeholder would deploy and break at run time); SAM/CloudFormation: `!Ref Name`, a new `NoEcho`
    parameter with no default (the deploy asks for it, the console never shows it). A value written
    over several lines, or a template whose `Parameters:` cannot take an entry for certain, is
    reported with the same instructions."""
    if value.reference == _DEFAULT:
        return _parameter_default_finding(source_file, value, raw, verdict, at, secrets)
    path, shape, sub = source_file.path, value.reference, value.reference == _SUB
    if sub:  # (its `${…}` are the template's own: no place for a reference is certain)
        shape, name = lambda_template(source_file) or "sam", None
    else:
        name = _reference_names(source_file, shape or "").get(value.value.strip())
    shown = _shown(verdict.values)
    edits: list[Edit] | None = None
    if name is not None and "\n" not in raw and "\r" not in raw:
        quoted = len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\""
        if shape == "serverless":
            following = source_file.data[value.end : value.end + 64].lstrip()[:1]
            text = f"${{env:{name}}}"
            if quoted:
                edits = [Edit(path, value.start + 1, value.end - 1, text)]
            else:  # (in a flow mapping, `{` and `}` end a plain scalar: quoted there)
                edits = [Edit(path, value.start, value.end, f"'{text}'" if following in (b",", b"}") else text)]
        else:
            declaration = _sam_declaration(source_file, [name])
            if declaration is not None:
                edits = declaration + [Edit(path, value.start, value.end, f"!Ref {name}")]
    line, col = at
    if shape == "serverless":
        variable = name or env_name(value.key or "SECRET")
        how = (f"set {variable} in the environment `serverless deploy` runs in (CI's secrets, never a committed "
               f"file; the deploy fails while it is unset), or read it from SSM instead (`${{ssm:/path/to/it}}`)")
        if edits is not None:
            return Finding(INFO.id, path, line, col, f"{value.label}: {verdict.kind} ({shown}) replaced with "
                           f"`${{env:{variable}}}`: {how}; and rotate it", tuple(edits), secrets=secrets)
        return Finding(INFO.id, path, line, col, f"{value.label}: {verdict.kind} ({shown}); fixer cannot rewrite it "
                       f"here exactly: write `${{env:{variable}}}` in its place, {how}, and rotate it", secrets=secrets)
    parameter = name or "".join(word.capitalize() for word in env_name(value.key or "SECRET").split("_"))
    if source_file.kind == "json":  # (no edit: JSON's `{"Ref": …}` and a declaration's commas are not written here)
        return Finding(INFO.id, path, line, col, f"{value.label}: {verdict.kind} ({shown}); fixer does not rewrite a "
                       f"JSON template: declare a parameter `{parameter}` under `Parameters` (`\"Type\": \"String\"`, "
                       f"`\"NoEcho\": true`, no `Default`), write `{{\"Ref\": \"{parameter}\"}}` in its place, pass "
                       f"it at deploy time (`sam deploy --parameter-overrides {parameter}=…` from CI's secrets), and "
                       "rotate it", secrets=secrets)
    how = (f"pass it at deploy time (`sam deploy --parameter-overrides {parameter}=…` from CI's secrets, not a "
           "committed samconfig.toml; the deploy fails while it is unset), or read it from Secrets Manager instead "
           "(`{{resolve:secretsmanager:…}}`)")
    if edits is not None:
        return Finding(INFO.id, path, line, col, f"{value.label}: {verdict.kind} ({shown}) replaced with "
                       f"`!Ref {parameter}`, a new `NoEcho` parameter with no default: {how}; and rotate it",
                       tuple(edits), secrets=secrets)
    return Finding(INFO.id, path, line, col, f"{value.label}: {verdict.kind} ({shown}); fixer cannot rewrite it here "
                   f"exactly: declare a parameter `{parameter}` under `Parameters:` (`Type: String`, `NoEcho: true`, "
                   f"no `Default`), write {f'`${{{parameter}}}` in the `!Sub` string' if sub else f'`!Ref {parameter}`'} "
                   f"in its place, {how}, and rotate it", secrets=secrets)



def _parameter_default_finding(source_file: SourceFile, value: Value, raw: str, verdict: Secret,
                               at: tuple[int, int], secrets: tuple[str, ...]) -> Finding:
    """A secret as a SAM/CloudFormation `String` parameter's `Default:`: what every deploy that does not
    pass the parameter uses, committed. The default goes: its line becomes `NoEcho: true` (deleted when
    the parameter says `NoEcho` already), so the deploy asks for the value and the console never shows
    it. Reported where that is not one certain line (a flow mapping, a value over several lines, JSON)."""
    path, name, (line, col) = source_file.path, value.key or "", at
    shown, data = _shown(verdict.values), source_file.data
    how = (f"pass it at deploy time (`sam deploy --parameter-overrides {name}=…` from CI's secrets, not a committed "
           "samconfig.toml; the deploy fails while it is unset), or read it from Secrets Manager instead "
           "(`{{resolve:secretsmanager:…}}`)")
    parameter = dict(lambdatemplate.parameters(lambdatemplate.documents(source_file))).get(name) \
        if source_file.kind == "yaml" else None
    key = yamlfile.key_node(parameter, "Default") \
        if isinstance(parameter, yamlfile.MappingNode) and not parameter.flow_style else None
    edit = None
    if key is not None and "\n" not in raw and "\r" not in raw:
        start = yamlfile.span(source_file.text, key)[0]
        begin, end = data.rfind(b"\n", 0, start) + 1, _line_ends(data, value.end)
        rest = data[value.end : end].rstrip(b"\r").strip(b" \t")
        if not data[begin:start].strip(b" \t") and (not rest or rest.startswith(b"#")):
            if yamlfile.get(parameter, "NoEcho") is None:
                edit = Edit(path, start, value.end, "NoEcho: true")
            else:
                edit = Edit(path, begin, min(end + 1, len(data)), "")
    if edit is not None:
        now = "" if edit.text == "" else " (the parameter is NoEcho now)"
        return Finding(INFO.id, path, line, col, f"{value.label}: {verdict.kind} ({shown}), what every deploy "
                       f"without the parameter uses: the default is removed{now}; {how}; and rotate it", (edit,),
                       secrets=secrets)
    return Finding(INFO.id, path, line, col, f"{value.label}: {verdict.kind} ({shown}), what every deploy without "
                   f"the parameter uses; fixer cannot remove it here exactly: delete the `Default`, give the "
                   f"parameter `NoEcho: true`, {how}, and rotate it", secrets=secrets)


# --- Helm chart templates (YAML with Go-template actions) ---------------------------


@lru_cache(maxsize=16)
def _parses_as_yaml(data: bytes) -> bool:
    try:
        yamlfile.compose_all(data)
    except yamlfile.YamlError:
        return False
    return True


@lru_cache(maxsize=16)
def _parses_blanked(data: bytes) -> bool:
    try:
        yamlfile.compose_template(data)
    except yamlfile.YamlError:
        return False
    return True


_CHART_TEMPLATES = re.compile(r"(?:^|/)templates/")


def is_template(source_file: SourceFile) -> bool:
    """A Helm chart template (`templates/deployment.yaml` with `{{- with .Values.resources }}`
    lines): YAML with Go-template actions that does not parse as it is; or, in a `templates/`
    folder, one that does but reads as YAML with its actions blanked (`password: {{ .Values.pw }}`
    parses, as a flow mapping: its actions would hide every `default "…"` and literal text)."""
    if source_file.kind != "yaml" or b"{{" not in source_file.data:
        return False
    if not _parses_as_yaml(source_file.data):
        return True
    return _CHART_TEMPLATES.search(source_file.path) is not None and _parses_blanked(source_file.data)


def yaml_documents(source_file: SourceFile) -> list[yamlfile.Node]:
    """The file's YAML documents; a Helm template's read with its actions blanked (the nodes'
    spans are the template's own bytes)."""
    if not is_template(source_file):
        return source_file.yaml_documents
    try:
        return yamlfile.compose_template(source_file.data)
    except yamlfile.YamlError as error:
        raise ParseError(f"YAML does not parse, not even with its template actions blanked: {error}") from None


def _template_actions(source_file: SourceFile) -> list[tuple[int, int]]:
    return yamlfile.template_actions(source_file.data) if is_template(source_file) else []


def _overlaps(actions: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a_start < end and start < a_end for a_start, a_end in actions)


def _written(source_file: SourceFile, node: yamlfile.ScalarNode) -> str:
    """A scalar as the file writes it (a template's `{{ … }}`), for a label."""
    start, end = yamlfile.span(source_file.text, node)
    raw = source_file.data[start:end].decode("utf-8", "replace")
    return raw.strip("'\"") if "\n" not in raw else str(node.value)


def _template_name(source_file: SourceFile, actions: list[tuple[int, int]], node: yamlfile.Node | None,
                   name: str) -> str | None:
    """A key (or an env entry's `name:`) as a name: none when a template action writes it
    (`{{ $key }}: …` in a `range`)."""
    return None if node is not None and _overlaps(actions, *yamlfile.span(source_file.text, node)) else name


# `default "…"` in an action (`{{ .Values.apiKey | default "…" | quote }}`): a Go string literal
_TEMPLATE_DEFAULT = re.compile(rb"""\bdefault[ \t]+(?:"(?P<quoted>(?:[^"\\\r\n]|\\.)*)"|`(?P<raw>[^`]*)`)""")


def _template_values(source_file: SourceFile, actions: list[tuple[int, int]], key: str | None,
                     node: yamlfile.ScalarNode, label: str) -> Iterator[Value]:
    """The value a scalar holds. In a Helm template, a value that is a template expression
    (`value: {{ .Values.db.password }}`, `"{{ include … }}"`) is a reference, never a secret,
    and one with literal text around an action (`postgres://app:…@{{ .Values.db.host }}`) is
    judged as the template writes it (its actions read as placeholders); a literal an action
    falls back to (`| default "…"`) is a value of its own (reported: it is the chart's code)."""
    start, end = yamlfile.span(source_file.text, node)
    inside = [(max(a_start, start), min(a_end, end)) for a_start, a_end in actions if a_start < end and start < a_end]
    if not inside:
        yield Value(key, str(node.value), start, end, label)
        return
    data = source_file.data
    for a_start, a_end in inside:
        for match in _TEMPLATE_DEFAULT.finditer(data, a_start, a_end):
            group = "quoted" if match.group("quoted") is not None else "raw"
            literal = match.group(group).decode("utf-8", "replace")
            if "\\" not in literal:  # (an escape: the value is not its spelling)
                yield Value(key, literal, match.start(group), match.end(group), f"{label} default",
                            template_default=True)
    literal_text = bytearray(data[start:end])
    for low, high in inside:
        literal_text[low - start : high - start] = b" " * (high - low)
    if not bytes(literal_text).strip(b" \t\r\n'\""):
        return
    written = data[start:end].decode("utf-8", "replace")
    if "\n" in written:  # (a block scalar: its text with the actions as `_`s; an edit is placed in its bytes)
        yield Value(key, str(node.value), start, end, label)
        return
    if len(written) >= 2 and written[0] == written[-1] and written[0] in "'\"":
        written = written[1:-1]
    yield Value(key, written, start, end, label)


def _mappings(node: yamlfile.Node) -> Iterator[yamlfile.MappingNode]:
    stack = [node]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yamlfile.MappingNode):
            yield current
            stack.extend(value for _key, value in current.value)
        elif isinstance(current, yamlfile.SequenceNode):
            stack.extend(current.value)


def helm_values(source_file: SourceFile) -> Iterator[Value]:
    """Every string in a Helm values file, with its key (`postgresql.auth.password`: `password`;
    a `- name: X` / `value: …` pair: `X`). Under a key that names a reference
    (`secretKeyRef:`, `remoteRef:`, `existingSecret:`), a string's key is that key and its own
    (`secretKeyRef.key`): a reference's parts name a secret, they hold none."""
    for document in source_file.yaml_documents:
        for mapping, reference in _helm_mappings(document):
            name = yamlfile.get(mapping, "name")
            for key, value in yamlfile.items(mapping):
                if isinstance(value, yamlfile.ScalarNode) and isinstance(value.value, str) and \
                        value.tag.endswith(":str"):
                    if key == "value" and isinstance(name, yamlfile.ScalarNode):
                        key = str(name.value)
                    if reference is not None:
                        key = f"{reference}.{key}"
                    start, end = yamlfile.span(source_file.text, value)
                    yield Value(key, value.value, start, end, key)


def _helm_mappings(node: yamlfile.Node) -> Iterator[tuple[yamlfile.MappingNode, str | None]]:
    """`_mappings`, each with the nearest key above it that names a reference (or None)."""
    stack: list[tuple[yamlfile.Node, str | None]] = [(node, None)]
    seen: set[int] = set()
    while stack:
        current, reference = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yamlfile.MappingNode):
            yield current, reference
            stack.extend((value, key if _REFERENCE_NAME.search(env_name(key)) else reference)
                         for key, value in yamlfile.items(current))
        elif isinstance(current, yamlfile.SequenceNode):
            stack.extend((item, reference) for item in current.value)


def dockerfile_values(source_file: SourceFile) -> Iterator[Value]:
    for instruction in source_file.instructions:
        if instruction.cmd == "RUN":
            yield from _run_values(source_file, instruction)
        if instruction.cmd not in ("ENV", "ARG"):
            continue
        for assignment in dockerfile_parser.assignments(source_file.text, instruction):
            yield Value(assignment.key, assignment.value, assignment.start, assignment.end,
                        f"{instruction.cmd} {assignment.key}")


_WORD = re.compile(rb"[^\s]+")


def _run_values(source_file: SourceFile, instruction: dockerfile_parser.Instruction) -> Iterator[Value]:
    """A RUN's command line and heredoc bodies, word by word (`_command_values`: `curl -u user:…`,
    a URL's password, `NPM_TOKEN=… npm publish`), and any word holding a known token's shape
    (`echo "//registry.npmjs.org/:_authToken=npm_…" > .npmrc`): committed, and baked into an
    image layer. Reported, never edited (a placeholder there breaks the build: `_command_finding` says what to do).
    Comment lines are `_line_comments`'."""
    data, text = source_file.data, source_file.text
    words: list[tuple[str, int, int]] = []
    for number in range(instruction.start_line, instruction.end_line + 1):
        start, end = text.line_span(number)
        if re.match(rb"[ \t]*#", data[start:end]):
            continue
        for match in _WORD.finditer(data, start, end):
            words.append((match.group().decode("utf-8", "replace"), match.start(), match.end()))
    label = f"RUN (line {instruction.start_line})"
    for key, value, start, end in command_line(words):
        yield Value(key, value, start, end, label, command=True)
    for word, start, end in words:
        bare = word.strip("'\"`;&|()")
        if len(bare) >= 8 and "$" not in bare:
            at = start + len(word[: word.find(bare)].encode())
            yield Value(None, bare, at, at + len(bare.encode()), label, command=True)


_CANDIDATE_LITERAL = re.compile(rb"""['"`][^'"`\s]{8,}['"`]""")
# A code file is parsed only when something in it could be a secret: a secret-ish word, a
# known token prefix, credentials in a URL, or a long unbroken run of token characters.
# (Plain substring tests: a case-insensitive regex alternation is 10x slower on big repos.)
_SECRET_WORDS = (b"secret", b"passw", b"pwd", b"token", b"apikey", b"api_key", b"api-key", b"privatekey",
                 b"private_key", b"credential", b"jwt", b"bearer", b"signing", b"salt")
_TOKEN_PREFIXES = (b"sk_live_", b"sk_test_", b"pk_live_", b"rzp_", b"AKIA", b"ASIA", b"ghp_", b"gho_", b"ghu_",
                   b"ghs_", b"ghr_", b"github_pat_", b"xoxa-", b"xoxb-", b"xoxp-", b"xoxr-", b"xoxs-", b"eyJ",
                   b"-----BEGIN")
_URL_CREDENTIAL_BYTES = re.compile(rb"://[^/\s:@'\"`]+:[^@\s'\"`]+@")
_TOKEN_CHARS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-"
# every token character -> "a", every other byte -> " ": a run of 24 token characters is a
# substring test on the translated bytes (a regex tries a match at every position: 10x slower)
_TOKEN_TABLE = bytes(ord("a") if byte in _TOKEN_CHARS else ord(" ") for byte in range(256))
_TOKEN_RUN = b"a" * 24


def _maybe_secret(data: bytes, words: bytes | None = None) -> bool:
    """`words`: `words_of(data)`, when at hand (the word and prefix tests are faster on it)."""
    words = words if words is not None else words_of(data)
    return (bool(needles_in(data.lower(), words.lower(), _SECRET_WORDS)) or bool(needles_in(data, words, _TOKEN_PREFIXES))
            or (b"://" in data and _URL_CREDENTIAL_BYTES.search(data) is not None)  # (`:` is no word byte)
            or _TOKEN_RUN in words.translate(_TOKEN_TABLE))


_NAMED_PARENTS = {"variable_declarator": "name", "pair": "key", "assignment_expression": "left",
                  "public_field_definition": "name", "property_signature": "name"}


def may_hold_secrets(source_file: SourceFile) -> bool:
    """Whether `scan` can find anything in this code file (a literal or a comment), from its bytes."""
    return _maybe_secret(source_file.data, source_file.words)


# The engine rules out, unread in the scan pass, a code file this says False of (gathered
# with the facts: the whole repository's code is read in that pass anyway).
GATE = FactsSpec("secrets/code-gate", may_hold_secrets, CODE_KINDS, version=3)


def code_values(source_file: SourceFile) -> Iterator[Value]:
    """String literals in code with the name they are bound to (`const jwtSecret = '…'`,
    `process.env.JWT_SECRET || '…'`, `{ secret: '…' }`, `jwt.sign(payload, '…')`)."""
    if _CANDIDATE_LITERAL.search(source_file.data) is None:
        return
    for literal in typescript.iter_string_literals(source_file.tree.root_node):
        if literal.value is None:  # `postgres://app:…@${host}/app`: its text; no name (a part is no whole value)
            text = _template_text(source_file.data, literal)
            if _maybe_secret(text.encode()):
                yield Value(None, text, literal.start, literal.end, "template literal",
                            example=_in_example(literal.node))
        elif len(literal.value) >= 8:
            yield Value(_bound_name(literal.node), literal.value, literal.start, literal.end, "string literal",
                        example=_in_example(literal.node))


_EXAMPLE_KEYS = frozenset({"example", "examples", "x-example", "x-examples"})


def _in_example(node: typescript.Node) -> bool:
    """Inside the value of an `example:`/`examples:` property (an OpenAPI or JSON-schema
    object in code: `example: [{ secret: 'a3c8…' }]`): documentation of a value's shape."""
    child, parent = node, node.parent
    while parent is not None:
        if parent.type == "pair":
            key = parent.child_by_field_name("key")
            value = parent.child_by_field_name("value")
            if key is not None and value is not None and value.id == child.id:
                if typescript.key_name(key) in _EXAMPLE_KEYS:
                    return True
        elif parent.type in ("function_declaration", "arrow_function", "method_definition", "class_body", "program"):
            return False
        child, parent = parent, parent.parent
    return False


def _template_text(data: bytes, literal: typescript.StringLiteral) -> str:
    """A template's text with each substitution as `${}` (the code in it is no part of a value)."""
    parts, at = [], literal.start
    for child in literal.node.children:
        if child.type == "template_substitution":
            parts += [data[at : child.start_byte], b"${}"]
            at = child.end_byte
    return b"".join([*parts, data[at : literal.end]]).decode("utf-8", "replace")


def _bound_name(node: typescript.Node) -> str | None:
    parent = node.parent
    while parent is not None and parent.type in ("parenthesized_expression", "as_expression", "satisfies_expression"):
        node, parent = parent, parent.parent
    if parent is None:
        return None
    if parent.type == "binary_expression":  # `process.env.JWT_SECRET || 'fallback'`
        operator = parent.child_by_field_name("operator")
        if operator is None or operator.type not in ("||", "??") or parent.child_by_field_name("right") != node:
            return None  # (`typeof info.sessionToken !== 'string'`: a comparison names no value)
        left = parent.child_by_field_name("left")
        if left is not None and left.id != node.id and left.type == "member_expression":
            prop = left.child_by_field_name("property")
            return (prop.text or b"").decode() if prop is not None else None
        return _bound_name(parent)
    if parent.type == "arguments":  # jwt.sign(payload, 'secret'), jwt.verify(token, 'secret')
        call = typescript.member_call(parent.parent) if parent.parent is not None else None
        if call and call.method in ("sign", "verify") and len(call.args) >= 2 and call.args[1].id == node.id:
            return "JWT_SECRET"
        if call and call.method == "default" and call.args and call.args[0].id == node.id:
            return _default_of(call)
        return None
    field = _NAMED_PARENTS.get(parent.type)
    if field is None:
        return None
    name = parent.child_by_field_name(field)
    if name is None or name.id == node.id:
        return None
    if name.type == "member_expression":
        name = name.child_by_field_name("property") or name
    text = typescript.key_name(name)
    if parent.type == "pair" and text == "default" and parent.parent is not None and parent.parent.type == "object":
        return _schema_entry_name(parent.parent)
    return text


def _default_of(call: typescript.MemberCall) -> str | None:
    """The variable a `.default('…')` is the value of when unset: env-var's `env.get('JWT_SECRET')
    .default('…').asString()` (the `get` its chain starts from); a schema's entry, `JWT_SECRET:
    z.string().default('…')` (zod, joi, yup: the name the whole chain is bound to)."""
    receiver: typescript.Node | None = call.object
    while receiver is not None and (inner := typescript.member_call(receiver)) is not None:
        if inner.method == "get" and inner.args:
            return typescript.string_value(inner.args[0])
        receiver = inner.object
    top = call.call  # (through what the chain goes on with: `.default('…').asString()`)
    while top.parent is not None and top.parent.type == "member_expression" and \
            top.parent.parent is not None and top.parent.parent.type == "call_expression":
        top = top.parent.parent
    return _bound_name(top)


def _schema_entry_name(entry: typescript.Node) -> str | None:
    """The variable a schema entry's `default:` is the value of: convict's `env: 'JWT_SECRET'` beside it;
    else the entry's own name (`jwtSecret: { format: String, default: '…' }`, envalid's `JWT_SECRET: str({
    default: '…' })`)."""
    for pair in entry.named_children:
        key = pair.child_by_field_name("key") if pair.type == "pair" else None
        if key is not None and typescript.key_name(key) == "env":
            named = typescript.string_value(pair.child_by_field_name("value"))
            if named:
                return named
    holder = entry.parent
    if holder is not None and holder.type == "arguments" and holder.parent is not None and \
            holder.parent.type in ("call_expression", "new_expression") and holder.named_children and \
            holder.named_children[0].id == entry.id:  # (envalid: `str({ default: '…' })`)
        return _bound_name(holder.parent)
    return _bound_name(entry)


# --- findings ---------------------------------------------------------------------------


def scan(source_file: SourceFile, context: Context) -> Iterator[Finding]:
    yield from _guarded_scan(source_file, context)


def _guarded_scan(source_file: SourceFile, context: Context, across: Across | None = None) -> list[Finding]:
    """The file's findings (`across`: what the other files the run edits say of the values it
    holds too, `finish`)."""
    try:
        found = list(_scan(source_file, context, across))
        keys = list(_commented_keys(source_file))
        if keys:  # a key's lines are one secret: not the BEGIN line's or a body line's finding
            found = [finding for finding in found if not any(
                first <= finding.line <= last for first, last, _finding in keys)] + [key for _f, _l, key in keys]
    except (ParseError, SkipFile):
        raise
    except Exception as error:
        # an error raised while reading values may quote one: never pass its text on, not
        # even to --debug's traceback
        raise RuntimeError(f"{type(error).__name__} while looking for secrets (details withheld: they may "
                           "quote a secret)") from None
    return found


_COMMENT_MARK = rb"[ \t]*(?:#+|//+|\*|;+)[ \t]*"
_COMMENTED_KEY = re.compile(
    rb"^" + _COMMENT_MARK + rb"-----BEGIN (?P<label>(?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----[ \t]*\r?\n"
    rb"(?P<body>(?:" + _COMMENT_MARK + rb"[A-Za-z0-9+/=:, -]*\r?\n)*?)"
    rb"" + _COMMENT_MARK + rb"-----END (?P=label)-----", re.M)


def _commented_keys(source_file: SourceFile) -> Iterator[tuple[int, int, Finding]]:
    """A private key written as comment lines (`# -----BEGIN RSA PRIVATE KEY-----`, its body and
    END line each behind `#` or `//`): one finding at the BEGIN line, naming every body line as
    a secret (each is redacted wherever the file is shown), with its first and last line."""
    data = source_file.data
    if b"PRIVATE KEY" not in data:
        return
    for match in _COMMENTED_KEY.finditer(data):
        body = [re.sub(rb"^" + _COMMENT_MARK, b"", line).strip().decode("ascii")
                for line in match.group("body").splitlines()]
        body = [line for line in body if line and not _PEM_HEADER.match(line)]
        if not body:
            continue
        first = source_file.line_col(match.start())[0]
        last = source_file.line_col(match.end())[0]
        line, col = source_file.line_col(match.start("label") - len(b"-----BEGIN "))
        secrets = tuple(dict.fromkeys(body))
        yield first, last, Finding(
            INFO.id, source_file.path, line, col,
            f"{match.group('label').decode()} ({_shown(secrets)}) in comment lines {first}–{last}: delete them, "
            "and rotate the key", secrets=secrets)


def _judged_values(source_file: SourceFile, known: frozenset[str] = frozenset(),
                   ) -> list[tuple[Value, Secret | DevDefault | None]] | None:
    """Every value of a configuration file (an env file, a compose file, a Dockerfile, a manifest,
    a Helm values file) with its verdict; None for any other file (code: `_code_findings`). One
    verdict per value: a place under a secret's name holding a value some place of the file judges
    a secret (or `known`: the values the run's other files are found to hold) is one too
    (`_same_secret`)."""
    kind = source_file.kind
    if kind == "env":
        values: Iterable[Value] = env_values(source_file)
    elif kind == "compose":
        values = compose_values(source_file)
    elif kind == "dockerfile":
        values = dockerfile_values(source_file)
    elif kind in ("yaml", "json") and (shape := lambda_template(source_file)) is not None:
        values = lambda_values(source_file, shape)
    elif kind == "yaml" and source_file.is_k8s_manifest:
        values = k8s_values(source_file)
    elif kind == "yaml" and is_helm_values(source_file.path):
        values = helm_values(source_file)
    else:
        return None
    if kind != "env":
        values = (part for value in values for part in _settings_lines(source_file, value) or (value,))
    seen: set[tuple[int, int]] = set()
    judged: list[tuple[Value, Secret | DevDefault | None]] = []
    dev = is_dev_only(source_file.path)

    def judged_alone(value: Value, dev: bool) -> Secret | DevDefault | None:
        quoted = source_file.data[value.start : value.start + 1] in (b"'", b'"')
        return judge(value.key, value.value, comment=value.key is None and (kind == "env" or value.block_comment),
                     quoted=quoted, dev=dev)

    for value in values:
        if (value.start, value.end) in seen:
            continue  # a YAML anchor merged into several services
        seen.add((value.start, value.end))
        quoted = source_file.data[value.start : value.start + 1] in (b"'", b'"')
        judged.append((value, _decoded_verdict(value) if value.base64 else
                       _variables_verdict(value.key, value.value, quoted) if value.reference in ("serverless", _SUB) else
                       judged_alone(value, dev)))
    secrets = known | {secret for _value, verdict in judged if isinstance(verdict, Secret) for secret in verdict.values}
    if secrets and dev:  # a local URL's password another place holds as a secret is that secret here too
        judged = [(value, strict if isinstance(verdict, DevDefault) and not value.base64 and value.reference is None
                   and isinstance(strict := judged_alone(value, False), Secret) and secrets & set(strict.values)
                   else verdict) for value, verdict in judged]
    if secrets:
        judged = [(value, verdict if isinstance(verdict, Secret) or value.base64 else
                   _same_secret(value, secrets) or _holding_secret(value, secrets) or verdict)
                  for value, verdict in judged]
    return judged


def _holding_secret(value: Value, secrets: frozenset[str] | set[str]) -> Secret | None:
    """A value holding, inside it, a value another place holds as a secret (a setting's text
    `judge` reads no name in): that secret, replaced where it stands. What the run names as a
    secret is masked in every diff it shows: left in a file the fix writes, the reviewer would see
    it masked there while the branch still commits it. Only a secret that looks generated or
    chosen (`looks_real`), of 8 characters or more, standing apart from the letters and digits
    around it (no chance spelling inside a longer word)."""
    if value.base64 or value.command or value.reference is not None:
        return None
    text = value.value
    inside = [secret for secret in secrets if len(secret) >= 8 and secret in text and secret != text.strip() and
              re.search(rf"(?<![A-Za-z0-9]){re.escape(secret)}(?![A-Za-z0-9])", text) and
              looks_real(secret, password=True)]
    if not inside:
        return None
    inside.sort(key=text.find)
    kind = _name_kind(env_name(value.key)) if value.key and is_secret_name(value.key) else "secret"
    placeholder = f"your-{_kebab(value.key or kind)}"
    return Secret(kind, tuple(inside), tuple((secret, placeholder) for secret in inside))


def _same_secret(value: Value, secrets: frozenset[str] | set[str]) -> Secret | None:
    """A value under a secret's name that `judge` lets pass (`MONGO_INITDB_ROOT_PASSWORD: mailerpass`:
    a single word may name a field) but that another place holds as a secret (the password of
    `MONGO_URL: mongodb://mailer:mailerpass@mongo…`): the same value, so a secret here too. Judged
    apart, the URL would get a placeholder and the database keep the old password (the stack stops
    authenticating), and the value listed for rotation would stay committed. Not a placeholder or a
    well-known default (`postgres`, `guest`: everyone's value, no sign two places share one)."""
    if value.key is None or value.base64:
        return None
    text = value.value.strip()
    default = re.fullmatch(r"\$\{\w+:?-(.*)\}", text, re.S)
    if default:  # `${DB_PASSWORD:-mailerpass}`: the default is the value
        text = default.group(1).strip()
    if text not in secrets or is_placeholder(text) or is_dev_default(text) or is_password_hash(text) or \
            names_a_reference(value.key, text) or not (is_secret_name(value.key) or _detect_secrets_keyword(value.key, text)):
        return None
    return _whole_or_part(value.key, text, text, _name_kind(env_name(value.key)))


def _scan(source_file: SourceFile, context: Context, across: Across | None = None) -> Iterator[Finding]:
    kind = source_file.kind
    if kind in CODE_KINDS:
        yield from _code_findings(source_file)
        return
    judged = _judged_values(source_file, across.known if across is not None else frozenset())
    if judged is None:
        if kind == "yaml" and is_yaml_config(source_file.path) and not is_template(source_file):
            yield from _yaml_config_findings(source_file)
        return
    places = [(value, verdict) for value, verdict in judged if isinstance(verdict, Secret)]
    placeholders = _one_placeholder_each([(value, verdict) for value, verdict in places if _editable(value)])
    if across is not None:  # (the repository's one placeholder for each value other files hold too)
        placeholders.update(across.placeholders)
    findings, _stuck = _secret_findings(source_file, places, placeholders, context, across)
    for value, verdict in judged:
        if isinstance(verdict, Secret):
            yield findings[value.start, value.end]
        elif value.base64:
            found = _encoded_finding(source_file, value)
            if found is not None:
                yield found
        elif isinstance(verdict, DevDefault) and value.key is not None and not is_dev_only(source_file.path) and \
                not (kind == "env" and is_real_env_file(source_file.path)):
            yield _default_finding(source_file, value, verdict, value.label)
    if kind != "env":  # (an env file's comments are among its values: edited like them)
        yield from _comment_findings(source_file, _line_comments(source_file) if kind == "dockerfile" else
                                     _yaml_comments(source_file))


_BLOCK_SETTING = re.compile(
    rb"[ \t]*(?:(?P<comment>#+)[ \t]*)?(?:export[ \t]+)?(?P<key>[A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*(?P<value>.*)")
_BLOCK_QUOTED = re.compile(rb"(['\"])(.*)\1[ \t]*(?:#.*)?$")


def _settings_lines(source_file: SourceFile, value: Value) -> list[Value] | None:
    """A YAML literal block scalar holding dotenv or properties lines (a ConfigMap's `app.env: |`
    with `DB_HOST=postgres`, `STRIPE_SECRET_KEY=…`): each line's value with its own key, as an env
    file's (the outer key's placeholder would name the wrong thing, and take the whole block).
    Its `#` lines are still the value's text (`block_comment`). None when the value is no such
    block: a line that is not `KEY=value` (a script, a certificate, a word) keeps it one value."""
    data = source_file.data
    head = data.find(b"\n", value.start, value.end)
    if value.base64 or head < 0 or not data[value.start : head].lstrip().startswith(b"|"):
        return None  # (a Secret's `data` value: its decoded text is read as settings, `_judge_text`)
    parts: list[Value] = []
    for line in re.finditer(rb"[^\r\n]*", data[head + 1 : value.end]):
        start, end = head + 1 + line.start(), head + 1 + line.end()
        text = line.group().strip()
        if not text:
            continue
        setting = _BLOCK_SETTING.fullmatch(data, start, end)
        if setting is None and not text.startswith(b"#"):
            return None
        if setting is None:  # a free comment line
            lead = start + len(line.group()) - len(line.group().lstrip())
            parts.append(Value(None, text.decode("utf-8", "replace"), lead, end, f"{value.label} comment",
                               block_comment=True))
            continue
        key = setting.group("key").decode()
        at, raw = setting.start("value"), setting.group("value").rstrip()
        quoted = _BLOCK_QUOTED.match(raw)
        if quoted is not None:
            inner, stop = quoted.group(2), at + quoted.end(2) + 1
        else:
            note = re.search(rb"[ \t]#", raw)
            inner = raw[: note.start()].rstrip() if note else raw
            stop = at + len(inner)
        if inner:
            parts.append(Value(key, inner.decode("utf-8", "replace"), at, stop, f"{value.label} {key}",
                               block_comment=bool(setting.group("comment"))))
    return parts if any(not part.block_comment for part in parts) else None


# --- one value, one placeholder ------------------------------------------------------------


@dataclass(frozen=True)
class Across:
    """What the other files a run edits say of the secret values a file holds too (`finish`; held
    in memory for the run, never cached: it holds the values)."""
    placeholders: dict[str, str]  # secret -> the repository's one placeholder for it
    stuck: dict[str, tuple[str, int]]  # secret -> a place (path, line) that cannot take a placeholder
    holders: dict[str, dict[str, set[int]]]  # secret -> path -> the lines of the places that hold it
    known: frozenset[str] = frozenset()  # the values the run's findings name: a secret wherever a file holds one


def _editable(value: Value) -> bool:
    """A place whose secret gets a placeholder (a command line's, a template's `default` and a
    block scalar's `#` line are reported)."""
    return not (value.command or value.template_default or value.block_comment)


def _bare(new: str) -> str:
    """A replacement's placeholder alone: a URL's `:YOUR_DB_PASSWORD@`, or its
    `:${DB_PASSWORD:-YOUR_DB_PASSWORD}@`, is `YOUR_DB_PASSWORD`."""
    return variable_default(new.strip(":@"))[1]


def _one_placeholder_each(places: list[tuple[Value, Secret]]) -> dict[str, str]:
    """Each secret value of one file, and the one placeholder every place holding it gets: the
    first whole value's (`POSTGRES_PASSWORD: …`: `your-postgres-password`), else the first part's
    of a value (a JAAS config's `password="…"`), else the first URL password's
    (`YOUR_REDIS_PASSWORD`). A compose file's database and the services that connect
    to it, or a Secret and a ConfigMap's URL, hold one password: given a placeholder each, the
    stack would no longer agree with itself. A URL's password is compared as its client reads it,
    percent-decoded (`p%40ss` is the server's `p@ss`: `_compared`)."""
    chosen: dict[str, tuple[int, str]] = {}  # secret -> (0 a whole value, 1 a part, 2 a URL's; its bare placeholder)
    for value, verdict in places:
        for old, new in verdict.replacements:
            secret = _secret_of(verdict, old)
            if secret is None:
                continue  # (a URL's host)
            url = old != secret
            rank = 2 if url else 0 if variable_default(value.value.strip())[1].strip() == secret else 1
            secret = _compared(secret, url)
            if secret not in chosen or rank < chosen[secret][0]:
                chosen[secret] = (rank, _bare(new))
    return {secret: bare for secret, (_rank, bare) in chosen.items()}


def _compared(secret: str, url: bool) -> str:
    """A secret as its program reads it: a URL's password percent-decoded."""
    return unquote(secret) if url else secret


def _secret_of(verdict: Secret, old: str) -> str | None:
    """The secret a replacement's old text is (a value, or a URL's `:password@`); None for a host."""
    if old in verdict.values:
        return old
    if old.startswith(":") and old.endswith("@") and variable_default(old[1:-1])[1] in verdict.values:
        return variable_default(old[1:-1])[1]  # (`:${DB_PASSWORD:-…}@`: the default)
    return old if verdict.kind == "private key" else None


def _agreeing(verdict: Secret, placeholders: dict[str, str]) -> Secret:
    """The verdict with each secret's replacement the file's one placeholder for it."""
    replacements = []
    for old, new in verdict.replacements:
        secret = _secret_of(verdict, old)
        if secret is not None and _compared(secret, old != secret) in placeholders:
            bare = placeholders[_compared(secret, old != secret)]
            if old != secret:  # a URL's password, keeping its variable (`:${DB_PASSWORD:-…}@`)
                head, _default, tail = variable_default(old[1:-1])
                bare = f":{head}{bare}{tail}@"
            new = bare
        replacements.append((old, new))
    return _replace(verdict, replacements=tuple(replacements))


def _secret_findings(source_file: SourceFile, places: list[tuple[Value, Secret]], placeholders: dict[str, str],
                     context: Context, across: Across | None = None,
                     ) -> tuple[dict[tuple[int, int], Finding], dict[str, int]]:
    """A finding for each place of a secret, by its span (a Secret's base64 `data` value: judged
    by the text it decodes to); and the secrets some place of the file holds that fixer cannot
    edit, each with that place's line. Every place holding the same secret changes together or
    none does: a command line holding a value that other places hold (of the file, or of another
    file the run edits: `across`) is edited with them (the server and its clients keep agreeing; a
    value only on command lines is reported, its clients are elsewhere), and when one place of a
    value cannot be edited (here, or in another file: `across.stuck`), none of its places is."""
    def reported(value: Value, verdict: Secret) -> Finding:
        if value.base64:
            return _encoded_finding(source_file, value) or _unplaced_finding(source_file, value, verdict, None)
        if value.template_default:
            return _template_default_finding(source_file, value, verdict)
        return _secret_finding(source_file, value, verdict, context)

    if source_file.kind == "env" and is_real_env_file(source_file.path):  # (never edited: it leaves git)
        return {(value.start, value.end): _shipped(value, reported(value, verdict)) for value, verdict in places}, {}
    edited: dict[tuple[int, int], Finding] = {}
    for value, verdict in places:
        if value.base64 and _editable(value):
            edited[value.start, value.end] = _encoded_finding(source_file, value, placeholders) or \
                _unplaced_finding(source_file, value, verdict, None)
        elif _editable(value) or (value.command and source_file.kind != "dockerfile"  # (a RUN's: never, `_run_values`)
                                  and set(verdict.values) <= set(placeholders)):
            edited[value.start, value.end] = _secret_finding(source_file, value, _agreeing(verdict, placeholders),
                                                             context)
    # (a block scalar's `#` line is text no program reads: it keeps no one from agreeing)
    stuck: dict[str, int] = {}  # secret -> the line of a place of this file that cannot take a placeholder
    for value, verdict in places:
        span = (value.start, value.end)
        if (span in edited and not edited[span].changes) or value.template_default or \
                (value.command and source_file.kind == "dockerfile"):  # (a RUN's: never edited, `_run_values`)
            for secret in verdict.values:
                stuck.setdefault(secret, edited[span].line if span in edited else source_file.line_col(span[0])[0])
    elsewhere = {secret: where for secret, where in (across.stuck if across else {}).items()
                 if secret not in stuck and where[0] != source_file.path}
    while True:  # a place left as it is leaves every secret it holds (`AKIA…:<secret>`) as it is
        more = {secret: edited[value.start, value.end].line for value, verdict in places
                if (value.start, value.end) in edited and edited[value.start, value.end].changes
                and (set(stuck) | set(elsewhere)) & set(verdict.values)
                for secret in verdict.values if secret not in stuck and secret not in elsewhere}
        if not more:
            break
        stuck.update(more)
    lines: dict[str, set[int]] = {}  # secret -> the lines of the places that hold it
    for value, verdict in places:
        span = (value.start, value.end)
        for secret in verdict.values:
            lines.setdefault(secret, set()).add(edited[span].line if span in edited else source_file.line_col(span[0])[0])
    found = {}
    for value, verdict in places:
        span = (value.start, value.end)
        if span in edited and edited[span].changes and (set(stuck) | set(elsewhere)) & set(verdict.values):
            where = next((elsewhere[secret] for secret in verdict.values if secret in elsewhere), None)
            found[span] = _unplaced_finding(source_file, value, verdict, edited[span], where)
        elif span in edited and edited[span].changes:
            others = sorted(set().union(*(lines[secret] for secret in verdict.values)))
            there = _other_places(source_file.path, verdict, across)
            if there:
                here = f"line{'s' if len(others) > 1 else ''} {', '.join(map(str, others))}"
                found[span] = _replace(edited[span], message=f"{edited[span].message}, like every place that holds it "
                                       f"({here}; {there}): they still agree")
            else:
                found[span] = edited[span] if len(others) < 2 else _replace(
                    edited[span], message=f"{edited[span].message}, like every place of this file that holds it "
                    f"(lines {', '.join(map(str, others))}): they still agree")
        elif span in edited:
            found[span] = edited[span]
        elif value.command:
            found[span] = _command_finding(source_file, value, verdict)
        else:
            found[span] = reported(value, verdict)
        found[span] = _shipped(value, found[span])
    return _declared_together(source_file, found), stuck


def _shipped(value: Value, finding: Finding) -> Finding:
    """A secret under a browser bundle's prefix (`NEXT_PUBLIC_ADMIN_TOKEN`): what the finding
    does (a placeholder for the committed value) leaves the name, and the framework inlines
    whatever value it is given into the code every visitor downloads. The finding says so."""
    match = _BROWSER_PREFIX.match(env_name(value.key)) if value.key else None
    if match is None:
        return finding
    prefix, framework = match.group(0), _BROWSER_FRAMEWORK[match.group("framework")]
    return _replace(finding, message=f"{finding.message}; {framework} inline{'' if ' and ' in framework else 's'} "
                    f"`{prefix}` variables into the code shipped to browsers and apps: whatever value this one is "
                    "set to, anyone who loads the site or app can read it (this fix cannot make it private): rotate "
                    "it, and read it only in server code, under a name without the prefix")


def _other_places(path: str, verdict: Secret, across: Across | None) -> str:
    """Where the other files the run edits hold the verdict's secrets (`env.template line 3;
    k8s/app.yaml lines 4, 9`); empty when none does."""
    if across is None:
        return ""
    by_path: dict[str, set[int]] = {}
    for secret in verdict.values:
        for other, numbers in across.holders.get(secret, {}).items():
            if other != path:
                by_path.setdefault(other, set()).update(numbers)
    return "; ".join(f"{other} line{'s' if len(numbers) > 1 else ''} {', '.join(map(str, sorted(numbers)))}"
                     for other, numbers in sorted(by_path.items()))


def _unplaced_finding(source_file: SourceFile, value: Value, verdict: Secret, candidate: Finding | None,
                      elsewhere: tuple[str, int] | None = None) -> Finding:
    """A place whose value another place of the file holds and fixer cannot edit (`candidate`: the
    edit it would have had; a Secret's `data`: its base64 text is what is named and redacted), or
    another file does (`elsewhere`: that place's path and line)."""
    if value.command and candidate is not None and elsewhere is None:
        return _command_finding(source_file, value, verdict)
    raw = source_file.data[value.start : value.end].decode("utf-8", "replace")
    if value.base64:
        label, shown = f"{value.label} (base64)", tuple(dict.fromkeys(value.value.split()))
        secrets = shown
    else:
        label, shown = value.label, verdict.values
        secrets = tuple(dict.fromkeys(verdict.values + _raw_forms(raw, value, verdict.values)))
    line, col = (candidate.line, candidate.col) if candidate is not None else \
        source_file.line_col(value.start + len(raw[: max(raw.find(shown[0]), 0)].encode()))
    holder = "this file holds in another place" if elsewhere is None else \
        f"{elsewhere[0]} holds too (line {elsewhere[1]}), in a place"
    return Finding(INFO.id, source_file.path, line, col,
                   f"{label}: {verdict.kind} ({_shown(shown)}), a value {holder} fixer cannot "
                   "edit: replace every place of it by hand (together, or the services that share it stop agreeing), "
                   "and rotate it", secrets=secrets)


def _secret_finding(source_file: SourceFile, value: Value, verdict: Secret, context: Context) -> Finding:
    raw = source_file.data[value.start : value.end].decode("utf-8", "replace")
    first = raw.find(verdict.values[0])
    if verdict.kind == "private key" and verdict.replacements:  # at the key's BEGIN line, not its first body line
        first = raw.find(verdict.replacements[0][0].split("\n")[0])
    line, col = source_file.line_col(value.start + len(raw[: max(first, 0)].encode()))
    shown = _shown(verdict.values)
    # (the file's own spelling too: what a diff shows and what history holds)
    secrets = tuple(dict.fromkeys(verdict.values + _raw_forms(raw, value, verdict.values)))
    path = source_file.path
    if isinstance(source_file, NotUtf8File):  # (read as Latin-1: never edited)
        leave = " (then `git rm --cached` the file and ignore it: it holds a deployment's values)" if \
            source_file.kind == "env" and is_real_env_file(path) and path in context.tracked else ""
        return Finding(INFO.id, path, line, col,
                       f"{value.label}: {verdict.kind} ({shown}) in a file fixer reads but does not edit: it is not "
                       f"UTF-8 ({source_file.where}); replace the value by hand{leave}, and rotate it", secrets=secrets)
    if source_file.kind == "env" and is_real_env_file(path):
        built = [copy for copy in context.built if copy.path == path]
        if path in context.tracked and built:
            where = ", ".join(f"{copy.dockerfile}:{copy.line}: `{copy.cmd} {copy.source}`" for copy in built)
            return Finding(INFO.id, path, line, col,
                           f"{value.label}: {verdict.kind} ({shown}) in an env file git tracks and the image build "
                           f"copies ({where}): left in git, since untracked it would fail `docker build` on every "
                           "clean checkout; give the container its values at run time (`docker run --env-file`, "
                           "compose `env_file:`, the orchestrator's secrets), drop the COPY, then `git rm --cached` "
                           "the file and ignore it, and rotate the value (images built from it hold it)",
                           secrets=secrets)
        if path in context.tracked:
            read = [entry for entry in context.read_by if entry.path == path]
            needs = ""
            if read:  # (kept optional or pointed at a template, a deploy would start without its values: no edit)
                where = ", ".join(f"{e.compose}:{e.line}: {e.service} `env_file: {e.written}`" for e in read)
                needs = (f"; compose requires it ({where}): on every clean checkout (CI, the deploy box) `docker "
                         "compose` now fails with \"env file not found\" until the file is put there from your secret "
                         "store or CI's secrets (a developer makes it from the env template, if the repository has one)")
            return Finding(INFO.id, path, line, col,
                           f"{value.label}: {verdict.kind} ({shown}) in an env file git tracks; the file leaves git "
                           "and is ignored from now on (copy it aside before checking out or merging the fix: "
                           f"git deletes a file a commit untracks){needs}", (Untrack(path),), secrets=secrets)
        return Finding(INFO.id, path, line, col,
                       f"{value.label}: {verdict.kind} ({shown}) in an env file git does not ignore; "
                       f"added to {GITIGNORE}", secrets=secrets)
    if value.block_comment or _in_block_comment_line(raw, value, verdict):
        return Finding(INFO.id, path, line, col,
                       f"{value.label}: {verdict.kind} ({shown}) on a `#` line of a block scalar (text of the value, "
                       "not a comment): delete the line, and rotate it", secrets=secrets)
    if value.reference is not None:
        return _reference_finding(source_file, value, raw, verdict, (line, col), secrets)
    edits = _placeholder_edits(source_file, value, raw, verdict)
    if edits is not None and any(_overlaps(_template_actions(source_file), edit.start, edit.end) for edit in edits):
        edits = None  # a template action's text is the chart's code: never edited
    if edits is None:
        return Finding(INFO.id, path, line, col,
                       f"{value.label}: {verdict.kind} ({shown}); fixer cannot place a placeholder here exactly: "
                       "replace the value by hand and rotate it", secrets=secrets)
    after = " and ".join(dict.fromkeys(new.strip(":@") for _old, new in verdict.replacements))
    where = " (pass it at run time; never bake it into the image)" if source_file.kind == "dockerfile" else ""
    return Finding(INFO.id, path, line, col,
                   f"{value.label}: {verdict.kind} ({shown}) replaced with {after}{where}", tuple(edits),
                   secrets=secrets)


def _in_block_comment_line(raw: str, value: Value, verdict: Secret) -> bool:
    """A secret on a `# KEY=…` line of a YAML block scalar (`LOG_LEVEL: |`): the line is part of
    the outer value, whose key's placeholder would name the wrong thing and change that value;
    reported, not edited (as a private key in a block scalar is)."""
    if raw.lstrip()[:1] not in ("|", ">"):
        return False
    lines = value.value.splitlines()
    return any(line.lstrip().startswith("#") for secret in verdict.values for line in lines if secret in line)


# --- a Secret's `data:` values (base64) -----------------------------------------------

_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")


def _decoded_bytes(written: str) -> bytes | None:
    """The bytes a Secret's `data` value encodes (standard base64, padded, as the API server
    reads it; line breaks and spaces inside ignored); None when it is no base64."""
    compact = re.sub(r"\s+", "", written)
    if not compact or len(compact) % 4 or not _BASE64.fullmatch(compact):
        return None
    try:
        return b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        return None


def _decoded(written: str) -> str | None:
    """That value's text; None when it is no base64 or not text (a DER certificate, a keystore,
    random bytes: control characters or no UTF-8)."""
    payload = _decoded_bytes(written)
    if payload is None:
        return None
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if any((ch < " " and ch not in "\t\r\n") or ch == "\x7f" for ch in text) else text


_TEXT_SETTING = re.compile(r"[ \t]*(?:export[ \t]+)?(?P<key>[A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*(?P<value>.*?)[ \t\r]*")


def _decoded_verdict(value: Value) -> Secret | None:
    """A Secret's `data` value's verdict on the text it decodes to (its secrets: decoded values,
    what the file's other places may hold in plain text)."""
    text = _decoded(value.value)
    verdict = _judge_text(value.key, text)[0] if text is not None else None
    return verdict if isinstance(verdict, Secret) else None


def _judge_text(key: str | None, text: str, placeholders: dict[str, str] | None = None,
                ) -> tuple[Secret | DevDefault | None, str | None]:
    """A decoded value judged as any other (`judge`), and the text with its placeholders in
    (None: no exact place for one). Text of several `KEY=value` lines (a Secret made with
    `--from-env-file`, `.env: <base64>`) is read line by line, as an env file: each line's
    key names its value, and only `#` lines may stand between them. Text that is JSON (a
    `kubernetes.io/dockerconfigjson` Secret's `.dockerconfigjson`, a service account's key file) is
    read by its string values (`json_strings`), each judged under its key and replaced inside its
    quotes; a string that encodes a secret found beside it (base64 of `user:password`, the
    `auth` of a docker config) is that secret too. The result must still be JSON, or it has no
    exact place (reported)."""
    lines = [(match.start(), match.group()) for match in re.finditer(r"[^\n]*", text) if match.group().strip()]
    settings = [_TEXT_SETTING.fullmatch(line) for _at, line in lines]
    parts: list[tuple[str | None, int, str]] = []  # (key, offset of the value in the text, the value)
    strings = _json_text_strings(text)
    if strings is not None:
        parts = strings
    elif len(lines) > 1 and all(setting or line.lstrip().startswith("#") for (_at, line), setting in zip(lines, settings)):
        for (at, _line), setting in zip(lines, settings):
            if setting is None:
                continue
            written, start = setting.group("value"), at + setting.start("value")
            note = re.search(r"[ \t]#", written)
            if len(written) >= 2 and written[0] == written[-1] and written[0] in "'\"":
                written, start = written[1:-1], start + 1
            elif note is not None:
                written = written[: note.start()].rstrip()
            parts.append((setting.group("key"), start, written))
    else:
        parts = [(key, 0, text)]
    secrets: list[Secret] = []
    new, cursor, placed = [], 0, True
    verdicts = [judge(part_key, written) for part_key, _start, written in parts]
    known = {secret for verdict in verdicts if isinstance(verdict, Secret) for secret in verdict.values}
    for number, (part_key, start, written) in enumerate(parts):
        verdict = verdicts[number]
        if len(parts) == 1 and isinstance(verdict, DevDefault):
            return verdict, None
        if verdict is None and strings is not None and known and _encodes_one_of(written, known):
            verdict = _whole_or_part(part_key, written, written, "encoded credentials")
        if not isinstance(verdict, Secret):
            continue
        if placeholders:  # (the file's one placeholder for each value, `_one_placeholder_each`)
            verdict = _agreeing(verdict, placeholders)
        secrets.append(verdict)
        at = 0
        for old, placeholder in verdict.replacements:
            found = written.find(old, at)
            if found < 0:
                placed = False
                break
            new += [text[cursor : start + found], placeholder]
            cursor, at = start + found + len(old), found + len(old)
    if not secrets:
        return None, None
    merged = Secret(", ".join(dict.fromkeys(s.kind for s in secrets)), tuple(v for s in secrets for v in s.values),
                    tuple(r for s in secrets for r in s.replacements))
    result = "".join(new) + text[cursor:] if placed else None
    if result is not None and _is_json(text) and not _is_json(result):
        result = None  # (a replacement that would break the JSON: reported instead)
    return merged, result


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _json_text_strings(text: str) -> list[tuple[str | None, int, str]] | None:
    """A JSON object's or array's string values (`json_strings`), each as (its key, the offset of
    its text inside the quotes, that text as written); None when the text is no JSON object or array."""
    if not text.lstrip().startswith(("{", "[")):
        return None
    data = text.encode("utf-8")
    try:
        strings = list(json_strings(data))
    except ValueError:
        return None
    return [(place.rsplit(".", 1)[-1], len(data[: start + 1].decode("utf-8")), data[start + 1 : end - 1].decode("utf-8"))
            for place, _string, start, end in strings] or None  # (no keyed string, `["…"]`: judged whole)


def _encodes_one_of(written: str, secrets: set[str]) -> bool:
    """Whether a value is the base64 of text holding one of these secrets (`user:password`)."""
    decoded = _decoded(written) if len(written) >= 8 else None
    return decoded is not None and any(secret in decoded for secret in secrets if len(secret) >= 6)


def _encoded_finding(source_file: SourceFile, value: Value, placeholders: dict[str, str] | None = None,
                     ) -> Finding | None:
    """A Secret's `data:` value, decoded and judged as a `stringData` value is (base64 is an
    encoding, not encryption: whoever reads the file reads the secret). Consistently with
    `stringData`, the value becomes the base64 of the same placeholder (`your-db-password`: kubectl
    applies it as it would the plain one), written in the value's place; a value over several
    lines, or a template's `default`, is reported, not edited (no exact place for one line). What
    the finding names as the secret, redacts and looks for in history is the base64 text the
    file holds (the decoded value is in no file, no diff and no commit). No base64 (kubectl
    rejects it) is no finding; bytes that are no text are one only under a secret's name (`tls.key`
    as DER, a random `ENCRYPTION_KEY`), reported: a certificate (`tls.crt`, `ca.crt`) is none."""
    path, data = source_file.path, source_file.data
    raw = data[value.start : value.end].decode("utf-8", "replace")
    inner, offset = raw, 0
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        inner, offset = raw[1:-1], 1
    payload = _decoded_bytes(value.value)
    if payload is None:
        return None
    text = _decoded(value.value)
    label = f"{value.label} (base64)"
    spelled = tuple(dict.fromkeys(value.value.split()))  # (a block scalar's lines: each as the file holds it)
    line, col = source_file.line_col(value.start + len(raw[: max(raw.find(spelled[0]), 0)].encode()))
    if text is None:
        if value.key is None or not is_secret_name(value.key) or len(payload) < 16:
            return None
        verdict: Secret | DevDefault | None = Secret(f"binary {_name_kind(env_name(value.key))}", (), ())
        new_text = None
    else:
        verdict, new_text = _judge_text(value.key, text, placeholders)
    if isinstance(verdict, DevDefault):
        if value.key is None or is_dev_only(path):
            return None
        return _default_finding(source_file, value, verdict, label, (line, col))
    if not isinstance(verdict, Secret):
        return None
    shown = _shown(spelled)
    if value.template_default:
        return Finding(INFO.id, path, line, col,
                       f"{label}: {verdict.kind} ({shown}) as a template's `default`, rendered whenever the value "
                       "is not set: drop the default (`required` fails the install instead), set the value at "
                       "deploy time, and rotate it", secrets=spelled)
    if text is None:
        return Finding(INFO.id, path, line, col,
                       f"{label}: {verdict.kind} ({shown}), bytes that are no text under a secret's name; fixer writes "
                       "no placeholder for it: replace the value by hand (the base64 of a placeholder) and rotate "
                       "it", secrets=spelled)
    if new_text is None or len(spelled) != 1 or spelled[0] != inner:
        return Finding(INFO.id, path, line, col,
                       f"{label}: {verdict.kind} ({shown}); fixer cannot place a placeholder here exactly: replace "
                       "the value by hand (the base64 of a placeholder) and rotate it", secrets=spelled)
    start = value.start + len(raw[:offset].encode())
    edit = Edit(path, start, start + len(inner.encode()), b64encode(new_text.encode("utf-8")).decode("ascii"))
    after = " and ".join(f"`{new.strip(':@')}`" for new in dict.fromkeys(new for _old, new in verdict.replacements))
    return Finding(INFO.id, path, line, col,
                   f"{label}: {verdict.kind} ({shown}) replaced with the base64 of {after}", (edit,), secrets=spelled)


def _default_finding(source_file: SourceFile, value: Value, verdict: DevDefault, label: str,
                     at: tuple[int, int] | None = None) -> Finding:
    """A well-known default (`postgres`, `SECRET`) where it is no secret to rotate (anyone knows it).
    In an env template or a compose file: a note (a local stack's; production sets its own). In a
    Dockerfile: reported, as the image ships with it to production (an `ENV`'s is the container's
    environment; an `ARG`'s, every build's that sets none). In a Kubernetes manifest or a Helm chart (a manifest, its values, its templates): what a
    cluster runs as it is, wherever it is applied (a `dev`/`local` path aside, `is_dev_only`):
    reported, for a human to set a password of its own from a Secret."""
    line, col = at or source_file.line_col(value.start)
    shown = f"{label}: {verdict.kind} `{verdict.shown}`"
    if source_file.kind == "dockerfile":  # an image is built once and runs as it is wherever it ships
        if label.startswith("ARG "):
            return Finding(INFO.id, source_file.path, line, col,
                           f"{shown}, the build's default, which every build without `--build-arg` uses, and which "
                           "the image's history keeps where a step uses it: drop the default, and pass the password "
                           "at run time (`docker run -e`, compose `environment:`, a Secret)", severity="low")
        return Finding(INFO.id, source_file.path, line, col,
                       f"{shown}, baked into the image, which runs with it wherever it ships, production too (an "
                       "image is no local stack): drop the `ENV` default, and give the container its own password "
                       "at run time (`docker run -e`, compose `environment:`, a Secret)", severity="low")
    if source_file.kind != "yaml":
        return Finding(INFO.id, source_file.path, line, col,
                       f"{shown}; fine for a local stack, make sure production sets its own", severity="info")
    if value.reference is not None:  # a Lambda's environment: what the stack deploys, to AWS
        how = "`${env:NAME}` set where `serverless deploy` runs" if value.reference == "serverless" else \
            "a `NoEcho` parameter (`!Ref`) or `{{resolve:secretsmanager:…}}`"
        return Finding(INFO.id, source_file.path, line, col,
                       f"{shown}, deployed with the function as it is (a Lambda is no local stack): give it a password "
                       f"of its own, read from the deploy's secrets ({how})", severity="low")
    if value.command:
        how = "give the container its own password in a Secret and pass it as `$(VAR)` of an `env` entry " \
              "read from it (`valueFrom.secretKeyRef`)"
    elif value.base64 or label.startswith("Secret "):
        how = "create the Secret with a password of its own, outside git (`kubectl create secret`, a secret manager)"
    elif source_file.is_k8s_manifest or is_template(source_file):
        how = "read it from a Secret holding a password of its own (`valueFrom.secretKeyRef`)"
    else:
        how = "make the chart require it at install time (an existing Secret, `--set` from a secret store)"
    return Finding(INFO.id, source_file.path, line, col,
                   f"{shown}, deployed as it is wherever this is applied (a cluster is no local stack): {how}",
                   severity="low")


def _command_finding(source_file: SourceFile, value: Value, verdict: Secret) -> Finding:
    raw = source_file.data[value.start : value.end].decode("utf-8", "replace")
    line, col = source_file.line_col(value.start + len(raw[: max(raw.find(verdict.values[0]), 0)].encode()))
    how = "`$(VAR)` of an `env` entry read from a Secret, `valueFrom.secretKeyRef`" if source_file.kind == "yaml" \
        else "`${VAR}` set in an untracked .env"
    if source_file.kind == "dockerfile":  # (a build step's: in the Dockerfile and in the image layer)
        return Finding(INFO.id, source_file.path, line, col,
                       f"{value.label}: {verdict.kind} ({_shown(verdict.values)}) in a build step, committed and baked "
                       "into the image layer: pass it as a BuildKit build secret (`RUN --mount=type=secret,id=… …` "
                       "reading /run/secrets/…, `docker build --secret id=…,src=…`), and rotate it",
                       secrets=tuple(dict.fromkeys(verdict.values)))
    return Finding(INFO.id, source_file.path, line, col,
                   f"{value.label}: {verdict.kind} ({_shown(verdict.values)}) on a command line: pass it from the "
                   f"environment ({how}), and rotate it",
                   secrets=tuple(dict.fromkeys(verdict.values)))


def _template_default_finding(source_file: SourceFile, value: Value, verdict: Secret) -> Finding:
    line, col = source_file.line_col(value.start)
    return Finding(INFO.id, source_file.path, line, col,
                   f"{value.label}: {verdict.kind} ({_shown(verdict.values)}) as a template's `default`, rendered "
                   "whenever the value is not set: drop the default (`required` fails the install instead), set the "
                   "value at deploy time, and rotate it", secrets=tuple(dict.fromkeys(verdict.values)))


def _shown(values: tuple[str, ...]) -> str:
    """Masked values for a message; a key's many body lines as the first and a count."""
    more = f" and {len(values) - 1} more lines" if len(values) > 3 else ""
    return ", ".join(mask(v) for v in (values[:1] if more else values)) + more


def _placeholder_edits(source_file: SourceFile, value: Value, raw: str, verdict: Secret) -> list[Edit] | None:
    """Each (old, new) of the verdict, found in the raw text in order; None if one is not there
    verbatim (an escape inside it, say; a line break written `\\n` is the one escape looked for)."""
    edits, cursor = [], 0
    for old, new in verdict.replacements:
        at = raw.find(old, cursor)
        if at < 0 and "\n" in old:  # the file's line breaks (a parser reads CRLF as "\n"), or `\n` escapes
            old = next((spelled for spelled in (old.replace("\n", "\r\n"), old.replace("\n", "\\n"))
                        if raw.find(spelled, cursor) >= 0), old)
            at = raw.find(old, cursor)
        if at < 0:
            return None
        start = value.start + len(raw[:at].encode())
        edits.append(Edit(source_file.path, start, start + len(old.encode()), new))
        cursor = at + len(old)
    return edits


def _raw_forms(raw: str, value: Value, secrets: Iterable[str] = ()) -> tuple[str, ...]:
    """When the file spells a value with escapes, that spelling too (redacted, and looked for in
    git history). A spelling over several lines (`"Kd7T…\\` and its next line, a YAML line
    continuation): each line's part of it, as a key's body lines are (a diff shows lines), when
    a secret is not in the text as it is."""
    inner = raw.strip().strip("'\"")
    if secrets and all(secret in raw for secret in secrets):
        return ()  # (each secret as it is: a block scalar's lines, a command line that holds a password among its words)
    if "\n" not in inner:
        return (inner,) if inner and inner != value.value else ()
    pieces = (line.strip().strip("'\"").removesuffix("\\").strip() for line in inner.splitlines())
    return tuple(dict.fromkeys(piece for piece in pieces if piece))


# names that hold what a service signs sessions, cookies or tokens with (`SESSION_SECRET`, `jwt.secret`,
# `cookieSecret`, passport-jwt's `secretOrKey`): a literal there is what every forged session or token needs
_SIGNING_NAME = re.compile(r"(?:^|_)(?:JWT|SESSION|SESSIONS|COOKIE|COOKIES)(?:_|$)|^SECRET_OR_(?:PRIVATE_)?KEY$")
# a session, cookie or JWT library's option object or argument (`session({ secret })`, `cookieParser('…')`,
# `JwtModule.register({ secret })`, `fastify.register(require('@fastify/jwt'), { secret })`)
_SIGNING_CALL = re.compile(r"(?i)session|cookie|jwt")
_SIGNING_KEYS = frozenset({"secret", "secrets", "keys"})
# what names a value kept elsewhere rather than holding it: `${SESSION_SECRET}`, `SESSION_SECRET` (node-config's
# custom-environment-variables), `{{ .Values.x }}`, `%(x)s`
_REFERENCE_VALUE = re.compile(r"\$\{?\w+\}?|\{\{.*\}\}|%\(?\w+\)?s?|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+", re.S)
# the samples libraries' READMEs sign with (express-session's `keyboard cat`, jsonwebtoken's `shhhhh`, express-jwt's
# `shhhhhhared-secret`), copied as they are into services: public, so anyone can forge what they sign
_SAMPLE_SECRETS = frozenset({"keyboard cat", "shhhhh", "shhhhhhared-secret", "supersecret", "mysecret", "topsecret",
                             "secretkey", "secret-key", "secret_key", "mysecretkey", "my-secret", "jwtsecret",
                             "jwt-secret", "jwt_secret", "sessionsecret", "session-secret", "session_secret"})


def signing_secret_kind(name: str | None) -> str | None:
    """`session secret` for `SESSION_SECRET`/`session.secret`/`cookieSecret`, `JWT secret` for `JWT_SECRET`/
    `jwt.secret`/`secretOrKey`: a name that holds what the service signs with; else None."""
    if not name:
        return None
    key = env_name(name)
    if not _SIGNING_NAME.search(key) or not (is_secret_name(key) or key.startswith("SECRET_OR_")):
        return None
    return "session secret" if re.search(r"SESSION|COOKIE", key) else "JWT secret"


def _signing_literal(value: str) -> bool:
    """Whether a value under a signing secret's name is one the service signs with: any text but
    a reference to one kept elsewhere (`${SESSION_SECRET}`, an environment variable's name)."""
    value = value.strip()
    return bool(value) and not _REFERENCE_VALUE.fullmatch(value)


def _public_sample(value: str) -> bool:
    """A signing secret anyone knows: a README's sample (`keyboard cat`), a placeholder, a default."""
    return _known_sample(value) or (_word_like(value.strip()) and len(value.strip()) <= 24)


def _signing_literals(source_file: SourceFile) -> Iterator[tuple[typescript.StringLiteral, str, str]]:
    """The string literals of the code that a session, cookie or JWT library signs with: bound to a
    signing secret's name (`const JWT_SECRET = '…'`, `process.env.SESSION_SECRET || '…'`, `jwt.sign(payload,
    '…')`), or the `secret`/`keys` of a session, cookie or JWT library's options (`session({ secret: '…' })`,
    `cookieSession({ keys: ['…'] })`), or a cookie parser's argument (`cookieParser('…')`): (the literal,
    the kind, the name)."""
    for literal in typescript.iter_string_literals(source_file.tree.root_node):
        if literal.value is None or not _signing_literal(literal.value):
            continue
        node = literal.node
        if node.parent is not None and node.parent.type == "array":  # `keys: ['…', '…']`
            node = node.parent
        name = _bound_name(node)
        kind = signing_secret_kind(name)
        if kind is not None and _word_like(literal.value.strip()) and _in_a_table(node, literal.value):
            continue  # a table keyed by setting names (Ghost's `admin_session_secret: 'core'`: its group), not a secret
        if kind is None:
            kind = _signing_option(source_file.data, node, name)
        if kind is not None:
            yield literal, kind, name or "secret"


def _in_a_table(node: typescript.Node, value: str) -> bool:
    """Whether a word is the value of an object's property that is a table's, not a secret: another property
    has the same value (`{ admin_session_secret: 'core', db_hash: 'core' }`: a category), or it is no known
    sample or placeholder and other properties are beside it (`{ theme_session_secret: 'site', title: … }`)."""
    pair = node.parent
    if pair is None or pair.type != "pair" or pair.parent is None:
        return False
    key = pair.child_by_field_name("key")
    if key is not None and typescript.key_name(key) == "default":
        return False  # a schema entry's `default:` (convict's, beside `doc:` and `env:`): the value the variable gets
    others = [child.child_by_field_name("value") for child in pair.parent.named_children
              if child.type == "pair" and child.id != pair.id]
    return any(other is not None and typescript.string_value(other) == value for other in others) or (
        bool(others) and not _known_sample(value))


def _known_sample(value: str) -> bool:
    """A README's sample secret (`keyboard cat`), a placeholder or a development default."""
    value = value.strip()
    return value.lower() in _SAMPLE_SECRETS or is_placeholder(value) or is_dev_default(value)


def _signing_option(data: bytes, node: typescript.Node, name: str | None) -> str | None:
    """The kind of secret a literal is as a session, cookie or JWT library's option or argument, else None."""
    holder = node.parent
    if name in _SIGNING_KEYS and holder is not None and holder.type == "pair":
        holder = holder.parent  # the object
        if holder is None or holder.type != "object":
            return None
        holder = holder.parent
    if holder is None or holder.type != "arguments" or holder.parent is None or holder.parent.type not in (
            "call_expression", "new_expression"):
        return None
    call = holder.parent
    callee = data[call.start_byte:holder.start_byte].decode("utf-8", "replace")
    before = data[holder.start_byte:node.start_byte].decode("utf-8", "replace")  # (`register(require('@fastify/jwt'), {`)
    found = _SIGNING_CALL.search(callee) or _SIGNING_CALL.search(before)
    if found is None or (name is None and not re.search(r"(?i)cookie_?parser\s*$", callee)):  # (`cookieParser('…')`)
        return None
    return "JWT secret" if found.group(0).lower() == "jwt" else "session secret"


def _code_findings(source_file: SourceFile) -> Iterator[Finding]:
    if not may_hold_secrets(source_file):
        return
    test = is_test(source_file.path)
    reported: set[int] = set()
    for value in code_values(source_file):
        if test or value.example:
            # a test's credentials are fixtures and an API schema's `example:` is documentation: only a
            # value's own shape (a token, a private key, a URL password on a real host) makes it a secret
            # there, never the name it is bound to (`secret: '*:*.some-random-string'`)
            verdict = judge(None, value.value, comment=True)
        else:
            verdict = judge(value.key, value.value, code=True)
        if not isinstance(verdict, Secret):
            continue
        line, col = source_file.line_col(value.start)
        name = f"{env_name(value.key)}: " if value.key else ""
        shown = ", ".join(mask(v) for v in verdict.values)
        secrets = tuple(dict.fromkeys(verdict.values))
        if value.label != "template literal":  # (a template's text is its own spelling)
            secrets += _raw_forms(source_file.data[value.start:value.end].decode("utf-8", "replace"), value, verdict.values)
        if verdict.kind == "JSON Web Token" and is_test(source_file.path):
            # a test's token is nearly always a sample signed with a test key; a real one is still a leak
            yield Finding(INFO.id, source_file.path, line, col,
                          f"{name}{verdict.kind} ({shown}) in a test file: if it is a real token (not a sample), "
                          "rotate the key that signed it", severity="low", secrets=secrets)
            continue
        reported.add(value.start)
        yield Finding(INFO.id, source_file.path, line, col,
                      f"{name}hardcoded {verdict.kind} ({shown}) in source code: read it from the environment with "
                      "no default (fail at start-up when it is missing), and rotate it", secrets=secrets)
    if not test:
        for literal, kind, bound in _signing_literals(source_file):
            if literal.start in reported or _in_example(literal.node):
                continue
            line, col = source_file.line_col(literal.start)
            yield _signing_finding(source_file.path, line, col, f"{env_name(bound)}: hardcoded {kind}",
                                   literal.value or "", "in source code: read it from the environment with no default "
                                   "(fail at start-up when it is missing)")
    yield from _comment_findings(source_file, _code_comments(source_file))


def _signing_finding(path: str, line: int, col: int, what: str, value: str, how: str) -> Finding:
    """A signing secret written where the service reads it: a published sample or placeholder is shown (anyone
    knows it, and a word such as `secret` masked in every diff would hide nothing); any other is masked, to rotate."""
    if _public_sample(value):
        return Finding(INFO.id, path, line, col,
                       f"{what} (`{value.strip()}`, a published sample, a placeholder or plain words: anyone can "
                       f"guess it and forge the {'tokens' if 'JWT' in what else 'sessions'} it signs) {how}, and sign "
                       "with a generated one")
    return Finding(INFO.id, path, line, col, f"{what} ({mask(value)}) {how}, and rotate it",
                   secrets=(value,))


# --- comments ----------------------------------------------------------------------------


def _comment_findings(source_file: SourceFile, comments: Iterable[tuple[int, int]]) -> Iterator[Finding]:
    """A secret in a comment of code, a compose file, a manifest or a Dockerfile: reported (it does
    nothing where it is: delete it), named for rotation, and redacted wherever the file is shown."""
    for start, end in comments:
        reported: set[str] = set()
        for value in _comment_values(source_file, start, end):
            verdict = judge(value.key, value.value, comment=True)
            if not isinstance(verdict, Secret) or set(verdict.values) <= reported:
                continue  # (the text and a word of it: one secret)
            reported |= set(verdict.values)
            raw = source_file.data[value.start : value.end].decode("utf-8", "replace")
            at = value.start + len(raw[: max(raw.find(verdict.values[0]), 0)].encode())
            line, col = source_file.line_col(at)
            name = f"{env_name(value.key)}: " if value.key not in (None, "PASSWORD") else ""
            low = verdict.kind == "JSON Web Token" and is_test(source_file.path)  # (as in a test's code)
            if _given_as_example(source_file.data, at):
                yield Finding(INFO.id, source_file.path, line, col,
                              f"{name}{verdict.kind} ({_shown(verdict.values)}) in a comment that gives it as an "
                              "example: if it is a real one (not a sample), delete it, and rotate it",
                              severity="low", secrets=tuple(dict.fromkeys(verdict.values)))
                continue
            yield Finding(INFO.id, source_file.path, line, col,
                          f"{name}{verdict.kind} ({_shown(verdict.values)}) in a comment: delete it, and rotate it",
                          severity="low" if low else None, secrets=tuple(dict.fromkeys(verdict.values)))


_INTRODUCES_AN_EXAMPLE = re.compile(rb"\b(?:for (?:example|instance)|e\.\s?g\.|example:)", re.I)
_COMMENT_LINE = re.compile(rb"[ \t]*(?://|#|/?\*)")
_EXAMPLE_LINES_ABOVE = 8


def _given_as_example(data: bytes, at: int) -> bool:
    """A comment's secret that the comment introduces as an example: `For example:`, `e.g.`,
    `example:` before it on its line or on the comment lines right above it (Sails' generated
    config: `// For example:` … `// sails_session__url=redis://admin:myc00lpAssw2D@bigsquid…`).
    Documentation, nearly always; a real one pasted as the example is still a leak: reported at low
    severity, as a question."""
    start = data.rfind(b"\n", 0, at) + 1
    if _INTRODUCES_AN_EXAMPLE.search(data, start, at):
        return True
    for _ in range(_EXAMPLE_LINES_ABOVE):
        if start == 0:
            return False
        end, start = start - 1, data.rfind(b"\n", 0, start - 1) + 1
        if not _COMMENT_LINE.match(data, start, end):
            return False  # (the comment's run of lines ends: code or a blank line)
        if _INTRODUCES_AN_EXAMPLE.search(data, start, end):
            return True
    return False


def _comment_values(source_file: SourceFile, start: int, end: int) -> Iterator[Value]:
    """Its text, judged with no key (a token's or a URL's shape is enough; a word beside a value
    is no name for it), then the values a name or a flag in it does name: `KEY: value` (a
    commented-out YAML entry), `# ENV JWT_SECRET=…`, `# redis-cli -a … ping`."""
    text = source_file.data[start:end].decode("utf-8", "replace")
    yield Value(None, text, start, end, "comment")
    setting = _COLON_SETTING.match(source_file.data, start, end)
    if setting:
        written = source_file.data[setting.end() : end].decode("utf-8", "replace").strip()
        quoted = re.fullmatch(r"(['\"`])(.*)\1[,;]?", written)  # `password: "…",`: a commented-out object's entry
        yield Value(setting.group("key").decode(), quoted.group(2) if quoted else written.strip("'\"`"),
                    setting.end(), end, "comment")
    words = [(m.group(), start + len(text[: m.start()].encode()), start + len(text[: m.end()].encode()))
             for m in re.finditer(r"\S+", text)]
    for key, value, word_start, word_end in command_line(words):
        if key is not None:  # (a URL: judged with the text)
            yield Value(key, value, word_start, word_end, "comment")


_YAML_COMMENT = re.compile(rb"(?:^|(?<=[ \t]))#", re.M)
_LINE_COMMENT = re.compile(rb"^[ \t]*#", re.M)
_COMMENT_TEXT = re.compile(rb"(?:#+|//+|/\*+)?\s*(?P<text>.*?)\s*(?:\*+/)?\s*$", re.S)


def _comment_text(data: bytes, start: int, end: int) -> tuple[int, int]:
    """A comment's span without its markers (`#`, `//`, `/*`, `*/`) and the spaces around them."""
    match = _COMMENT_TEXT.match(data, start, end)
    return (match.start("text"), match.end("text")) if match else (start, end)


def _line_ends(data: bytes, at: int) -> int:
    end = data.find(b"\n", at)
    return len(data) if end < 0 else end


def _yaml_comments(source_file: SourceFile) -> Iterator[tuple[int, int]]:
    """A `#` at a line's start or after a space, outside every scalar (a block scalar's `# …`
    lines and a quoted `#` are text), to the end of its line."""
    data = source_file.data
    if b"#" not in data:
        return
    scalars = sorted(yamlfile.span(source_file.text, node) for document in yaml_documents(source_file)
                     for node in yamlfile.scalars(document))
    starts = [start for start, _end in scalars]
    actions = _template_actions(source_file)  # (a `#` in `{{ printf "#%s" … }}` is the template's)
    line_end = -1
    for match in _YAML_COMMENT.finditer(data):
        at = match.start()
        inside = bisect.bisect_right(starts, at) - 1
        if at < line_end or (inside >= 0 and scalars[inside][1] > at) or _overlaps(actions, at, at + 1):
            continue
        line_end = _line_ends(data, at)
        yield _comment_text(data, at, line_end)


def _line_comments(source_file: SourceFile) -> Iterator[tuple[int, int]]:
    """A Dockerfile's comment lines (a `#` after an instruction's first word is an argument)."""
    data = source_file.data
    for match in _LINE_COMMENT.finditer(data):
        yield _comment_text(data, match.end() - 1, _line_ends(data, match.end()))


_SOURCE_MAP = re.compile(rb"//[#@][ \t]*sourceMappingURL=data:")


def _code_comments(source_file: SourceFile) -> Iterator[tuple[int, int]]:
    data = source_file.data
    for node in typescript.descendants(source_file.tree.root_node, "comment"):
        if _SOURCE_MAP.match(data, node.start_byte, node.end_byte):
            continue  # a compiler's inline source map: data, tens of kilobytes of it (the code it maps is read)
        if _maybe_secret(data[node.start_byte : node.end_byte]):  # (most comments: a substring test)
            yield _comment_text(data, node.start_byte, node.end_byte)


# --- JSON config files --------------------------------------------------------------------

_JSON_CONFIG = re.compile(
    r"(?:^|/)(?:config|configs|conf|settings|secrets?|credentials)/(?:[^/]+/)*[^/]+\.json$"
    r"|(?:^|/)[^/]*(?:config|settings|secret|credential|service-?account|adminsdk)[^/]*\.json$", re.I)
_NOT_JSON_CONFIG = re.compile(
    r"(?:^|/)(?:(?:ts|js)config[^/]*|package(?:-lock)?|npm-shrinkwrap|composer|[^/]*[-.]lock)\.json$", re.I)


def is_json_config(path: str) -> bool:
    """`config/production.json` (node-config), `appsettings.Production.json`, `secrets.json`,
    `firebase-service-account.json`: JSON a service reads its configuration from. Not a manifest,
    a lockfile, `tsconfig.json`, nor a test's fixture."""
    return path.lower().endswith(".json") and bool(_JSON_CONFIG.search(path)) and \
        not _NOT_JSON_CONFIG.search(path) and not is_test(path)


_TOOL_DIRECTORY = re.compile(r"(?:^|/)\.")  # `.github/`, `.circleci/config.yml`, `.yarnrc.yml`: a tool's


def is_yaml_config(path: str) -> bool:
    """`config/system.config.yml` (express-gateway), `config/production.yaml` (node-config),
    `settings.yml`, `secrets.yaml`: YAML a service reads its configuration from, named as a JSON
    config file is (`is_json_config`). Not a tool's (a dot directory or file: CI, Yarn), nor a
    test's fixture; compose files, Kubernetes manifests and Helm charts are read as what they are."""
    yaml_path = re.sub(r"\.ya?ml$", ".json", path, flags=re.I)
    return yaml_path != path and is_json_config(yaml_path) and not _TOOL_DIRECTORY.search(path)


_JSON_TOKEN = re.compile(rb'"(?:[^"\\\r\n]|\\.)*"|[{}\[\]:]')
_JSONC_COMMENT = re.compile(rb'"(?:[^"\\\r\n]|\\.)*"|//[^\r\n]*|/\*.*?\*/', re.S)
_JSONC_TRAILING_COMMA = re.compile(rb'"(?:[^"\\\r\n]|\\.)*"|,(?=\s*[}\]])')


def _without_comments(data: bytes) -> bytes:
    """JSON with comments and trailing commas (JSONC, what node-config's JSON5 parser and
    tsconfig accept) as strict JSON: each comment and trailing comma outside a string blanked
    to spaces (its line breaks kept), so every offset and line stays the file's."""
    def blank(match: re.Match[bytes]) -> bytes:
        text = match.group()
        return text if text.startswith(b'"') else re.sub(rb"[^\r\n]", b" ", text)
    return _JSONC_TRAILING_COMMA.sub(blank, _JSONC_COMMENT.sub(blank, data))


def json_strings(data: bytes) -> Iterator[tuple[str, str, int, int]]:
    """Every string value of a JSON text (JSONC too: `_without_comments`), with its place
    (`stripe.secretKey`; an array's items: the array's place) and its span, quotes included.
    Raises ValueError when the text is no JSON."""
    data = _without_comments(data)
    json.loads(data.decode("utf-8-sig"))
    stack: list[list[str | None]] = []  # per open container: [its place, the key being read]
    tokens = list(_JSON_TOKEN.finditer(data))
    for number, token in enumerate(tokens):
        text = token.group()
        if text in (b"{", b"["):
            place = stack[-1][1] if stack else None
            stack.append([place, place if text == b"[" else None])
        elif text in (b"}", b"]"):
            if stack:
                stack.pop()
        elif text.startswith(b'"'):
            string = json.loads(text.decode("utf-8", "replace"))
            following = tokens[number + 1].group() if number + 1 < len(tokens) else b""
            if following == b":" and stack:
                outer = stack[-1][0]
                stack[-1][1] = f"{outer}.{string}" if outer else string
            elif stack and stack[-1][1]:
                yield stack[-1][1], string, token.start(), token.end()


def json_values(source_file: SourceFile) -> Iterator[Value]:
    """Every string value of a JSON file, with its key (an array's items: the array's key) and
    its place (`stripe.secretKey`). Comments and trailing commas are read past (JSONC: node-config
    reads config/*.json with JSON5); a file that is no JSON even so gives none."""
    try:
        strings = list(json_strings(source_file.data))
    except ValueError:
        return
    for place, string, start, end in strings:
        yield Value(place.rsplit(".", 1)[-1], string, start, end, place)


def _json_findings(source_file: SourceFile, values: Iterable[Value] | None = None,
                   what: str = "a JSON config file") -> Iterator[Finding]:
    """A secret in a JSON config file (or a YAML one: `values`, `what`): reported (the service
    reads it from there: moving it is a code change), named for rotation, and redacted wherever
    the file is shown."""
    suffix = "json" if values is None else "yaml"
    mapping = re.search(r"(?:^|/)custom-environment-variables\.", source_file.path) is not None  # (names, not values)
    if values is None:
        try:
            values = [Value(place.rsplit(".", 1)[-1], string, start, end, place)
                      for place, string, start, end in json_strings(source_file.data)]
        except ValueError:  # (JSON5's own syntax, `'single'` quotes, unquoted keys; or broken JSON)
            if not source_file.data.strip(b" \t\r\n\xef\xbb\xbf"):
                return  # (an empty file: nothing to read)
            yield Finding(INFO.id, source_file.path, 1, 1, "a JSON config file that does not parse as JSON (comments "
                          "and trailing commas allowed): fixer could not look for secrets in it; check it by hand, "
                          "or make it JSON and run fixer again", severity="low")
            return
    for value in values:
        verdict = judge(value.key, value.value)
        if not isinstance(verdict, Secret):
            kind = signing_secret_kind(value.label) or signing_secret_kind(value.key)
            if kind is not None and not mapping and _signing_literal(value.value) and \
                    not _set_beside(source_file, value.label):
                line, col = source_file.line_col(value.start)
                yield _signing_finding(source_file.path, line, col, f"{value.label}: {kind}", value.value,
                                       f"in {what}: read it from the environment instead (node-config: "
                                       f"`custom-environment-variables.{suffix}`) or a secret manager")
            continue
        raw = source_file.data[value.start : value.end].decode("utf-8", "replace")
        line, col = source_file.line_col(value.start)
        yield Finding(INFO.id, source_file.path, line, col,
                      f"{value.label}: {verdict.kind} ({_shown(verdict.values)}) in {what}: read it from "
                      f"the environment instead (node-config: `custom-environment-variables.{suffix}`) or a secret "
                      "manager, and rotate it",
                      secrets=tuple(dict.fromkeys(verdict.values + _raw_forms(raw, value, verdict.values))))


def _set_beside(source_file: SourceFile, place: str) -> bool:
    """Whether another config file of the directory sets the same place (node-config's `production.json`
    over `default.json`, or its `custom-environment-variables.json` mapping it to a variable): the value
    of this one is then a default that deployments override (a sample there is a development's)."""
    directory = source_file.path.rpartition("/")[0]
    for path in source_file.repo.paths_of({"json", "yaml"}):
        if path == source_file.path or path.rpartition("/")[0] != directory or not (
                is_json_config(path) or is_yaml_config(path)):
            continue
        other = source_file.repo.read(path)
        if other is None:
            continue
        try:
            values = json_values(other) if other.kind == "json" else yaml_config_values(other)
            if any(value.label == place for value in values):
                return True
        except (ParseError, yamlfile.YamlError):
            continue
    return False


def yaml_config_values(source_file: SourceFile) -> Iterator[Value]:
    """Every string of a YAML config file, with its key and its place (`session.secret`; a
    sequence's items: the sequence's key), as `json_values` reads JSON."""
    for document in source_file.yaml_documents:
        stack: list[tuple[yamlfile.Node, str | None]] = [(document, None)]
        seen: set[int] = set()  # (an anchor's node, read once: where it is written)
        while stack:
            node, place = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, yamlfile.MappingNode):
                stack.extend((value, f"{place}.{key}" if place else str(key))
                             for key, value in reversed(list(yamlfile.items(node))) if key != "<<")
            elif isinstance(node, yamlfile.SequenceNode):
                stack.extend((item, place) for item in reversed(node.value))
            elif isinstance(node, yamlfile.ScalarNode) and place and isinstance(node.value, str) and \
                    node.tag.endswith(":str"):
                start, end = yamlfile.span(source_file.text, node)
                yield Value(place.rsplit(".", 1)[-1], node.value, start, end, place)


def _yaml_config_findings(source_file: SourceFile) -> Iterator[Finding]:
    """A YAML config file's secrets (`yaml_config_values`), reported as a JSON config file's are,
    and those of its comments. YAML that does not parse gives none (as JSON that is not strict)."""
    try:
        values = list(yaml_config_values(source_file))
    except (ParseError, yamlfile.YamlError):
        return
    yield from _json_findings(source_file, values, "a YAML config file")
    yield from _comment_findings(source_file, _yaml_comments(source_file))


def json_config_findings(repo: Repo) -> Iterator[Finding]:
    for path in repo.paths_of({"json"}):
        if is_json_config(path):
            source_file = repo.read(path)  # (None: skipped, the reason recorded)
            if source_file is not None:
                yield from _json_findings(source_file)


# --- key files (key.pem, server.key, id_rsa) ---------------------------------------------

_KEY_FILE = re.compile(r"\.(?:pem|key|p8|ppk)$|^id_(?:rsa|dsa|ecdsa|ed25519)$", re.I)
# a test's, an example's or a document's key (`test/fixtures/agent1-key.pem`, `examples/tls/server.key`)
_SAMPLE_KEY_PATH = re.compile(r"(?:^|/)(?:examples?|samples?|docs?|demos?)/|(?:^|[-_.])(?:example|sample|dummy|fake|"
                              r"test|demo)(?:[-_.]|$)", re.I)


def is_key_file(path: str) -> bool:
    """`key.pem`, `server.key`, `AuthKey_….p8`, `id_rsa`, `*.ppk`: a file named for holding a key (a
    certificate's `.pem` too: what it holds decides, `key_file_findings`)."""
    return bool(_KEY_FILE.search(posixpath.basename(path)))


def _tracked(repo: Repo, path: str) -> bool:
    """In git: a commit's files all are (a plain directory's none; the working tree's, per file)."""
    if getattr(repo.source, "plain", False):
        return False
    if getattr(repo.source, "label", "") != "working tree":
        return True
    entry = repo.entry(path)
    return entry is not None and entry.tracked


def key_file_findings(repo: Repo) -> Iterator[Finding]:
    """A private key kept as a file of the repository (`bin/key.pem` beside the `cert.pem` an HTTPS
    server reads, `id_rsa`): reported, one finding at each key's BEGIN line, its body lines named
    as the secret (redacted, looked for in history). The service reads the file where it is, the
    image build may copy it: untracking it is a human's change (mount the key at run time), and the
    key must be replaced. A certificate (`BEGIN CERTIFICATE`) is public; a key in a test's, an
    example's or a document's file (`is_test`, `examples/`, `example.key`) is nearly always a
    sample: reported at low severity, as a question, as a test's JSON Web Token is."""
    for path in repo.paths():
        if not is_key_file(path) or repo.kind(path) != "other":
            continue
        source_file = repo.read(path)  # (None: skipped, the reason recorded: a DER key is no text)
        if source_file is None or not _PRIVATE_KEY_LABEL.search(text := source_file.data.decode("utf-8", "replace")):
            continue
        sample = is_test(path) or bool(_SAMPLE_KEY_PATH.search(path))
        begins = [match.start() for match in _PEM_BEGIN.finditer(text)] or \
            [text.rfind("\n", 0, _PRIVATE_KEY_LABEL.search(text).start()) + 1]  # type: ignore[union-attr]
        for begin in begins:
            verdict = _private_key(None, text[begin:])
            if verdict is None:
                continue  # `<your key here>`: a placeholder
            line, col = source_file.line_col(len(text[:begin].encode()))
            shown = _shown(verdict.values)
            if sample:
                message = (f"private key ({shown}) in a test's or an example's file: if a deployment uses it (not "
                           "only a test or a document), take it out of git, give the service its key at run time, "
                           "and rotate it")
            elif _tracked(repo, path):
                message = (f"private key ({shown}) committed in git, and in every image whose build copies it: take "
                           "the file out of git and the image (`git rm --cached`, ignore it, drop it from the build), "
                           "give the service its key at run time (a mounted secret or volume), and rotate it (a new "
                           "key, and a new certificate for it)")
            else:
                message = (f"private key ({shown}) in a file git does not ignore (one `git add -A` commits it): "
                           "ignore it, and give the service its key at run time (a mounted secret or volume)")
            yield Finding(INFO.id, path, line, col, message, severity="low" if sample else None,
                          secrets=verdict.values)


# --- package-manager credentials (.npmrc, .yarnrc.yml) ------------------------------------

# The files npm (and pnpm) and Yarn 2+ read a registry's credentials from, and commit with the
# project's registry settings (`@acme:registry=…`): `//registry.npmjs.org/:_authToken=…`,
# `npmAuthToken: …`. Both expand `${VAR}` from the environment, the documented way to keep the
# token out of the file. (Yarn 1's `.yarnrc` takes its credentials from `.npmrc`; `.pypirc` and
# the like belong to no Node project.)
_REGISTRY_CONFIGS = {".npmrc": "npm", ".yarnrc.yml": "Yarn"}
_NPMRC_SETTING = re.compile(rb"^[ \t]*(?P<key>[^=\s;#][^=\r\n]*?)[ \t]*=[ \t]*(?P<value>[^\r\n]*?)[ \t]*\r?$", re.M)
_YARNRC_SETTING = re.compile(
    rb"^[ \t]*(?P<key>[A-Za-z][A-Za-z0-9]*)[ \t]*:[ \t]+(?P<value>[^\s#][^\r\n]*?)[ \t]*(?:[ \t]#[^\r\n]*)?\r?$", re.M)
_RC_COMMENT = re.compile(rb"^[ \t]*(?:#|;)[^\r\n]*", re.M)
# a setting's name -> the name it is judged by, and the variable's suffix (`_auth`: base64 of
# `user:password`; `_password`: base64 of a password; `npmAuthIdent`: `user:password`)
_RC_SECRETS = {"_authtoken": ("AUTH_TOKEN", "TOKEN"), "_auth": ("AUTH_SECRET", "AUTH"),
               "_password": ("PASSWORD", "PASSWORD"), "npmauthtoken": ("AUTH_TOKEN", "TOKEN"),
               "npmauthident": ("AUTH_SECRET", "AUTH_IDENT")}
_HOST_WORDS = frozenset({"npm", "registry", "pkg", "pkgs", "packages", "www", "api", "com", "org", "net", "io", "dev"})


_NAMED_KINDS = frozenset({"secret", "token", "password", "key", "API key", "API token"})  # `_name_kind`'s


def is_registry_config(path: str) -> bool:
    """`.npmrc`, `.yarnrc.yml`: a package manager's settings, registry credentials among them."""
    return posixpath.basename(path) in _REGISTRY_CONFIGS


def _rc_variable(kind: str, host: str, suffix: str) -> str:
    """The environment variable a registry credential is read from: `NPM_TOKEN` (an npm token, or
    any for registry.npmjs.org), `GITHUB_TOKEN` (GitHub Packages), else the registry host's name."""
    if "GitHub" in kind or host.startswith("npm.pkg.github.com"):
        base = "GITHUB"
    elif "npm token" in kind or not host or host.startswith(("registry.npmjs.org", "registry.yarnpkg.com")):
        base = "NPM"
    else:
        labels = [label for label in host.split("/")[0].split(".") if label]  # (its domain's name: `acme`)
        base = env_name(next((label for label in reversed(labels[:-1]) if label.lower() not in _HOST_WORDS), "NPM"))
    return f"{base}_{suffix}"


def _rc_findings(source_file: SourceFile) -> Iterator[Finding]:
    """A registry credential written into `.npmrc` or `.yarnrc.yml`: replaced with a reference to
    an environment variable (`${NPM_TOKEN}`, which npm and Yarn expand) when the setting's whole
    value is the secret, written plainly; else reported, as is one in a comment."""
    path, data = source_file.path, source_file.data
    tool = _REGISTRY_CONFIGS[posixpath.basename(path)]
    yarn = tool == "Yarn"
    comments = [(match.start(), match.end()) for match in _RC_COMMENT.finditer(data)]
    chosen: dict[str, str] = {}  # variable -> the secret it holds (one variable, one value)
    for match in (_YARNRC_SETTING if yarn else _NPMRC_SETTING).finditer(data):
        if any(start <= match.start("key") < end for start, end in comments):
            continue
        key = match.group("key").decode("utf-8", "replace").lstrip("\ufeff")
        host, _, setting = key.rpartition(":") if key.startswith("//") else ("", "", key)
        raw = match.group("value").decode("utf-8", "replace")
        start, inner = match.start("value"), raw
        if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
            start, inner = start + 1, raw[1:-1]
        elif not yarn and re.search(r"[;#]", raw):  # (ini: `;` and `#` end an unquoted value)
            inner = re.split(r"[;#]", raw, maxsplit=1)[0].rstrip()
        judged_as, suffix = _RC_SECRETS.get(setting.lower(), (setting, "TOKEN"))
        verdict = judge(judged_as, inner)
        if not isinstance(verdict, Secret):
            continue
        line, col = source_file.line_col(start + len(inner[: max(inner.find(verdict.values[0]), 0)].encode()))
        variable = _rc_variable(verdict.kind, host.lstrip("/"), suffix)
        shown, secrets = _shown(verdict.values), tuple(dict.fromkeys(verdict.values))
        kind = "registry credential" if verdict.kind in _NAMED_KINDS else verdict.kind  # (`token`: by its name)
        if verdict.values == (inner,) and "\\" not in inner and chosen.setdefault(variable, inner) == inner:
            edit = Edit(path, start, start + len(inner.encode()), f"${{{variable}}}")
            yield Finding(INFO.id, path, line, col,
                          f"{key}: {kind} ({shown}) replaced with `${{{variable}}}` ({tool} reads it from "
                          f"the environment: set {variable} where {tool} installs, a CI secret or a build secret, "
                          "never a committed file)", (edit,), secrets=secrets)
        elif verdict.kind.endswith("URL password"):
            yield Finding(INFO.id, path, line, col,
                          f"{key}: {kind} ({shown}); take the user and password out of the URL and give the "
                          f"registry's credential as its own setting read from the environment "
                          f"(`//<registry host>/:_authToken=${{{variable}}}`), and rotate it", secrets=secrets)
        else:
            yield Finding(INFO.id, path, line, col,
                          f"{key}: {kind} ({shown}); fixer cannot place a reference here exactly: write "
                          f"`${{{variable}}}` in its place by hand ({tool} reads it from the environment), set "
                          f"{variable} where {tool} installs, and rotate it", secrets=secrets)
    for start, end in comments:
        text = data[start:end].decode("utf-8", "replace").strip().lstrip("#;").strip()
        verdict = judge(None, text, comment=True)
        if isinstance(verdict, Secret):
            at = data.find(verdict.values[0].encode(), start, end)
            line, col = source_file.line_col(at if at >= 0 else start)
            yield Finding(INFO.id, path, line, col,
                          f"comment: {verdict.kind} ({_shown(verdict.values)}) in a comment: delete it, and rotate it",
                          secrets=tuple(dict.fromkeys(verdict.values)))


_COPY_SOURCES = ("COPY", "ADD")


class CopyLine(NamedTuple):
    """A Dockerfile's `COPY`/`ADD` that reads a file of the build's context into its image."""
    dockerfile: str
    line: int
    cmd: str  # COPY or ADD (`COPY --from=builder`: an earlier stage's copy)
    source: str  # as the instruction writes it (`.env.production.local`, `.env*`)
    path: str  # the repository's file it reads


def copy_lines(repo: Repo, paths: Iterable[str]) -> Iterator[CopyLine]:
    """Every `COPY`/`ADD` of a Dockerfile that reads one of these files from its build context: a
    source naming the file (its name, or a pattern with a literal start, `.env*`, that matches it;
    not `COPY . .`, which reads whatever is there), in a Dockerfile at the file's directory or
    under it, or anywhere for a file at the root (the build's context is the compose file's or
    CI's: fixer cannot see it from here). `COPY --from=<an earlier stage>` too (the stage's
    `COPY . .` took it from the context: `COPY --from=builder /app/.env.production.local ./`),
    not `--from=<an image>`."""
    paths = sorted(set(paths))
    for path in repo.paths_of({"dockerfile"}):
        directory = posixpath.dirname(path)
        near = [p for p in paths if not posixpath.dirname(p) or directory == posixpath.dirname(p)
                or directory.startswith(posixpath.dirname(p) + "/")]
        if not near:
            continue
        source_file = repo.read(path)
        if source_file is None:
            continue
        try:
            instructions = source_file.instructions
        except (ParseError, SkipFile):
            continue
        stages = {str(at) for at in range(len([i for i in instructions if i.cmd == "FROM"]))} | {
            i.value[2].lower() for i in instructions if i.cmd == "FROM" and len(i.value) == 3 and i.value[1].upper() == "AS"}
        for instruction in instructions:
            image = next((flag.split("=", 1)[1] for flag in instruction.flags if flag.startswith("--from=")), None)
            if instruction.cmd not in _COPY_SOURCES or (image is not None and image.lower() not in stages):
                continue
            for word in instruction.value[:-1]:
                name = posixpath.basename(word.rstrip("/"))
                if not name or name[0] in "*?[":
                    continue
                for copied in near:
                    if fnmatch.fnmatchcase(posixpath.basename(copied), name):
                        cmd = instruction.cmd if image is None else f"{instruction.cmd} --from={image}"
                        yield CopyLine(path, instruction.start_line, cmd, word, copied)


class EnvFileLine(NamedTuple):
    """A compose service's `env_file:` entry that requires a file of the repository."""
    compose: str
    line: int
    service: str
    written: str  # as the entry writes it (`./svc/.env.production`)
    path: str  # the repository's file it reads


def env_file_lines(repo: Repo, paths: Iterable[str]) -> Iterator[EnvFileLine]:
    """Every `env_file:` entry (string, list, long `- path:` form; not one with `required: false`,
    which compose skips when the file is missing) of a compose service definition that names one
    of these files (a path from the compose file's directory)."""
    paths = set(paths)
    for (compose, name), node in repo.compose_definitions.items():
        files = yamlfile.get(node, "env_file")
        for item in files.value if isinstance(files, yamlfile.SequenceNode) else [files] if files is not None else []:
            if isinstance(item, yamlfile.MappingNode):
                required = yamlfile.get(item, "required")
                if isinstance(required, yamlfile.ScalarNode) and str(required.value).lower() == "false":
                    continue
                item = yamlfile.get(item, "path")
            if not isinstance(item, yamlfile.ScalarNode) or not isinstance(item.value, str):
                continue
            path = posixpath.normpath(posixpath.join(posixpath.dirname(compose), item.value))
            if path in paths:
                yield EnvFileLine(compose, yamlfile.line(item), name, item.value, path)


def _copied_rc_findings(repo: Repo, leaking: set[str]) -> Iterator[Finding]:
    """A Dockerfile that copies one of these files (`leaking`: the ones holding a credential) into
    its image: the token is in that layer for good (a later `rm` leaves it there), and in every
    image pushed from it. Reported: the build must change (a build secret), which fixer cannot
    check from here (the build's context is the compose file's or CI's)."""
    reported: set[tuple[str, int]] = set()
    for copy in copy_lines(repo, leaking):
        if (copy.dockerfile, copy.line) not in reported:
            reported.add((copy.dockerfile, copy.line))
            yield Finding(INFO.id, copy.dockerfile, copy.line, 1,
                          f"{copy.cmd} {copy.source}: puts a registry credential fixer found in "
                          f"{copy.source} into an image layer, where it stays (a later `rm` does not remove it): "
                          "mount it as a build secret instead (`RUN --mount=type=secret,id=npmrc,"
                          "target=/root/.npmrc npm ci`), and treat images built from it as holding the token")


def registry_config_findings(repo: Repo) -> Iterator[Finding]:
    leaking: set[str] = set()
    for path in repo.paths():
        if is_registry_config(path):
            source_file = repo.read(path)  # (None: skipped, the reason recorded)
            if source_file is not None:
                for finding in _rc_findings(source_file):
                    leaking.add(path)
                    yield finding
    if leaking:
        yield from _copied_rc_findings(repo, leaking)


# --- Terraform variable values, Docker client credentials ---------------------------------

_TFVARS = re.compile(r"\.tfvars$")
# `db_password = "…"` (HCL: a top-level variable, or a key of a map value), a comment after it
_TFVARS_SETTING = re.compile(
    rb'^[ \t]*"?(?P<key>[A-Za-z_][A-Za-z0-9_-]*)"?[ \t]*[=:][ \t]*"(?P<value>(?:[^"\\\r\n]|\\.)*)"[ \t]*,?[ \t]*'
    rb'(?:(?:#|//).*)?\r?$', re.M)


def tfvars_findings(repo: Repo) -> Iterator[Finding]:
    """A secret in a Terraform variable values file (`prod.tfvars`, `x.auto.tfvars`): reported, never
    edited (terraform applies what the file says: a placeholder there would become the database's
    password). The variable is given at apply time instead (`TF_VAR_<name>` from a secret store or a
    CI secret, the variable declared `sensitive = true`)."""
    for path in repo.paths():
        if not _TFVARS.search(path):
            continue
        source_file = repo.read(path)  # (None: skipped, the reason recorded)
        if source_file is None:
            continue
        data = source_file.data
        for match in _TFVARS_SETTING.finditer(data):
            key, raw = match.group("key").decode(), match.group("value").decode("utf-8", "replace")
            value = raw.replace('\\"', '"').replace("\\\\", "\\")
            if "${" in value or "%{" in value:
                continue  # (a template: no value of its own)
            verdict = judge(key, value, quoted=True)
            if not isinstance(verdict, Secret):
                continue
            start = match.start("value")
            line, col = source_file.line_col(start + len(raw[: max(raw.find(verdict.values[0]), 0)].encode()))
            variable = f"TF_VAR_{key}" if data[match.start() : match.start() + 1] not in (b" ", b"\t") else \
                "TF_VAR_<variable>"  # (indented: a key of a map value)
            yield Finding(INFO.id, path, line, col,
                          f"{key}: {verdict.kind} ({_shown(verdict.values)}) in Terraform variable values: delete "
                          f"the line and give it at apply time (`{variable}` from a secret store or a CI secret; "
                          "declare the variable `sensitive = true`), and rotate it (the state file holds it too)",
                          secrets=tuple(dict.fromkeys(verdict.values + ((raw,) if raw != value else ()))))


_DOCKER_CONFIG = re.compile(r"(?:^|/)(?:\.?docker/config\.json|\.dockercfg|\.?dockerconfig(?:json)?\.json|\.dockerconfigjson)$")
_DOCKER_TOKENS = ("password", "identitytoken", "registrytoken")


def docker_auth_secrets(auths: object) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """(registry, what, secrets) of each credential of a Docker client config's `auths` (`{"<registry>":
    {"auth": base64 of user:password}}`, `identitytoken`…): the secrets are what the file writes (the
    base64 text: what outputs and history hold), then the password it decodes to (shown masked, as
    the value to rotate). Not an empty or placeholder entry."""
    for registry, entry in (auths.items() if isinstance(auths, dict) else ()):
        if not isinstance(entry, dict):
            continue
        auth = entry.get("auth")
        if isinstance(auth, str) and auth.strip():
            decoded = _decoded(auth.strip())
            user, colon, password = (decoded or "").partition(":")
            if colon and isinstance(judge("PASSWORD", password), Secret):
                yield str(registry), f"registry password of {user or 'a user'} (base64 `auth`)", (auth.strip(), password)
        for field in _DOCKER_TOKENS:
            value = entry.get(field)
            if isinstance(value, str) and isinstance(verdict := judge(field.upper(), value), Secret):
                yield str(registry), f"registry {field}", verdict.values


def _docker_auth_findings(source_file: SourceFile, auths: object, where: str, how: str,
                          start: int = 0, end: int | None = None) -> Iterator[Finding]:
    data = source_file.data
    for registry, what, secrets in docker_auth_secrets(auths):
        at = data.find(secrets[0].encode(), start, len(data) if end is None else end)
        line, col = source_file.line_col(at if at >= 0 else start)
        yield Finding(INFO.id, source_file.path, line, col,
                      f"{where}{registry}: {what} ({_shown(secrets[1:] or secrets)}) in a Docker client config: {how}, "
                      "and rotate it", secrets=secrets[:1])


def docker_config_findings(repo: Repo) -> Iterator[Finding]:
    """Registry credentials a Docker client config holds: `.docker/config.json` (`docker login`
    writes it; committed for CI pushes), `.dockercfg`, and a `DOCKER_AUTH_CONFIG` value (GitLab
    runners read it) of an env file. Reported, never edited (a registry login is given at run time)."""
    for path in repo.paths():
        kind = repo.kind(path)
        docker_config = bool(_DOCKER_CONFIG.search(path))
        if not docker_config and kind != "env":
            continue
        source_file = repo.read(path)  # (None: skipped, the reason recorded)
        if source_file is None or b'"auths"' not in source_file.data and not docker_config:
            continue
        if docker_config:
            try:
                config = json.loads(source_file.data.decode("utf-8-sig"))
            except ValueError:
                continue
            if isinstance(config, dict):
                yield from _docker_auth_findings(
                    source_file, config.get("auths", config if path.endswith(".dockercfg") else None), "",
                    "untrack the file (`git rm --cached`, ignore it) and log in where it runs (`docker login "
                    "--password-stdin` from a CI secret)")
            continue
        for entry in envfile.parse(source_file.data):
            if '"auths"' not in entry.value:
                continue
            try:
                config = json.loads(entry.value)
            except ValueError:
                continue
            if isinstance(config, dict):
                yield from _docker_auth_findings(
                    source_file, config.get("auths"), f"{entry.key}: ",
                    "set the variable in the CI's secret settings, never in a committed file",
                    entry.value_start, entry.value_end)


# --- secrets deleted since, in git history (`fixer.history.Hunt`) -----------------------

# a live credential's own shape (a prefix its issuer gives only those): what the blobs history added are
# read for, wherever they were (code too); test and sample tokens (`sk_test_`) are none
_LIVE_TOKEN = re.compile(rb"(?<![A-Za-z0-9_-])(?:sk_live_|rk_live_|gh[pousr]_|github_pat_|glpat-|xox[abprs]-|npm_)"
                         rb"[A-Za-z0-9_-]{16,}")
_LIVE_PREFIXES = (b"_live_", b"gh", b"glpat-", b"xox", b"npm_")  # (a blob without any: no regex run)
# files no deleted secret is looked for in: lockfiles, media, built and vendored code, tests and samples
_NOT_HUNTED = re.compile(r"(?:^|/)(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb)$|"
                         r"\.(?:png|jpe?g|gif|ico|webp|svg|pdf|zip|gz|tgz|woff2?|ttf|eot|mp[34]|map|min\.js|snap)$|"
                         r"(?:^|/)(?:node_modules|dist|build|vendor|coverage|fixtures?|__fixtures__|examples?|samples?|"
                         r"docs?)/", re.I)


def history_tokens(data: bytes) -> set[str]:
    """The live credentials a blob holds (`_LIVE_TOKEN`, each confirmed by `judge`)."""
    if not any(prefix in data for prefix in _LIVE_PREFIXES):
        return set()
    found: set[str] = set()
    for match in _LIVE_TOKEN.finditer(data):
        verdict = judge(None, match.group().decode("ascii"))
        if isinstance(verdict, Secret):
            found.update(verdict.values)
    return found


def history_path(path: str) -> bool:
    """Whether a blob added at this path is read for deleted secrets (`history_tokens`)."""
    return not _NOT_HUNTED.search(path) and not is_test(path)


# --- across files: one placeholder per value, .gitignore ---------------------------------

_VALUE_KINDS = frozenset({"env", "compose", "dockerfile", "yaml"})  # the files `_judged_values` reads


def _agree_across_files(repo: Repo, context: Context, findings: list[Finding],
                        undecoded: dict[str, SourceFile] | None = None) -> None:
    """The files a run edits hold one secret value in several of them: a compose file's
    `POSTGRES_PASSWORD` and the env template's `DATABASE_URL`, a Secret and a Deployment's `env`
    value, a compose file and the `.env.example` its `env_file:` names. Each file chose its own
    placeholder for it (`_one_placeholder_each`); a fresh clone that copies the template to `.env`
    would hold two. The repository's one placeholder for a value is the same rule's over every
    file, in path order (the first whole value's, else the first URL password's); and when a
    place of a value cannot be edited in one file, its places in every file are reported, not
    edited. The findings of each file holding such a value are made again with that (`Across`),
    in place of its scan's. Real env files are none of these: they leave git holding their values.
    One verdict per value: a value the run's findings name (and list for rotation) is a secret in
    every file that holds it under a secret's name (`_same_secret`), even where its own scan let it
    pass (`POSTGRES_PASSWORD: orderspass` in the compose file, `DATABASE_URL=postgres://…:orderspass@…`
    in the env template): that file's findings are made again too (a real env file's: it leaves git)."""
    named: dict[str, set[str]] = {}  # path -> the values its own findings name
    for finding in findings:
        if finding.secrets:
            named.setdefault(finding.path, set()).update(finding.secrets)
    known = frozenset(secret for secrets in named.values() for secret in secrets
                      if not is_placeholder(secret) and not is_dev_default(secret))
    needles = tuple(secret.encode("utf-8", "surrogatepass") for secret in known)
    files: list[tuple[SourceFile, list[tuple[Value, Secret]]]] = []
    remade: set[str] = set()  # files holding a value other files' findings name, which their own do not
    real: list[SourceFile] = []  # real env files among them (never edited: judged again, they leave git)
    for path in sorted(set(named) | (set(repo.paths_of(_VALUE_KINDS)) if needles else set())):
        kind = repo.kind(path)
        if kind not in _VALUE_KINDS or (path not in named and repo.skip_reason(path)):
            continue
        held = repo.bytes_in_memory(path) if path not in named else None
        if held is not None and not any(needle in held for needle in needles):
            continue
        # (None: skipped, the reason recorded; `undecoded`: files not UTF-8 read as Latin-1, never edited: each
        # value they hold is one fixer cannot edit, so none of its places in other files is edited either)
        source_file = (undecoded or {}).get(path) or repo.read(path)
        if source_file is None or (path not in named and not any(needle in source_file.data for needle in needles)):
            continue  # (a value's bytes first: a file holding none of them is not parsed)
        try:
            judged = _judged_values(source_file, known)
        except (ParseError, SkipFile):
            continue  # (a file its scan read: not expected; another: its scan reports it)
        places = [(value, verdict) for value, verdict in judged or () if isinstance(verdict, Secret)]
        if any(secret not in named.get(path, ()) for _value, verdict in places for secret in verdict.values):
            remade.add(path)
        if kind == "env" and is_real_env_file(path):
            if path in remade:
                real.append(source_file)
        elif places:
            files.append((source_file, places))
    paths: dict[str, set[str]] = {}  # secret -> the files holding it
    for source_file, places in files:
        for _value, verdict in places:
            for secret in verdict.values:
                paths.setdefault(secret, set()).add(source_file.path)
    shared = {secret for secret, holding in paths.items() if len(holding) > 1}
    if not shared and not remade:
        return
    placeholders = {secret: placeholder for secret, placeholder in _one_placeholder_each(
        [place for _source_file, places in files for place in places if _editable(place[0])]).items()
        if secret in shared}
    stuck: dict[str, tuple[str, int]] = {}  # secret -> a place fixer cannot edit
    holders: dict[str, dict[str, set[int]]] = {}
    edits: dict[str, list[Change]] = {}  # secret -> the edits of its places, in path order
    while True:  # (a place left as it is can leave another secret it holds as it is: to a fixed point)
        grown = False
        holders, edits = {}, {}
        across = Across(placeholders, dict(stuck), {}, known)
        for source_file, places in files:
            own = _one_placeholder_each([place for place in places if _editable(place[0])])
            found, stuck_here = _secret_findings(source_file, places, {**own, **placeholders}, context, across)
            for value, verdict in places:
                for secret in verdict.values:
                    if secret in shared:
                        holders.setdefault(secret, {}).setdefault(source_file.path, set()).add(
                            found[value.start, value.end].line)
                        edits.setdefault(secret, []).extend(found[value.start, value.end].changes)
            for secret, line in stuck_here.items():
                if secret in shared and secret not in stuck:
                    stuck[secret], grown = (source_file.path, line), True
        if not grown:
            break
    across = Across(placeholders, stuck, holders, known)
    again = {source_file.path: _guarded_scan(source_file, context, across) for source_file, places in files
             if source_file.path in remade or any(secret in shared for _value, verdict in places
                                                  for secret in verdict.values)}
    again.update((source_file.path, _guarded_scan(source_file, context, Across({}, {}, {}, known)))
                 for source_file in real)
    # A value's changes stand or fall together across files (the engine withdraws every file of a
    # finding whose change to one file fails verification): the first edit of each value is made
    # by a finding that carries the value's edits of the other files too.
    partners: dict[Change, list[Change]] = {}
    for secret, made in edits.items():
        if made and secret not in stuck:
            partners.setdefault(made[0], []).extend(edit for edit in made if edit.path != made[0].path)
    for finding in (finding for path in sorted(again) for finding in again[path]):
        carried = [edit for change in finding.changes for edit in partners.get(change, ())]
        if carried:
            finding.changes += tuple(dict.fromkeys(edit for edit in carried if edit not in finding.changes))
    findings[:] = [finding for finding in findings if finding.path not in again] + \
        [finding for path in sorted(again) for finding in again[path]]


# env files, compose files and Dockerfiles: ASCII syntax, where a byte that is not UTF-8 (a Windows editor's
# Latin-1 `ü` in a comment) changes no value
_ASCII_SYNTAX_KINDS = frozenset({"env", "compose", "dockerfile"})


class NotUtf8File(SourceFile):
    """A file the engine skips as not UTF-8 (`Repo.undecoded`), read as Latin-1 for its findings: every
    byte is one character, so no byte is lost or invented (a value written in UTF-8 elsewhere in it reads
    as two characters, as it would to a Latin-1 program). Never edited: no fix may edit a skipped file,
    and an edit's offsets here are not the file's; its findings say to replace each value by hand."""

    def __init__(self, path: str, data: bytes, repo: Repo):
        super().__init__(path, data.decode("latin-1").encode("utf-8"), repo)
        try:
            data.decode("utf-8")
            self.where = "its bytes"
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            self.where = f"byte 0x{data[error.start]:02X} on line {line}"


def undecoded_files(repo: Repo) -> list[NotUtf8File]:
    """The env files, compose files and Dockerfiles the engine skipped as not UTF-8, read as Latin-1."""
    found = []
    for path in repo.paths_of(_ASCII_SYNTAX_KINDS):
        data = repo.undecoded(path)
        if data is not None:
            found.append(NotUtf8File(path, data, repo))
    return found


def json_lambda_templates(repo: Repo) -> Iterator[SourceFile]:
    """serverless.json, a SAM template.json (`lambdatemplate`): Lambda templates written in JSON, found by
    their names (no other JSON file is read for them)."""
    for path in repo.paths_of({"json"}):
        if lambdatemplate.is_candidate(path):
            source_file = repo.read(path)  # (None: skipped, the reason recorded)
            if source_file is not None and lambda_template(source_file) is not None:
                yield source_file


_NEVER_COMMITTED = re.compile(r"\.env(\..+)?\.local|\.env")  # `.env`, `.env.local`, `.env.*.local`


def ignore_rule(path: str) -> str:
    """The `.gitignore` line for a real env file that holds a secret. `.env`, `.env.local` and
    `.env.*.local` by name, anywhere: no convention commits one, and a copy elsewhere is just as
    secret. Any other by its own path (`/services/orders/.env.development`): dotenv-flow, Create React
    App, Next.js and Vite commit `.env.development`, `.env.production`, `.env.test` with a service's
    shared defaults, and the name ignored everywhere would keep every other service's (a new one's
    too) out of git."""
    name = posixpath.basename(path)
    return name if _NEVER_COMMITTED.fullmatch(name) else path_rule(path)


def finish(repo: Repo, context: Context, findings: list[Finding]) -> Iterator[Finding]:
    """One placeholder for each secret value across the files the run edits (`_agree_across_files`);
    one `.gitignore` change for every real env file that holds a secret and that git
    does not ignore yet; and the secrets in JSON config files (read here: only a few JSON files
    are config, and no other kind of JSON is read)."""
    try:
        undecoded = {source_file.path: source_file for source_file in undecoded_files(repo)}
        for source_file in undecoded.values():
            try:
                findings.extend(_guarded_scan(source_file, context))
            except (ParseError, SkipFile):
                continue  # (a compose file that does not parse: the engine's skip says the file was not read)
        unread: list[Finding] = []
        for source_file in json_lambda_templates(repo):
            try:
                findings.extend(_guarded_scan(source_file, context))
            except (ParseError, SkipFile):  # (the parser's words withheld: they may quote the file)
                unread.append(Finding(INFO.id, source_file.path, 1, 1, "a Lambda template that does not parse as "
                                      "JSON: fixer could not look for secrets in it; fix its syntax and run fixer again",
                                      severity="low"))
        _agree_across_files(repo, context, findings, undecoded)  # (before the first yield: the engine extends `findings`)
    except Exception as error:  # never a message or traceback that may quote a secret
        raise RuntimeError(f"{type(error).__name__} while matching secrets across files (details withheld: they "
                           "may quote a secret)") from None
    yield from unread
    yield from json_config_findings(repo)
    try:
        registry = list(registry_config_findings(repo)) + list(key_file_findings(repo)) + \
            list(tfvars_findings(repo)) + list(docker_config_findings(repo))
    except Exception as error:  # never a message or traceback that may quote a secret
        raise RuntimeError(f"{type(error).__name__} while looking for registry credentials (details withheld: they "
                           "may quote a secret)") from None
    yield from registry
    holding = {finding.path for finding in findings if finding.secrets}
    for copy in context.built:
        if copy.path in holding:  # (its findings say why it stays in git; the build's line says what to change)
            yield Finding(INFO.id, copy.dockerfile, copy.line, 1,
                          f"{copy.cmd} {copy.source}: bakes {copy.path}, an env file holding secrets, into the "
                          "image (its layers keep them): pass the values at run time (`docker run --env-file`, "
                          "compose `env_file:`, the orchestrator's secrets) and drop this line")
    untracked = {c.path for f in findings for c in f.changes if isinstance(c, Untrack)}
    unignored = {f.path for f in findings if f.path in context.untracked and f.secrets}
    existing = repo.read(GITIGNORE) if repo.exists(GITIGNORE) else None
    rules = existing.data.decode("utf-8", "replace") if existing else ""
    names: list[str] = []
    for path in sorted(untracked | unignored):
        if not is_ignored(path, rules + "".join(f"\n{n}" for n in names)):
            names.append(ignore_rule(path))
    if not names:
        return
    block = "# real env files hold secrets: never commit them (fixer secrets)\n" + "".join(f"{n}\n" for n in names)
    change: Change
    if existing is not None:
        data = existing.data
        if data and not data.endswith(b"\n"):  # (the file keeps ending without a line break)
            block = "\n" + block.rstrip("\n")
        change, line = Edit(GITIGNORE, len(data), len(data), block), existing.text.last_line
    elif repo.exists(GITIGNORE):  # there, but not readable (a symlink, say): the engine reports why
        change, line = Edit(GITIGNORE, 0, 0, block), 1
    else:
        change, line = NewFile(GITIGNORE, block), 1
    for finding in findings:  # "added to .gitignore": this change is what fixes them
        if finding.path in unignored and not finding.changes:
            finding.changes = (change,)
    yield Finding(INFO.id, GITIGNORE, line, 1, f"ignores the env files that hold secrets: {', '.join(names)}",
                  (change,))
