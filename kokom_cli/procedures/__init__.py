"""Procedure books: models, loading, checks, traceability, reviews, and validation of a whole workspace."""
