"""Excel imports in two phases (the pretix way).

1. ``preview``: read every row into values, collect every error as "Dòng 7, cột C: …" and the
   rule violations of the whole list; nothing is written.
2. ``save``: read and check again, then create everything in one transaction through the services, or
   nothing.

Accepted: NFD text, surrounding spaces, dates as Excel dates or text ("05/01/1980", or only the
year). Refused with a clear message: formulas, a missing sheet or wrong headers, files over the
size limit, hostile archives, anything that is not an .xlsx workbook (an old .xls renamed included).

The package, by concern: ``reading`` (the hardened read, the shared parsing, the template),
``nomination_list`` (a unit's list: linear preview and bulk save, up to ``MAX_ROWS`` rows; large ones are
saved by the task worker, ``nominations.import_jobs``), ``award_history`` (the office's past years' awards).
"""

from .award_history import AWARD_KINDS, AwardHistoryImporter
from .nomination_list import NominationImporter
from .reading import (
    MAX_MEMBERS,
    MAX_ROWS,
    SAMPLE_MARK,
    Column,
    People,
    Preview,
    Row,
    XlsxImporter,
    import_max_unpacked_bytes,
    inspect_archive,
    parse_date,
    unreadable,
)

__all__ = [
    "AWARD_KINDS", "MAX_MEMBERS", "MAX_ROWS", "SAMPLE_MARK", "AwardHistoryImporter", "Column", "NominationImporter", "People",
    "Preview", "Row", "XlsxImporter", "import_max_unpacked_bytes", "inspect_archive", "parse_date", "unreadable",
]
