"""Shared building blocks: findings and errors, language, atomic writes, locking, suggestions, parsers."""
