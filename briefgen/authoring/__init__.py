"""Tools for the people who write option and brief files.

``scaffold`` (``init`` and ``new``), ``schema`` (JSON Schema for editors, from the
models), ``fielddocs`` (the field reference in docs/writing-options.md, from the
models) and ``diff`` (what changed between two versions of a workspace).

May import: every package but briefgen.cli.
"""
