"""Call logs: reading them into DuckDB, the answer-time figures, and the verdict on metric requirements."""
