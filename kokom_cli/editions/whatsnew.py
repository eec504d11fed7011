"""The "what's new" annex of a handbook: the changes since an earlier edition, arranged for the template."""

from __future__ import annotations

from kokom_cli.editions.diff import diff_editions
from kokom_cli.editions.opening import open_edition
from kokom_cli.workspace import CONFIG_NAME, Workspace


def whats_new(workspace: Workspace, since: str) -> dict:
    """The "what's new" context of the handbook: the requirement changes since the edition `since`.

    `since` is a folder or git revision (as for `kokom diff`). Returns the
    edition compared with (its number where kokom.yaml gives one), the
    changes by kind, and `by_id`: each added, changed or renamed requirement
    id -> its change, for marking the requirement in the text.
    """
    with open_edition(since, workspace) as old:
        label = old.config.edition if old.root is not None and (old.root / CONFIG_NAME).is_file() else since
        diff = diff_editions(old, workspace, label, workspace.config.edition)
    groups = {
        name: [i.as_json() | {"replaces": i.replaces} for i in getattr(diff, name) if i.kind == "requirement"]
        for name in ("added", "changed", "renamed", "removed")
    }
    by_id = {
        item["id"]: dict(item, change=name, since=label)
        for name in ("added", "changed", "renamed")
        for item in groups[name]
    }
    return {"since": label, **groups, "by_id": by_id}
