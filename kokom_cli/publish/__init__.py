"""Publishing: HTML and PDF through sandboxed templates, and the context each template is given."""
