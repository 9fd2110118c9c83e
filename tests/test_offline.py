"""Nothing listens beyond this machine and nothing phones home."""

from __future__ import annotations

import ipaddress
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import onnxruntime
import psutil
import pytest

from bulletin_ocr.batch import Record, convert_batch
from bulletin_ocr.ocr import OcrOptions
from bulletin_ocr.ocr.paddle import PaddleEngine

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def listening_sockets() -> set[tuple[str, int]]:
    """(address, port) of every socket this process and its children listen on."""
    found = set()
    me = psutil.Process()
    for process in [me, *me.children(recursive=True)]:
        try:
            connections = process.net_connections(kind="inet")
        except psutil.NoSuchProcess:
            continue
        found |= {(c.laddr.ip, c.laddr.port) for c in connections if c.status == psutil.CONN_LISTEN}
    return found


def running_scheduler() -> Any:
    """The local cluster's scheduler, which runs in this process."""
    from distributed import Scheduler

    (scheduler,) = [s for s in Scheduler._instances if s.status.name == "running"]
    return scheduler


def http_status(port: int, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.slow
def test_local_dask_cluster_listens_on_loopback_only_and_shows_no_dashboard(tmp_path: Path) -> None:
    seen: set[tuple[str, int]] = set()
    pages: dict[str, int] = {}

    def during_the_run(_record: Record) -> None:
        seen.update(listening_sockets())
        if not pages:
            port = running_scheduler().http_server.port
            pages["health"] = http_status(port, "/health")
            pages["workers"] = http_status(port, "/info/main/workers.html")

    result = convert_batch([SAMPLES / "raw"], tmp_path / "out", executor="dask",
                           on_record=during_the_run)
    assert result.count("ok") == len(list((SAMPLES / "raw").glob("*.txt")))
    assert seen, "the cluster should have been listening during the run"
    assert all(ipaddress.ip_address(address).is_loopback for address, _port in seen), seen
    # The HTTP server is really there, but serves no page that lists workers or inputs.
    assert pages == {"health": 200, "workers": 404}


@pytest.mark.slow
def test_dashboard_only_when_asked_and_where_asked(tmp_path: Path) -> None:
    pages: dict[str, Any] = {}

    def during_the_run(_record: Record) -> None:
        if not pages:
            port = running_scheduler().http_server.port
            pages["workers"] = http_status(port, "/info/main/workers.html")

    convert_batch([SAMPLES / "raw"], tmp_path / "out", executor="dask",
                  dask_dashboard="127.0.0.1:0", on_record=during_the_run)
    assert pages["workers"] == 200


def test_onnxruntime_telemetry_is_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = onnxruntime.disable_telemetry_events

    def recording() -> Any:
        calls.append("disable_telemetry_events")
        return original()

    monkeypatch.setattr(onnxruntime, "disable_telemetry_events", recording)
    PaddleEngine(OcrOptions(rec_batch_size=3))  # a fresh engine, not a cached one
    assert calls and set(calls) == {"disable_telemetry_events"}  # once per model session
