"""A deterministic generator of a large TypeScript microservice monorepo for benchmarks.

    python bench/generate.py OUT [--files 5000] [--services 50] [--seed 7]

Realistic shapes and sizes (40–250 lines per file: imports, interfaces, classes,
async functions with try/catch, Express routers), a console call in about a third of
the files, a shared winston logger that most services import, and per service a
package.json, tsconfig, multi-stage Dockerfile with a localhost HEALTHCHECK, plus one
docker-compose.yml and an env template (fake values). Comments as real code has them:
a license header on most files, doc comments on about half the methods, a few inline
ones, and now and then a commented-out `console.log` (which no tool may rewrite). The
comments come from their own random stream, so the code is the same as without them.
Same arguments, same bytes.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

LAYERS = ["controllers", "services", "models", "routes", "utils", "middleware", "repositories", "events"]
NOUNS = ["booking", "course", "student", "trainer", "session", "payment", "invoice", "review", "slot",
         "lesson", "batch", "coupon", "report", "profile", "notification", "attendance", "schedule", "enrollment"]
VERBS = ["create", "update", "find", "list", "remove", "sync", "validate", "publish", "refresh", "archive"]
CONSOLE = ["log", "log", "log", "error", "error", "warn", "info", "debug"]


def camel(*words: str) -> str:
    return words[0] + "".join(w.capitalize() for w in words[1:])


def pascal(*words: str) -> str:
    return "".join(w.capitalize() for w in words)


HEADER = ["/**", " * Copyright (c) 2026 Bench Corp. All rights reserved.",
          " * Licensed under the MIT License. See LICENSE in the repository root.", " */"]


class FileWriter:
    def __init__(self, rng: random.Random, service: str, noun: str, with_console: bool, uses_logger: bool,
                 comments: random.Random):
        self.rng, self.service, self.noun = rng, service, noun
        self.with_console, self.uses_logger = with_console, uses_logger
        self.comments = comments  # its own stream: the code does not depend on the comments
        self.lines: list[str] = []

    def console_call(self, indent: str, subject: str) -> str:
        method = self.rng.choice(CONSOLE)
        shape = self.rng.randrange(5)
        if shape == 0:
            return f"{indent}console.{method}('{self.noun} {subject}');"
        if shape == 1:
            return f"{indent}console.{method}(`{self.noun} ${{{subject}Id}} processed`, {subject}Id);"
        if shape == 2:
            return f"{indent}console.{method}('Failed to {subject} {self.noun}:', error);"
        if shape == 3:
            return f"{indent}console.{method}('{subject}', {{ id: {subject}Id, service: '{self.service}' }});"
        return f"{indent}console.{method}(JSON.stringify({{ {subject}Id }}));"

    def render(self, functions: int) -> str:
        rng, noun, comments = self.rng, self.noun, self.comments
        out = self.lines
        if comments.random() < 0.7:
            out += HEADER
        out.append("import { Request, Response, NextFunction } from 'express';")
        if self.uses_logger:
            out.append("import { logger } from '@bench/shared';")
        for other in rng.sample(NOUNS, rng.randrange(1, 4)):
            out.append(f"import {{ {pascal(other)}Model }} from '../models/{other}.model';")
        out.append("")
        out.append(f"export interface {pascal(noun)}Input {{")
        for field in rng.sample(["id", "name", "status", "createdAt", "updatedAt", "ownerId", "amount", "notes"], 4):
            out.append(f"  {field}: {rng.choice(['string', 'number', 'Date', 'boolean'])};")
        out.append("}")
        out.append("")
        out.append(f"export class {pascal(noun)}{pascal(rng.choice(['service', 'handler', 'manager']))} {{")
        out.append("  private readonly cache = new Map<string, unknown>();")
        out.append("")
        console_budget = rng.randrange(1, 4) if self.with_console else 0
        for index in range(functions):
            verb = rng.choice(VERBS)
            name = camel(verb, noun, str(index))
            subject = rng.choice(["item", "record", "entry"])
            if comments.random() < 0.5:
                out += ["  /**", f"   * {verb.capitalize()}s the {noun} {subject} and caches the result.",
                        f"   * @param {subject}Id the {subject}'s id", "   * @param input the fields to apply", "   */"]
            out.append(f"  async {name}({subject}Id: string, input: Partial<{pascal(noun)}Input>): Promise<unknown> {{")
            out.append("    try {")
            if comments.random() < 0.2:
                out.append("      // a cached result is served as is (see the TTL note in the README)")
            out.append(f"      const cached = this.cache.get({subject}Id);")
            out.append("      if (cached) {")
            out.append("        return cached;")
            out.append("      }")
            if console_budget and rng.random() < 0.5:
                out.append(self.console_call("      ", subject))
                console_budget -= 1
            elif self.uses_logger and rng.random() < 0.3:
                out.append(f"      logger.info('{verb} {noun}', {{ {subject}Id, service: '{self.service}' }});")
            if comments.random() < 0.02:
                out.append(f"      // console.log('{name}', {subject}Id, input);")
            out.append(f"      const result = {{ ...input, id: {subject}Id, at: new Date().toISOString() }};")
            out.append(f"      this.cache.set({subject}Id, result);")
            out.append("      return result;")
            out.append("    } catch (error) {")
            if console_budget:
                out.append(self.console_call("      ", subject).replace(f"{subject}Id", "error") if rng.random() < 0.3
                           else f"      console.error('{verb} {noun} failed', error);")
                console_budget -= 1
            out.append("      throw error;")
            out.append("    }")
            out.append("  }")
            out.append("")
        out.append("}")
        out.append("")
        out.append(f"export function {camel('handle', noun)}(req: Request, res: Response, next: NextFunction): void {{")
        out.append("  const id = String(req.params.id ?? '');")
        out.append("  if (!id) {")
        out.append("    res.status(400).json({ error: 'id is required' });")
        out.append("    return;")
        out.append("  }")
        out.append("  next();")
        out.append("}")
        return "\n".join(out) + "\n"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def generate(out: Path, files: int, services: int, seed: int) -> None:
    rng = random.Random(seed)
    comments = random.Random(seed + 1)
    per_service = max(3, files // services)
    write(out / "package.json", '{\n  "name": "bench-monorepo",\n  "private": true,\n  "workspaces": ["shared", "services/*"]\n}\n')
    write(out / "shared/package.json", '{\n  "name": "@bench/shared",\n  "main": "dist/index.js"\n}\n')
    write(out / "shared/src/index.ts", "export { logger } from './logger';\n")
    write(out / "shared/src/logger.ts", (
        "import winston from 'winston';\n\n"
        "export const logger = winston.createLogger({\n"
        "  level: process.env.LOG_LEVEL || 'info',\n"
        "  format: winston.format.json(),\n"
        "  transports: [\n"
        "    new winston.transports.Console(),\n"
        "    new winston.transports.File({ filename: 'logs/error.log', level: 'error' }),\n"
        "  ],\n"
        "});\n"
    ))
    compose = ["version: '3.8'", "services:"]
    env = ["# Bench env template (fake values)", "NODE_ENV=development", "LOG_LEVEL=info",
           "REDIS_URL=redis://default:fakefakefakefakefake@localhost:6379", ""]
    written = 3
    for s in range(services):
        name = f"{rng.choice(NOUNS)}-svc-{s:03d}"
        port = 4000 + s
        base = out / "services" / name
        uses_logger = rng.random() < 0.8
        write(base / "package.json", f'{{\n  "name": "{name}",\n  "main": "dist/index.js",\n'
                                     f'  "scripts": {{ "start": "node dist/index.js" }}\n}}\n')
        write(base / "tsconfig.json", '{ "extends": "../../tsconfig.base.json", "include": ["src"] }\n')
        health = "/healthz" if s % 4 == 0 else "/health"
        write(base / "Dockerfile", (
            "FROM node:20-alpine AS builder\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\n"
            "RUN npm run build\n\nFROM node:20-alpine\nWORKDIR /app\nCOPY --from=builder /app/dist ./dist\n"
            f"USER node\nEXPOSE {port}\nHEALTHCHECK --interval=30s \\\n"
            f"  CMD node -e \"require('http').get('http://localhost:{port}/health', (r) => process.exit(r.statusCode === 200 ? 0 : 1))\"\n"
            'CMD ["node", "dist/index.js"]\n'
        ))
        write(base / "src/index.ts", (
            "import { app } from './app';\n\n"
            f"const PORT = process.env.PORT || {port};\n\n"
            "app.listen(PORT, () => {\n"
            f"  console.log(`{name} listening on port ${{PORT}}`);\n"
            "});\n"
        ))
        write(base / "src/app.ts", (
            "import express from 'express';\n\n"
            "export const app = express();\n"
            "app.use(express.json());\n\n"
            f"app.get('{health}', (_req, res) => {{\n"
            f"  res.json({{ status: 'ok', service: '{name}' }});\n"
            "});\n"
        ))
        written += 2
        for f in range(per_service - 2):
            if written >= files:
                break
            noun = rng.choice(NOUNS)
            layer = LAYERS[f % len(LAYERS)]
            writer = FileWriter(rng, name, noun, rng.random() < 0.34, uses_logger and rng.random() < 0.7, comments)
            write(base / "src" / layer / f"{noun}-{f:03d}.{layer.rstrip('s')}.ts", writer.render(rng.randrange(1, 9)))
            written += 1
        compose += [f"  {name}:", "    build:", f"      context: ./services/{name}", "    env_file: .env",
                    "    environment:", "      NODE_ENV: production", "    ports:", f'      - "{port}:{port}"']
        env.append(f"{name.upper().replace('-', '_')}_URL=http://{name}:{port}")
    write(out / "docker-compose.yml", "\n".join(compose) + "\n")
    write(out / "env.template", "\n".join(env) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=5000, help="TypeScript files in all (default 5000)")
    parser.add_argument("--services", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.out, args.files, args.services, args.seed)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
