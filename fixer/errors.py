"""Errors the CLI turns into one clear line."""


class FixerError(Exception):
    """Something the user can act on; printed as one line, exit code 2."""


class UsageError(FixerError):
    pass


class GitError(FixerError):
    pass


class ParseError(Exception):
    """A file a fix needs parsed does not parse; the engine skips it with this reason."""
