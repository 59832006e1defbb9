"""PDF renderer: an exporter's tables on A4 with the Nghị định 30/2020 header, through WeasyPrint.

- **Two passes, bounded memory.** Pass one reads the exporter's rows once, formats them and pickles them
  to a temporary file (the database cursor is closed before the long layout starts); it keeps a uniform
  sample of each table for the widths and notes the columns that hold one value on every row. Pass two
  lays the rows out ``TDKT_PDF_CHUNK_ROWS`` at a time: WeasyPrint keeps the layout of a whole document
  until it writes it (≈ 0.26 MB a row), so each chunk is written to a temporary file and freed, and the
  files are merged with pypdf (fonts stay embedded, text extractable, the title kept). Chunk *k* sets its
  page counter after chunk *k − 1*'s pages, so numbering runs on; the header block is printed once, at
  the top of page 1, and page numbers start on page 2 as ND 30 wants. A chunk ends with its last page,
  which may be partly filled: the next chunk starts on a new page, under the repeated column header.
- **Column widths follow the content** (:func:`column_widths`): measured with the bundled Tinos metrics
  on the sample, chosen to make rows short — the achievement summary gets the room, a date stays on one
  line — and written as percentages of a fixed-layout table, the same in every chunk.
- **Long rows split across pages**, the header row repeated (``thead`` as a table-header-group).
- **A column with one short value on every row** of a long table (≥ ``FOLD_MIN_ROWS`` rows: a list of
  one round) is printed once above the table ("Đợt đề nghị: Tổng kết năm 2025") instead of on each row.
"""

import datetime
import decimal
import functools
import gc
import math
import pickle
import random
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise

from ..text import ngay_thang_nam

FONT_FILES = [("normal", "normal", "Regular"), ("bold", "normal", "Bold"), ("normal", "italic", "Italic"),
              ("bold", "italic", "BoldItalic")]

# The geometry of print.css (mm, pt): keep both in step.
PAGE_WIDTH = {True: 297 - 20 - 15, False: 210 - 30 - 15}  # landscape / portrait text width
FONT_PT = {True: 9, False: 11}  # dense (more than 8 columns) / normal tables
CELL_PADDING_MM = {True: 2 * 1.0, False: 2 * 1.5}  # left + right padding of a cell
BORDER_MM = 0.6 * 25.4 / 72
PT_MM = 25.4 / 72
DENSE_COLUMNS = 8
WORD_CAP_EM = 12  # a longer word (a URL) is broken rather than given a column of its own
SPACE_EM = 0.25
SLACK_EM = 0.3  # per column, for rounding and the bold header
WIDTH_SAMPLE = 200  # rows measured for the widths
SPOOL_BATCH = 500
FOLD_MIN_ROWS = 20  # a table this long prints a column with one short value on every row once, above it
FOLD_MAX_LENGTH = 80


def font_faces():
    """@font-face sources for the bundled Tinos files (found through the staticfiles finders)."""
    faces = []
    for weight, style, name in FONT_FILES:
        path = finders.find(f"fonts/Tinos-{name}.ttf")
        if path:
            faces.append({"weight": weight, "style": style, "url": f"file://{path}"})
    return faces


@functools.cache
def _advances(name):
    """Advance width of each character of a bundled Tinos face, in em (for measuring text)."""
    # fontTools comes with WeasyPrint (it subsets the fonts it embeds); loaded for the first PDF only.
    from fontTools.ttLib import TTFont

    path = finders.find(f"fonts/Tinos-{name}.ttf")
    if not path:
        return {}
    with TTFont(path, lazy=True) as font:
        units, metrics = font["head"].unitsPerEm, font["hmtx"].metrics
        return {chr(code): metrics[glyph][0] / units for code, glyph in font.getBestCmap().items()}


def words_of(text, advances):
    """Widths (em) of the words of ``text``; spaces are 0.25 em in Tinos."""
    return [sum(advances.get(char, 0.5) for char in word) for word in str(text).split()]


