"""Stage 5, output: view models -> document bytes.

``render`` (Jinja templates -> HTML and Markdown, with workspace overrides by
name), ``export`` (the validated data and computed figures as JSON) and ``pdf``
(HTML -> PDF with WeasyPrint, and the split render of long briefs).

May import: briefgen.common, briefgen.inputs, briefgen.analysis, briefgen.language,
briefgen.present.
"""
