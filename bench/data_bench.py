"""Data: load time of every Parquet file and of ks_data's validation, and proof that a server reads them once.

``python -m bench.data_bench --repeats N`` prints the load and validation times as JSON (its own
process, so the imports are timed too). ``OpenCounter`` counts, with Linux inotify, every open of a
file in data/ by any process: the benchmark runs sessions against a fresh server in two batches and
shows how many opens each batch caused. Read once per process = the second batch opens nothing.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import statistics
import struct
import sys
import time
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
IN_OPEN = 0x20
IN_ISDIR = 0x40000000
_EVENT = struct.Struct("iIII")


class OpenCounter:
    """Count opens of the files in one folder (inotify IN_OPEN), by file name; "(folder)" = the folder listed."""

    def __init__(self, folder: Path) -> None:
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        if self.libc.inotify_add_watch(self.fd, str(folder).encode(), IN_OPEN) < 0:
            os.close(self.fd)
            raise OSError(ctypes.get_errno(), f"inotify_add_watch failed for {folder}")
        self.counts: Counter = Counter()

    def take(self) -> dict[str, int]:
        """Return the opens seen since the last call, and start counting anew."""
        while True:
            try:
                buf = os.read(self.fd, 65536)
            except BlockingIOError:
                break
            i = 0
            while i < len(buf):
                _wd, mask, _cookie, length = _EVENT.unpack_from(buf, i)
                name = buf[i + _EVENT.size:i + _EVENT.size + length].rstrip(b"\0").decode()
                self.counts["(folder)" if mask & IN_ISDIR or not name else name] += 1
                i += _EVENT.size + length
        out, self.counts = dict(sorted(self.counts.items())), Counter()
        return out

    def close(self) -> None:
        """Stop watching."""
        os.close(self.fd)


def _p50_ms(values: list[float]) -> float:
    return round(statistics.median(values) * 1000, 2)


def main(argv: list[str] | None = None) -> int:
    """Time imports, loading each table, loading all, and validation + reconciliation; print JSON."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--repeats", type=int, default=10)
    a = p.parse_args(argv)
    sys.path.insert(0, str(REPO_ROOT))
    t0 = time.perf_counter()
    from ks_data import paths
    from ks_data import schema as s
    from ks_data.check import check_tables
    from ks_data.load import load_table, load_tables
    from ks_data.reconcile import calc_reconciliation

    out: dict = {"import_ks_data_ms": round((time.perf_counter() - t0) * 1000, 1), "tables": {}}
    data_dir = paths.DATA_DIR
    for table in s.TABLES:
        times = []
        for _ in range(a.repeats):
            t0 = time.perf_counter()
            df = load_table(table, data_dir)
            times.append(time.perf_counter() - t0)
        out["tables"][table] = {"rows": len(df), "bytes": (data_dir / s.get_file_name(table)).stat().st_size,
                                "load_ms_p50": _p50_ms(times)}
    all_times, check_times, rec_times = [], [], []
    for _ in range(a.repeats):
        t0 = time.perf_counter()
        frames, problems = load_tables(data_dir)
        all_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        found = check_tables(frames, data_dir)
        check_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        calc_reconciliation(frames)
        rec_times.append(time.perf_counter() - t0)
    out["load_all_ms_p50"] = _p50_ms(all_times)
    out["check_ms_p50"] = _p50_ms(check_times)
    out["reconcile_ms_p50"] = _p50_ms(rec_times)
    out["problems"] = {"load": len(problems), "check": len(found)}
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
