"""Stage 6, build: run the pipeline and write its outputs safely and only when needed.

``pipeline`` runs load -> validate -> analyse -> present -> render for each brief;
``cache`` and ``manifest`` decide what is up to date and record what was written;
``regular`` reads only regular files the manifest names; ``parallel`` forks
workers; ``write`` writes atomically; ``progress`` reports;
``watch`` rebuilds on save.

May import: every stage below (common, inputs, analysis, language, present, output).
"""
