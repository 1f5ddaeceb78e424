"""Stage 4, present: models and analysis results -> view models for templates.

Every number is formatted, every id resolved and every generated sentence written
here, so templates only place what they are given. ``brief`` builds a brief's view,
``findings`` its robustness, money, package and chart parts, ``record`` the brief
as a decision record, ``sentences`` the generated prose, ``charts`` the SVG charts.

May import: briefgen.common, briefgen.inputs, briefgen.analysis, briefgen.language.
"""
