"""How fast can we read a big status sheet? python-calamine (our reader) against openpyxl.

Prints seconds per reader for a generated 50,000-row sheet and the ratio to the openpyxl baseline,
measured in the same run. Usage: .venv/bin/python bench/bench_readers.py [rows]
"""

from __future__ import annotations

import io
import statistics
import sys
import time

import pandas as pd
from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook


def make_sheet(rows: int) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Chỉ tiêu")
    ws.append(["Mã chỉ tiêu", "Địa bàn", "Năm", "Giá trị", "Ghi chú"])
    for i in range(rows):
        ws.append([f"chi_tieu_{i % 40}", "Thủ Dầu Một", 2018 + i % 3, i * 1.5, "ghi chú minh họa"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read_calamine(data: bytes) -> int:
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return len(wb.get_sheet_by_name("Chỉ tiêu").to_python())


def read_openpyxl(data: bytes) -> int:
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    return sum(1 for _ in wb["Chỉ tiêu"].iter_rows(values_only=True))


def read_pandas_openpyxl(data: bytes) -> int:
    return len(pd.read_excel(io.BytesIO(data), sheet_name="Chỉ tiêu", engine="openpyxl")) + 1


def read_pandas_calamine(data: bytes) -> int:
    return len(pd.read_excel(io.BytesIO(data), sheet_name="Chỉ tiêu", engine="calamine")) + 1


def timeit(fn, data: bytes, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(data)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    data = make_sheet(rows)
    print(f"sheet: {rows:,} rows, {len(data) / 1e6:.1f} MB")
    readers = {
        "openpyxl read_only (baseline)": read_openpyxl,
        "pandas + openpyxl": read_pandas_openpyxl,
        "pandas + calamine": read_pandas_calamine,
        "python-calamine (used)": read_calamine,
    }
    assert len({fn(data) for fn in readers.values()}) == 1, "readers disagree on row count"
    base = None
    for name, fn in readers.items():
        seconds = timeit(fn, data)
        base = base or seconds
        print(f"{name:32s} {seconds:7.3f} s   x{base / seconds:5.1f} vs baseline")


if __name__ == "__main__":
    main()
