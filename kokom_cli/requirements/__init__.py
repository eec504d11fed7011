"""The national requirements: models, loading a corpus, and the validation cache."""
