"""The command line: a thin click shell over the packages below it.

May import: every briefgen package.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefgen.cli.commands import cli as cli

__all__ = ["cli", "main"]


def main() -> None:
    """The `briefgen` command. Signals are handled before click and the pipeline are
    imported, so even a Ctrl-C in the first instant ends with one line, not a traceback."""
    from briefgen.common import signals

    signals.install()
    try:
        from briefgen.cli.commands import main as run

        # One that came during the import: here, not later inside click's parsing, which
        # would make a Ctrl-C "Aborted!" and exit 1.
        signals.deliver_pending()
    except (KeyboardInterrupt, signals.Terminated) as exc:
        line, status = signals.farewell(exc)
        sys.stderr.write(line + "\n")
        raise SystemExit(status) from None
    run()


def __getattr__(name: str) -> Any:
    # `cli` is imported when asked for, not with the package, for main() above.
    if name == "cli":
        from briefgen.cli.commands import cli

        return cli
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
