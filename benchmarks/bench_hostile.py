"""The hostile set under its limits: wall time and peak memory of each run, parent included.

Each hostile input (damaged and looping PDFs, a Flate bomb, giant and sliver pages, 16-bit
and huge images, a long multi-page TIFF, a FIFO, a link to /dev/zero, a name too long for its
outputs) is converted by its own ``bulletin-ocr convert`` with ``--jobs 2``, a page deadline
and a worker memory ceiling. Every 0.05 s the script reads each process of the run's tree from
/proc: the parent's own peak (``VmHWM``) and the largest worker's. A run is within its limits
when its wall time stays under what its stages' deadlines allow and no process passes its
ceiling (the parent has none of its own; it is reported against the workers' ceiling).

    PYTHONPATH=src python benchmarks/bench_hostile.py
    PYTHONPATH=src python benchmarks/bench_hostile.py --tiff-pages 1000 --png-megapixels 119

The fixtures come from ``tests/hostile_fixtures.py`` (the same the tests use) and from here.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
import hostile_fixtures as hostile  # noqa: E402

SAMPLES = ROOT / "samples"


@dataclass
class Peaks:
    parent: int = 0
    worker: int = 0
    processes: set[int] = field(default_factory=set)


def _high_water(pid: int) -> int:
    """The peak resident memory (VmHWM) of ``pid`` so far, in bytes; 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _tree(root: int) -> list[int]:
    import psutil

    try:
        return [root, *(p.pid for p in psutil.Process(root).children(recursive=True))]
    except psutil.NoSuchProcess:
        return []


def measure(command: list[str]) -> tuple[float, Peaks, int, str]:
    """Wall seconds, peaks, exit code and stderr of ``command``."""
    peaks = Peaks()
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            for pid in _tree(process.pid):
                peaks.processes.add(pid)
                if pid == process.pid:
                    peaks.parent = max(peaks.parent, _high_water(pid))
                else:
                    peaks.worker = max(peaks.worker, _high_water(pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    done.set()
    sampler.join()
    return time.perf_counter() - started, peaks, process.returncode, stderr.decode(errors="replace")


def flate_bomb_pdf(pages: int = 4, megabytes: int = 1) -> bytes:
    """A PDF of ``pages`` pages whose content streams inflate ~1000x (zeros), about
    ``megabytes`` MB on disk: what a text-layer reader decompresses page by page."""
    import pikepdf

    pdf = pikepdf.new()
    chunk = zlib.compress(b"0" * (megabytes * 2**20 * 1000 // pages), 9)
    for _ in range(pages):
        page = pdf.add_blank_page(page_size=(595, 842))
        page.obj.Contents = pdf.make_stream(chunk)
        page.obj.Contents.Filter = pikepdf.Name.FlateDecode
    path = Path(tempfile.mkstemp(suffix=".pdf")[1])
    pdf.save(path)
    data = path.read_bytes()
    path.unlink()
    return data


def big_sixteen_bit_png(path: Path, megapixels: float) -> Path:
    """A smooth 16-bit grey PNG of ``megapixels`` (compresses well, decodes to 2 bytes/px)."""
    import numpy as np
    from PIL import Image

    width = int((megapixels * 1e6 * 0.75) ** 0.5)
    height = int(megapixels * 1e6 / width)
    row = np.linspace(0, 65535, width, dtype=np.uint32).astype(np.uint16)
    Image.fromarray(np.broadcast_to(row, (height, width)).copy()).save(path)  # I;16
    return path


def long_tiff(path: Path, pages: int) -> Path:
    """A multi-page TIFF of ``pages`` small pages with a line of text each."""
    page = hostile.text_page_pixels().convert("L")
    page.save(path, save_all=True, append_images=[page] * (pages - 1), compression="tiff_lzw")
    return path


def build(folder: Path, tiff_pages: int, png_megapixels: float) -> dict[str, Path]:
    """Every hostile input, each in a folder of its own (one run each); by name."""
    made: dict[str, Path] = {}

    def add(name: str, make: Callable[[Path], object]) -> None:
        place = folder / name.replace(".", "-")[:200]
        place.mkdir(parents=True)
        make(place / name)
        made[name] = place / name

    pdfs: dict[str, Callable[[], bytes]] = {
        "mediabox-cycle.pdf": hostile.mediabox_cycle_pdf,
        "length-self-reference.pdf": hostile.length_self_reference_pdf,
        "xref-prev-loop.pdf": hostile.xref_prev_loop_pdf,
        "huge-mediabox.pdf": hostile.huge_mediabox_pdf,
        "sliver-page.pdf": hostile.sliver_page_pdf,
        "giant-page.pdf": hostile.giant_untrusted_page_pdf,
        "truncated.pdf": hostile.truncated_pdf,
        "broken-xref.pdf": hostile.broken_xref_pdf,
        "flate-bomb.pdf": flate_bomb_pdf,
    }
    for name, make_pdf in pdfs.items():
        add(name, lambda path, make_pdf=make_pdf: hostile.write(path, make_pdf()))
    add("sixteen-bit.png", hostile.sixteen_bit_png)
    add("sixteen-bit.tif", hostile.sixteen_bit_tiff)
    add("huge-16bit.png", lambda path: big_sixteen_bit_png(path, png_megapixels))
    add("extreme-aspect.png", lambda path: hostile.extreme_aspect_png(path, 60000, 40))
    add("long.tif", lambda path: long_tiff(path, tiff_pages))
    add("fifo.pdf", lambda path: os.mkfifo(path))
    add("zero.txt", lambda path: os.symlink("/dev/zero", path))
    add("n" * 240 + ".txt", lambda path: shutil.copy(SAMPLES / "raw" / "yunxi-2022-15.txt", path))
    return made


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page-timeout", type=float, default=30)
    parser.add_argument("--max-memory", type=int, default=1000, help="MB per worker")
    parser.add_argument("--tiff-pages", type=int, default=200)
    parser.add_argument("--png-megapixels", type=float, default=119)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-hostile-"))
    try:
        inputs = build(work / "in", args.tiff_pages, args.png_megapixels)
        stage_limit = args.page_timeout * 1.2 + 5  # the supervisor's backstop per stage
        print(f"page deadline {args.page_timeout:g} s (backstop {stage_limit:g} s a stage), "
              f"worker ceiling {args.max_memory} MB")
        print(f"{'input':<28} {'exit':>4} {'wall s':>7} {'parent MB':>9} {'worker MB':>9}  "
              "first line of stderr")
        walls, parents, workers = [], [], []
        for name, path in inputs.items():
            wall, peaks, code, stderr = measure([
                sys.executable, "-m", "bulletin_ocr", "convert", str(path), "-o",
                str(work / "out" / path.parent.name), "--jobs", "2", "--to", "all", "--quiet",
                "--page-timeout", f"{args.page_timeout:g}", "--max-memory", str(args.max_memory),
            ])
            walls.append(wall)
            parents.append(peaks.parent)
            workers.append(peaks.worker)
            first = (stderr.strip().splitlines() or [""])[0][:70]
            print(f"{name[:28]:<28} {code:>4} {wall:>7.1f} {peaks.parent / 2**20:>9.0f} "
                  f"{peaks.worker / 2**20:>9.0f}  {first}", flush=True)
        print(f"max: wall {max(walls):.1f} s, parent {max(parents) / 2**20:.0f} MB, "
              f"worker {max(workers) / 2**20:.0f} MB (ceiling {args.max_memory} MB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
