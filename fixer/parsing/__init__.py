"""Parsers for the file kinds fixes read; each gives exact byte spans into the original file."""
