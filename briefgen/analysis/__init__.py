"""Stage 3, analyse: validated models -> numbers. Pure functions, no I/O, no prose.

``scores`` (scales, weighted sum, ranks), ``sensitivity`` (score ranges, weight
stability intervals), ``switching`` (which switching values are near), ``acceptability``
(SMAA-2 rank acceptability), ``packages`` and ``money``. The formulas and their
sources are in each module's docstring; sentences about the results belong to
briefgen.present.

May import: briefgen.common, briefgen.inputs.
"""
