"""Stage 1 and 2, inputs: YAML files -> validated models, with every problem located.

``load`` reads YAML with the line and column of every node; ``models`` are the
pydantic models (the single source of truth for what a file may hold);
``validate`` turns pydantic's errors into located diagnostics; ``workspace``
holds the validated files of a workspace and ``loader`` finds and reads them;
``rules`` and ``record_rules`` check what no single file can (cross-file rules);
``safety`` keeps an untrusted workspace from reaching outside itself;
``localize`` picks one language from bilingual fields; ``discovery`` finds the
workspace from any folder inside it, ``tomlfile`` reads TOML with the location of
every value, ``config`` is the model of briefgen.toml and ``quickconfig`` its
pydantic-free fast path for valid files; ``choices`` holds the
value sets files and command-line options share.

May import: briefgen.common.
"""
