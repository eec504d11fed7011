"""A loaded YAML document, and the position of any value in it, looked up only when a finding needs one.

Loading uses libyaml's safe loader, which keeps no positions (`yaml.reader`).
When a finding must point at a value, the node tree of that one file is
composed (in C) and each mapping on the way is indexed once, so a file with
thousands of findings stays linear.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kokom_cli.core.findings import Finding, Severity

_Composer = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class YamlDocument:
    """A loaded YAML file: its data, and positions of any value on request."""

    path: Path
    display: str
    text: str
    data: Any
    _root: Any = field(default=None, repr=False)
    _keys: dict[int, dict[str, tuple[Any, Any]]] = field(default_factory=dict, repr=False)

    def _child(self, node: Any, part: Any) -> tuple[Any, Any]:
        """(key node, value node) of `part` under `node`, or (None, None). Each mapping is indexed once."""
        if isinstance(node, yaml.MappingNode):
            index = self._keys.get(id(node))
            if index is None:
                index = {}
                for key_node, value_node in node.value:
                    if isinstance(key_node, yaml.ScalarNode):
                        index.setdefault(key_node.value, (key_node, value_node))
                self._keys[id(node)] = index
            return index.get(str(part), (None, None))
        if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            return None, node.value[part]
        return None, None

    def node_at(self, loc: tuple = (), *, key: bool = False) -> Any:
        """The YAML node at `loc` (or its key node), or the nearest existing parent.

        A `loc` that does not exist (a missing field) resolves to its nearest
        existing parent, which is where the user has to add it. Lookups cost
        one dictionary access per step: a file with many findings stays linear.
        """
        if self._root is None:
            self._root = yaml.compose(self.text, Loader=_Composer)
        node = self._root
        for index, part in enumerate(loc):
            key_node, child = self._child(node, part)
            if child is None:
                break
            if key and key_node is not None and index == len(loc) - 1:
                return key_node
            node = child
        return node

    def forget_nodes(self) -> None:
        """Free the node tree (composed again if a later finding needs a position)."""
        self._root = None
        self._keys = {}

    def position(self, loc: tuple = (), *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at `loc`, or of its key when `key` is set."""
        node = self.node_at(loc, key=key)
        if node is None:
            return 1, 1
        return node.start_mark.line + 1, node.start_mark.column + 1

    def source_text(self, loc: tuple) -> str | None:
        """The scalar at `loc` exactly as written in the file (before YAML typed it)."""
        node = self.node_at(loc)
        return node.value if isinstance(node, yaml.ScalarNode) else None

    def finding(
        self, loc: tuple, code: str, message: str, *, key: bool = False, severity: Severity = Severity.error
    ) -> Finding:
        line, column = self.position(loc, key=key)
        return Finding(self.display, line, column, severity, code, message)
