"""The PDF server's preload (see briefgen.output.pdf.server): importing this module
imports WeasyPrint and lays out one small document, so that what every process pays
once (Fontconfig's set-up, the hyphenation dictionary, cffi's C types, WeasyPrint's
first-layout costs) is paid in the server, before the layout processes fork from it.

A failure here is left for the layout itself to report: the server only warms.
"""

from __future__ import annotations

import contextlib
import signal

# Ctrl-C is the build's to handle, not the server's nor its layout processes' (they
# inherit this): server.start() has the server ignore it from its first instruction, but a
# server multiprocessing starts on first use (split._context, from a watch's PDF thread,
# which may not touch signal handlers) learns it only here.
signal.signal(signal.SIGINT, signal.SIG_IGN)

with contextlib.suppress(Exception):
    from briefgen.output.pdf.weasy import warm_up

    warm_up()
    # What a layout process unpickles: imported here once, not in each process.
    import briefgen.output.pdf.split  # noqa: F401