def wrapped_lines(words, width):
    """Lines that words of these widths take in a column ``width`` em wide (greedy wrapping, as the
    browser does; a word wider than the column is broken)."""
    lines, line = 1, None
    for word in words:
        if line is None:
            line = word
        elif line + SPACE_EM + word <= width:
            line += SPACE_EM + word
        else:
            lines, line = lines + 1, word
        if line > width:
            extra = math.ceil(line / width) - 1
            lines, line = lines + extra, line - extra * width
    return lines


def _quantile(values, q):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def column_widths(columns, sample, *, landscape=True):
    """Widths (percent of the table) for ``columns``, measured on ``sample`` (formatted rows, text per cell).

    Each column is at least as wide as its longest word (its cells', 90th percentile, and its header's).
    For T = 1…6 lines, every column gets the narrowest width at which nine cells in ten of it fit in T
    lines; the widest column (the summary) either does too, or takes what the others leave. Spare room goes
    to the columns still short of one line. Of these layouts (and each with one column a line shorter, paid
    by the widest) the one with the shortest rows on the sample is kept, then width is moved between one
    column and the widest while rows get shorter. A row is as high as its tallest cell (word wrapping
    simulated with the font's metrics); the header row, repeated on every page, counts for one row in
    twelve. Without rows the columns' declared widths are the weights.
    """
    dense = len(columns) > DENSE_COLUMNS
    n = len(columns)
    if not sample:
        total = sum(c.width for c in columns) or 1
        return [round(100 * c.width / total, 2) for c in columns]
    sample = sample[:WIDTH_SAMPLE]
    regular, bold = _advances("Regular"), _advances("Bold")
    em_mm = FONT_PT[dense] * PT_MM
    overhead_mm = CELL_PADDING_MM[dense] + BORDER_MM
    room = (PAGE_WIDTH[landscape] - n * overhead_mm) / em_mm - n * SLACK_EM  # em of text across the table
    distinct, which = [], []  # per column: its distinct cells (word widths), and each row's cell among them
    for i in range(n):
        seen = {}
        which.append([seen.setdefault(tuple(words_of(row[i][0], regular)), len(seen)) for row in sample])
        distinct.append(list(seen))
    headers = [words_of(column.header, bold) for column in columns]
    floor = [max(max(headers[i], default=0), _quantile([min(max(c, default=0), WORD_CAP_EM) for c in distinct[i]], 0.9))
             for i in range(n)]
    want = [max(floor[i], _quantile([sum(c) + SPACE_EM * max(len(c) - 1, 0) for c in distinct[i]], 0.95)) for i in range(n)]
    memo = {}

    def lines(i, width):
        key = (i, round(width, 2))
        if key not in memo:  # long texts: their length over the width, 4 % lost at line ends
            per_cell = [wrapped_lines(cell, width) if len(cell) <= 12 else math.ceil(1.04 * (sum(cell) + SPACE_EM * len(cell)) / width)
                        for cell in distinct[i]]
            memo[key] = [per_cell[k] for k in which[i]]
        return memo[key]

    def need(i, target):
        """Narrowest width (to 0.1 em) at which 90 % of the column's rows fit in ``target`` lines."""
        low, high = floor[i], max(floor[i], want[i])
        while high - low > 0.1:
            middle = (low + high) / 2
            low, high = (low, middle) if _quantile(lines(i, middle), 0.9) <= target else (middle, high)
        return high

    def fitted(widths):
        total = sum(widths)
        if total > room:  # too wide: narrow the columns above their floor; floors wider than the page shrink alike
            above = sum(w - floor[i] for i, w in enumerate(widths))
            if above < total - room:
                return [f * room / sum(floor) for f in floor]
            return [w - (total - room) * (w - floor[i]) / above for i, w in enumerate(widths)]
        short = [max(want[i] - w, 0) for i, w in enumerate(widths)]
        weights = short if sum(short) else widths
        return [w + (room - total) * weights[i] / sum(weights) for i, w in enumerate(widths)]

    def score(widths):
        heights = [max(per_column) for per_column in zip(*(lines(i, w) for i, w in enumerate(widths)), strict=True)]
        header = max(wrapped_lines(headers[i], w) for i, w in enumerate(widths))
        return sum(heights) / len(heights) + header / 12

    widest = max(range(n), key=want.__getitem__)

    def rest_to_widest(widths):
        others = sum(w for i, w in enumerate(widths) if i != widest)
        return [max(room - others, floor[widest]) if i == widest else w for i, w in enumerate(widths)]

    candidates = []
    for target in range(1, 7):
        even = [need(i, target) for i in range(n)]
        candidates += [fitted(even), fitted(rest_to_widest(even))]
        for i in range(n):  # one column a line shorter, the widest paying
            if i != widest and target > 1:
                candidates.append(fitted(rest_to_widest([need(i, target - 1) if j == i else w for j, w in enumerate(even)])))
    widths = min(candidates, key=score)
    best = score(widths)
    for _ in range(40):  # then move width between a column and the widest while rows get shorter
        moves = [[w + (delta if j == i else -delta if j == widest else 0) for j, w in enumerate(widths)]
                 for i in range(n) if i != widest for delta in (-1, -0.3, 0.3, 1)]
        moves = [m for m in moves if all(m[j] >= floor[j] for j in range(n))]
        scored = min(((score(m), m) for m in moves), default=(best, widths), key=lambda pair: pair[0])
        if scored[0] >= best - 1e-9:
            break
        best, widths = scored
    mm = [(w + SLACK_EM) * em_mm + overhead_mm for w in widths]
    return [round(100 * w / sum(mm), 2) for w in mm]


