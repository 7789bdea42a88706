"""Read the first visible sheet of an .xlsx, .xls or .ods with python-calamine, in a process of its own.

``eventapp.spreadsheets`` runs this file as a script: the workbook's bytes on stdin, the most rows to read as the
only argument (0 for all). It prints JSON: ``{"rows": [[value, ...], ...]}``, where a date, a time or a duration
is ``{"date": iso}``, ``{"datetime": iso}``, ``{"time": iso}`` or ``{"seconds": n}``; or ``{"error": "password"}``
for a workbook locked with a password, ``{"error": "empty"}`` for one without a worksheet.

Why a process: calamine's reader of the Excel 97–2003 format panics on some damaged files, and on others asks for
terabytes of memory and aborts the whole process (found by feeding it damaged copies of a real .xls). Here that
ends this process, under a memory limit, and the web worker answers with a message. Only the standard library and
python-calamine are imported, so the process starts in a few hundredths of a second.
"""

import io
import json
import resource
import sys
from datetime import date, datetime, time, timedelta

#: The address space the reader may use; a workbook of the largest upload allowed needs far less.
MEMORY_LIMIT = 2 * 1024**3


def _plain(value):
    """A cell's value as JSON can carry it."""
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, time):
        return {"time": value.isoformat()}
    if isinstance(value, timedelta):
        return {"seconds": value.total_seconds()}
    return value


def main() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

    max_rows = int(sys.argv[1]) or None
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(sys.stdin.buffer.read()))
    except PasswordError:
        json.dump({"error": "password"}, sys.stdout)
        return
    names = [sheet.name for sheet in workbook.sheets_metadata
             if sheet.visible == SheetVisibleEnum.Visible and sheet.typ == SheetTypeEnum.WorkSheet]
    if not names:
        json.dump({"error": "empty"}, sys.stdout)
        return
    values = workbook.get_sheet_by_name(names[0]).to_python(skip_empty_area=False, nrows=max_rows)
    json.dump({"rows": [[_plain(value) for value in row] for row in values]}, sys.stdout)


if __name__ == "__main__":
    main()
