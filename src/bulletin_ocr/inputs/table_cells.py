"""Ruled tables found as pdfplumber finds them, with its slowest step done in linear time.

pdfplumber's ``intersections_to_cells`` looks, for every crossing of two rules, for the
crossings below and to the right of it by scanning all the crossings after it, and rebuilds
the sets of rules through both points at every comparison: on the gov-pdf budget tables
(a thousand crossings a page) that is about half of the table finder's time. ``cells``
gives the same cells in the same order from the rules through each crossing worked out once
and the crossings indexed by column and row.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

Point = tuple[float, float]
Cell = tuple[float, float, float, float]


def find(settings: dict[str, Any]) -> list[Any]:
    """pdfplumber's ``TableFinder(None, settings).tables`` for explicit rules (no page)."""
    from pdfplumber.table import (
        Table,
        TableFinder,
        TableSettings,
        cells_to_tables,
        edges_to_intersections,
    )

    finder = TableFinder.__new__(TableFinder)
    finder.page = None  # type: ignore[assignment]  # explicit edges need no page
    finder.settings = TableSettings.resolve(settings)
    finder.edges = finder.get_edges()
    finder.intersections = edges_to_intersections(
        finder.edges,
        finder.settings.intersection_x_tolerance,
        finder.settings.intersection_y_tolerance,
    )
    finder.cells = cells(finder.intersections)
    return [Table(finder.page, group) for group in cells_to_tables(finder.cells)]


def cells(intersections: dict[Point, dict[str, list[dict[str, Any]]]]) -> list[Cell]:
    """Every rectangular cell whose four corners are crossings joined by rules, as
    ``pdfplumber.table.intersections_to_cells`` returns them.

    >>> from pdfplumber.table import intersections_to_cells
    >>> h = lambda y: {"x0": 0, "top": y, "x1": 20, "bottom": y}
    >>> v = lambda x: {"x0": x, "top": 0, "x1": x, "bottom": 10}
    >>> grid = {(x, y): {"v": [v(x)], "h": [h(y)]} for x in (0, 10, 20) for y in (0, 10)}
    >>> cells(grid) == intersections_to_cells(grid) == [(0, 0, 10, 10), (10, 0, 20, 10)]
    True
    """
    points = sorted(intersections)
    through = {
        point: (_boxes(edges["v"]), _boxes(edges["h"])) for point, edges in intersections.items()
    }
    # The crossings after each one in sorted order that share its x (below it) or its y
    # (right of it), in that order.
    column: dict[float, list[Point]] = defaultdict(list)
    row: dict[float, list[Point]] = defaultdict(list)
    for point in points:
        column[point[0]].append(point)
        row[point[1]].append(point)
    place_in_column = {p: i for ps in column.values() for i, p in enumerate(ps)}
    place_in_row = {p: i for ps in row.values() for i, p in enumerate(ps)}

    def joined(p1: Point, p2: Point) -> bool:
        if p1[0] == p2[0] and not through[p1][0].isdisjoint(through[p2][0]):
            return True
        return p1[1] == p2[1] and not through[p1][1].isdisjoint(through[p2][1])

    found: list[Cell] = []
    for point in points[:-1]:
        below = column[point[0]][place_in_column[point] + 1:]
        right = row[point[1]][place_in_row[point] + 1:]
        cell = _smallest_cell(point, below, right, joined, intersections)
        if cell is not None:
            found.append(cell)
    return found


def _smallest_cell(
    point: Point,
    below: list[Point],
    right: list[Point],
    joined: Any,
    intersections: dict[Point, Any],
) -> Cell | None:
    for below_point in below:
        if not joined(point, below_point):
            continue
        for right_point in right:
            if not joined(point, right_point):
                continue
            corner = (right_point[0], below_point[1])
            if corner in intersections and joined(corner, right_point) and joined(
                corner, below_point
            ):
                return (point[0], point[1], corner[0], corner[1])
    return None


def _boxes(edges: list[dict[str, Any]]) -> frozenset[Cell]:
    """The rules as pdfplumber compares them (``utils.obj_to_bbox``)."""
    return frozenset((e["x0"], e["top"], e["x1"], e["bottom"]) for e in edges)
