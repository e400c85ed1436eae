"""fixer: find and fix the production-readiness defects of a Node.js/TypeScript monorepo."""

__version__ = "0.1.0"
