"""The PDF server's preload (see briefgen.output.pdf.server): importing this module
imports WeasyPrint and lays out one small document, so that what every process pays
once (Fontconfig's set-up, the hyphenation dictionary, cffi's C types, WeasyPrint's
first-layout costs) is paid in the server, before the layout processes fork from it.

A failure here is left for the layout itself to report: the server only warms.
"""

from __future__ import annotations

import contextlib
import signal

# A server started from server.launch (multiprocessing restarts one that died) inherits
# the signal mask launch holds; its layout processes must stay killable (terminate()).
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})

with contextlib.suppress(Exception):
    from briefgen.output.pdf.weasy import warm_up

    warm_up()
    # What a layout process unpickles: imported here once, not in each process.
    import briefgen.output.pdf.split  # noqa: F401
