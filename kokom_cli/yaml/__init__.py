"""Reading YAML: the fast safe reader with positions, schema findings, and the round-trip layer for edits."""
