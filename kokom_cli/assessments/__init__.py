"""Self-assessments: services, loading, applicability, evaluation, forms, migration, spreadsheets, overview."""
