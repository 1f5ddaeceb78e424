"""Shared leaves: what every stage needs and no stage owns.

Located problems (``diagnostics``), the machine's problems such as a full disk
(``environment``, exit 4), paths as users see them (``paths``), "did you mean"
suggestions (``suggest``) and Markdown to safe HTML (``markdown``).

May import: the standard library and third-party packages only, never another
briefgen package.
"""
