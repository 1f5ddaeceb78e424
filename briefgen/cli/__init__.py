"""The command line: a thin click shell over the packages below it.

May import: every briefgen package.
"""

from briefgen.cli.commands import cli, main

__all__ = ["cli", "main"]