def _pdf_value(value, kind):
    if value is None:
        return ""
    if isinstance(value, Promise):  # a lazy translation: the text, so that the row pickles
        return str(value)
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if kind == "money" and isinstance(value, (int, decimal.Decimal)):
        return f"{value:,.0f}".replace(",", ".")
    if isinstance(value, (float, decimal.Decimal)):
        return f"{value:n}".replace(".", ",") if float(value) != int(value) else str(int(value))
    return value


def _formatted(row, kinds):
    return [(_pdf_value(v, k), k) for v, k in zip(row, kinds, strict=True)]


@dataclass
class _Table:
    """A section as the PDF prints it: its columns (less the folded ones), their widths, and the rest."""

    heading: str
    columns: list
    kept: list  # indexes of the section's columns printed in the table
    widths: list
    count: int
    footer: list | None
    folded: list  # (header, value) of the columns with one value on every row, printed once above the table

    @property
    def dense(self):
        return len(self.columns) > DENSE_COLUMNS


@dataclass
class _Part:
    """The rows of one table that fall into one chunk (the table's heading and note on its first part)."""

    table: _Table
    first: bool
    rows: list = field(default_factory=list)
    footer: list | None = None

    @property
    def heading(self):
        return self.table.heading if self.first else ""

    @property
    def folded(self):
        return self.table.folded if self.first else []

    @property
    def header(self):
        return list(zip(self.table.columns, self.table.widths, strict=True))


def _spool(exporter, file):
    """Pass one: every section's rows, formatted, pickled to ``file`` in batches (the database cursor is
    done with before the long layout starts), a uniform sample of each (a reservoir: the first rows of a
    list sorted by unit are not typical of it) measured for the column widths, and the columns that hold
    one value on every row of a long table: those are printed once above it ("Đợt đề nghị: Tổng kết năm
    2025"), not on each row."""
    tables = []
    for section in exporter.sections():
        columns = section.all_columns
        kinds = [c.kind for c in columns]
        pick = random.Random(len(tables)).randrange  # the same widths for the same rows
        sample, batch, count, first = [], [], 0, None
        constant = set(range(1 if section.numbered else 0, len(columns)))
        for row in section.all_rows():
            row = _formatted(row, kinds)
            count += 1
            if first is None:
                first = row
                constant = {i for i in constant if 0 < len(str(row[i][0]).strip()) <= FOLD_MAX_LENGTH}
            elif constant:
                constant = {i for i in constant if row[i][0] == first[i][0]}
            if count <= WIDTH_SAMPLE:
                sample.append(row)
            elif (slot := pick(count)) < WIDTH_SAMPLE:
                sample[slot] = row
            batch.append(row)
            if len(batch) == SPOOL_BATCH:
                pickle.dump(batch, file, pickle.HIGHEST_PROTOCOL)
                batch = []
        if batch:
            pickle.dump(batch, file, pickle.HIGHEST_PROTOCOL)
        footer = section.all_footer()
        if count < FOLD_MIN_ROWS or footer is not None:
            constant = set()
        kept = [i for i in range(len(columns)) if i not in constant]
        printed = [columns[i] for i in kept]
        sample = [[row[i] for i in kept] for row in sample]
        tables.append(_Table(
            heading=section.heading, columns=printed, kept=kept, count=count,
            widths=column_widths(printed, sample, landscape=exporter.landscape),
            footer=[cell for i, cell in enumerate(_formatted(footer, kinds)) if i in kept] if footer is not None else None,
            folded=[(columns[i].header, first[i][0]) for i in sorted(constant)],
        ))
    return tables


