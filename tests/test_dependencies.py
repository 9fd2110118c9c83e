"""The installed set: one OpenCV, and the one that is imported."""

from __future__ import annotations

from importlib import metadata

import cv2


def _providers(top_level: str) -> list[str]:
    """Installed distributions that put files into the ``top_level`` package folder."""
    names = []
    for distribution in metadata.distributions():
        files = distribution.files or []
        if any(str(file).startswith(f"{top_level}/") for file in files):
            names.append(distribution.metadata["Name"])
    return sorted(set(names))


def test_exactly_one_distribution_provides_cv2() -> None:
    assert _providers("cv2") == ["opencv-python-headless"]


def test_imported_cv2_is_that_distribution() -> None:
    installed = metadata.version("opencv-python-headless")
    assert installed.startswith(cv2.__version__ + ".")
    info = cv2.getBuildInformation()
    assert cv2.__version__ in info
    # Headless: no GUI back end was built in, so nothing pulls in X11 or Qt at import.
    gui = next(line for line in info.splitlines() if line.strip().startswith("GUI:"))
    assert gui.split(":", 1)[1].strip() in ("NONE", "")


def test_no_paddle_packages_in_the_default_install() -> None:
    """The paddleocr extra lives in an environment of its own (make .venv-paddleocr/.installed):
    it brings PaddleX and a second OpenCV build."""
    names = sorted(
        name for name in (d.metadata["Name"] or "" for d in metadata.distributions())
        if name.lower().startswith("paddle")
    )
    assert names == []
