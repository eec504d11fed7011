"""Safe edits of requirement chapters and procedure files."""
