"""Editions: what changed between two, opening one from a folder or git, and releasing one."""
