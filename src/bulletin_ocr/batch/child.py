"""A worker process: does the work its supervisor sends, one piece at a time, and reports back.

Started as ``python -m bulletin_ocr.batch.child`` with pipes on stdin and stdout carrying
frames (see ``frames``). The real stdout is sent to /dev/null first, so that a library
printing to it cannot corrupt the frames. The process ignores Ctrl-C (its supervisor stops it)
and dies with its parent: the kernel's parent-death signal on Linux, a watchdog elsewhere.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)

    def watch() -> None:
        # Covers platforms without PDEATHSIG and a parent gone before prctl took effect.
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _heap_trimmer() -> Callable[[], object]:
    """A call that hands the heap's free memory back to the system (glibc; elsewhere none).

    glibc keeps what a page's recognition freed: a worker sat at ~600 MB between dense pages
    and ~170 MB after trimming, with no measurable cost per page (benchmarks/README.md,
    issue 12). Two workers of a batch hold that at once, and an idle one all the while.
    """
    import ctypes

    try:
        malloc_trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return lambda: None
    return lambda: malloc_trim(0)


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(int(os.environ.get("BULLETIN_OCR_PARENT", os.getppid())))
    inbox = sys.stdin.buffer
    outbox = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)

    from bulletin_ocr import stages
    from bulletin_ocr.batch.frames import read_frame, write_frame
    from bulletin_ocr.batch.parts import perform
    from bulletin_ocr.logs import configure_worker_logging

    settings = read_frame(inbox)  # the first frame: how the parent logs
    if settings is None:
        return
    configure_worker_logging(settings)

    lock = threading.Lock()
    trim = _heap_trimmer()

    def report(stage: str, page: int | None) -> None:
        if stage == "ocr":
            trim()  # the page before's buffers
        kind = "page" if stage == stages.PAGE_DONE else "stage"
        with lock:
            write_frame(outbox, (kind, stage, page, time.time()))

    stages.set_reporter(report)
    while True:
        work = read_frame(inbox)
        if work is None:
            return
        record = perform(work)
        trim()
        with lock:
            write_frame(outbox, ("record", record))


if __name__ == "__main__":
    main()