def _chunks(tables, file, size):
    """Lists of parts holding at most ``size`` rows each, read back from the spool; a table continues
    into the next chunk with its header row (not its heading); the footer goes with its last rows."""
    file.seek(0)
    chunk, count, pending = [], 0, []
    for table in tables:
        if count >= size:
            yield chunk
            chunk, count = [], 0
        part = _Part(table, first=True)
        chunk.append(part)
        remaining = table.count
        while remaining:
            if count >= size:
                yield chunk
                part = _Part(table, first=False)
                chunk, count = [part], 0
            if not pending:
                pending = pickle.load(file)
            take = min(size - count, len(pending), remaining)
            if len(table.kept) == len(pending[0]):
                part.rows.extend(pending[:take])
            else:  # leave out the folded columns
                part.rows.extend([row[i] for i in table.kept] for row in pending[:take])
            del pending[:take]
            count += take
            remaining -= take
        part.footer = table.footer
    yield chunk


def render_pdf(exporter, *, agency=None, output=None):
    """Render ``exporter`` as one PDF. ``output``: a path or binary file to write to (the task worker);
    without it the bytes are returned."""
    # Imported on the first PDF, not at start-up: WeasyPrint loads Pango and HarfBuzz (≈1 s and
    # ≈40 MB measured here), which every process, manage.py command and worker that never renders a PDF would pay.
    from weasyprint import HTML

    base_url = str(finders.find("css/print.css") or ".")
    context = {
        "exporter": exporter,
        "agency": agency,
        "fonts": font_faces(),
        "dated": ngay_thang_nam(timezone.localdate(), agency.place_name if agency else None),
    }
    with tempfile.TemporaryDirectory(prefix="tdkt-pdf-") as folder, tempfile.TemporaryFile(dir=folder) as spool:
        tables = _spool(exporter, spool)
        files, pages = [], 0
        for index, parts in enumerate(_chunks(tables, spool, settings.TDKT_PDF_CHUNK_ROWS)):
            html = render_to_string("tdkt/export_list.html", {**context, "parts": parts, "first": index == 0,
                                                               "first_page_number": pages + 1})
            document = HTML(string=html, base_url=base_url).render()
            pages += len(document.pages)
            path = Path(folder) / f"{index:05d}.pdf"
            document.write_pdf(path)
            document = None
            gc.collect()  # the layout tree holds reference cycles: free it before the next chunk
            files.append(path)
        if len(files) == 1:
            return _deliver(files[0], output)
        merged = Path(folder) / "merged.pdf"
        merge_pdfs(files, merged)
        return _deliver(merged, output)


def merge_pdfs(paths, target):
    """Concatenate PDFs into ``target`` (pages in order, the first file's metadata)."""
    # pypdf is needed only when a document had more than one chunk.
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for path in paths:
        writer.append(str(path))
    metadata = PdfReader(str(paths[0])).metadata
    if metadata:
        writer.add_metadata({key: value for key, value in metadata.items()})
    with open(target, "wb") as file:
        writer.write(file)


def _deliver(path, output):
    if output is None:
        return Path(path).read_bytes()
    if isinstance(output, (str, Path)):
        shutil.copyfile(path, output)
    else:
        with open(path, "rb") as source:
            shutil.copyfileobj(source, output)
    return None
