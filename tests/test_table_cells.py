"""``inputs.table_cells`` finds the cells pdfplumber's table finder finds, on real forms."""

from __future__ import annotations

import pdfplumber
import pytest
from pdfplumber.table import TableFinder, intersections_to_cells

from bulletin_ocr.inputs import table_cells
from conftest import SHARED, require_shared

GOV_PDF = SHARED / "real" / "gov-pdf"


@pytest.mark.parametrize(
    "name",
    ["putuo_finance_bureau_2024_final_accounts.pdf", "putuo_wanli_subdistrict_2025_budget.pdf"],
)
def test_the_cells_of_real_budget_tables_are_pdfplumbers(name: str) -> None:
    checked = 0
    with pdfplumber.open(require_shared(GOV_PDF / name)) as pdf:
        for page in pdf.pages[:12]:
            crossings = TableFinder(page, {"vertical_strategy": "lines"}).intersections
            expected = intersections_to_cells(crossings)
            assert table_cells.cells(crossings) == expected, f"page {page.page_number}"
            checked += len(expected)
    assert checked > 200  # the budget tables are ruled: there are cells to compare
