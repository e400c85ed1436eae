"""fixer: find and fix the production-readiness defects of a Node.js/TypeScript monorepo."""

__version__ = "0.1.0"


def main() -> None:
    """The `fixer` command. Ctrl-C while its modules load (a few tenths of a second) is the
    same quiet exit 130 as later, not a traceback from the middle of an import."""
    import sys

    try:
        from fixer.cli import main as run
    except KeyboardInterrupt:
        print("fixer: interrupted", file=sys.stderr)
        sys.exit(130)
    run()
