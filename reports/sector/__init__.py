"""The sector report: one round's picture for a network's analysts, or for the whole UK (staff).

- `data`: `sector_data` reads everything in a fixed number of queries into plain data
  (`SectorData`); the writers below only format it;
- `wording`: the generated summary, participation, changes, withheld figures, notes, licence;
- `pdf_file`: `build_sector_pdf` (summary, participation, each dimension's distribution,
  change since the previous round, the councils sharing by name for a network, notes);
- `xlsx_file`: `write_sector_xlsx` (sheets Summary, By dimension, Councils sharing by name,
  Groups, Notes);
- `csv_file`: `sector_csv_rows` / `write_sector_csv`, tidy long format produced row by row so a
  view can stream it;
- `neutralise` (from `core.spreadsheet_text`), which keeps spreadsheets from running text as
  a formula.

The names below are those callers outside the package use.
"""

from core.spreadsheet_text import neutralise

from .csv_file import CSV_HEADER, sector_csv_rows, write_sector_csv
from .data import ALL_UK, PooledRow, RoundInfo, SectorData, SubjectFigures, sector_data
from .pdf_file import build_sector_pdf, sector_report_html
from .wording import LICENCE_NOTE
from .xlsx_file import write_sector_xlsx

__all__ = [
    "ALL_UK",
    "CSV_HEADER",
    "LICENCE_NOTE",
    "PooledRow",
    "RoundInfo",
    "SectorData",
    "SubjectFigures",
    "build_sector_pdf",
    "neutralise",
    "sector_csv_rows",
    "sector_data",
    "sector_report_html",
    "write_sector_csv",
    "write_sector_xlsx",
]
