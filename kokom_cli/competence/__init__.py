"""Competence and training: a service's staff register checked against the national course and rule catalogue."""
