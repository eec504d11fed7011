"""kokom: national requirements and procedure books for the Norwegian medical emergency call service."""

__version__ = "0.1.0"
