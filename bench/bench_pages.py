"""Every page, server side (Streamlit AppTest through dashboard.py's navigation), cold and warm, at
each generated scale, against a naive baseline measured in the same run.

* cold: the first run after a data change (the data-version cache emptied), median of --runs;
* warm: a rerun with the same URL, median of --runs;
* baseline: the same figures computed naively with pandas from whole tables read on every run (what a
  page without the store's SQL and cache would do); where the plan's workbooks are stored (province;
  national's first plan, the one pages open with), also issue 11's own baseline: pandas reading
  every current report's stored workbook on every run, then the same computation;
* twenty viewers: 20 AppTest sessions on threads rerunning the overview at once, median and worst,
  against one viewer alone (national scale).

Usage: .venv/bin/python bench/bench_pages.py [--scales province,national,stress] [--runs 5]
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import threading
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402

from bench.common import ROOT, Row, emit, median_ms, ms, scale_db  # noqa: E402

PAGES = {
    "overview": "pages/overview.py",
    "by_theme": "pages/by_theme.py",
    "by_department": "pages/by_department.py",
    "priorities": "pages/priorities.py",
    "indicators": "pages/indicators.py",
    "reporting": "pages/reporting.py",
    "plan": "pages/plan.py",
    "templates": "pages/templates.py",
    "upload": "pages/upload.py",
    "history": "pages/history.py",
    "review": "pages/review.py",
    "value_history": "pages/value_history.py",
    "data_quality": "pages/data_quality.py",
}
LEADERSHIP = ["overview", "by_theme", "by_department", "priorities", "indicators", "reporting"]


# ---- the naive baseline: pandas over whole tables, every run ----------------------------------

RANK = {"completed": 5, "in_progress": 4, "on_hold": 3, "not_started": 2, "delayed": 1}


def _tables(con, *names: str) -> dict[str, pd.DataFrame]:
    return {n: con.execute(f"SELECT * FROM {n}").df() for n in names}  # noqa: S608


def _current(subs: pd.DataFrame, events: pd.DataFrame, plan: str) -> pd.DataFrame:
    withdrawn = set(events.loc[events["event"] == "withdrawn", "submission_id"])
    s = subs[(subs["plan_id"] == plan) & ~subs["submission_id"].isin(withdrawn)]
    s = s.sort_values(["uploaded_at", "submission_id"])
    return s.groupby(["department_code", "period"]).tail(1)


def naive_activities(con, plan: str, period: int) -> dict:
    t = _tables(con, "submission", "submission_event", "activity_report", "activity_lead",
                "activity", "theme")  # fmt: skip
    cur = _current(t["submission"], t["submission_event"], plan)
    rep = t["activity_report"].merge(cur[["submission_id", "department_code", "period"]])
    leads = t["activity_lead"][t["activity_lead"]["plan_id"] == plan]
    rep = rep.merge(leads[["activity_no", "department_code"]])
    rep["rank"] = rep["status"].map(RANK)
    rep = rep.sort_values(["rank", "percent_complete"]).groupby(["period", "activity_no"]).head(1)
    acts = t["activity"][(t["activity"]["plan_id"] == plan) & t["activity"]["adopted"]]
    p = con.execute("SELECT * FROM plan").df().set_index("plan_id").loc[plan]
    years = pd.DataFrame({"period": range(int(p["period_start"]), int(p["period_end"]) + 1)})
    grid = acts.merge(years, how="cross").merge(rep, how="left", on=["activity_no", "period"])
    grid["status"] = grid["status"].fillna("not_reported")
    now = grid[grid["period"] == period]
    return {
        "counts": now["status"].value_counts(),
        "by_theme": now.groupby(["theme_no", "status"]).size(),
        "by_period": grid[grid["period"] <= period].groupby(["period", "status"]).size(),
        "by_department": now.groupby(["department_code", "status"]).size(),
        "mean": now["percent_complete"].mean(),
    }


def naive_reporting(con, plan: str, period: int) -> pd.DataFrame:
    t = _tables(con, "submission", "submission_event", "activity_lead", "department")
    withdrawn = set(t["submission_event"].query("event == 'withdrawn'")["submission_id"])
    s = t["submission"]
    s = s[(s["plan_id"] == plan) & ~s["submission_id"].isin(withdrawn) & (s["period"] <= period)]
    first = s.sort_values("uploaded_at").groupby(["department_code", "period"]).head(1)
    first = first.assign(on_time=[r.month < 10 or (r.month == 10 and r.day < 15)
                                  for r in first["reported_on"]])  # fmt: skip
    return first.groupby("period").agg(
        received=("submission_id", "size"), on_time=("on_time", "sum")
    )


def naive_priorities(con, plan: str, period: int) -> pd.DataFrame:
    t = _tables(con, "submission", "submission_event", "priority_task_report", "priority_task")
    cur = _current(t["submission"], t["submission_event"], plan)
    rep = t["priority_task_report"].merge(cur[cur["period"] <= period][["submission_id", "period"]])
    rep["rank"] = rep["status"].map(RANK)
    latest = rep.sort_values(["period", "rank"]).groupby("task_id").tail(1)
    tasks = t["priority_task"][t["priority_task"]["plan_id"] == plan]
    return tasks.merge(latest, how="left", on="task_id").groupby("status", dropna=False).size()


def naive_indicators(con, plan: str, period: int) -> pd.DataFrame:
    t = _tables(con, "submission", "submission_event", "indicator_value", "indicator")
    cur = _current(t["submission"], t["submission_event"], plan)
    cur = cur[cur["period"] <= period][["submission_id", "period", "uploaded_at"]]
    v = t["indicator_value"].merge(cur)
    v = v.sort_values(["period", "uploaded_at"]).groupby(
        ["indicator_code", "district_code", "year"], dropna=False).tail(1)  # fmt: skip
    province = v[v["district_code"].isna()]
    return province.sort_values("year").groupby("indicator_code").tail(1)


def naive_history(con, plan: str, period: int) -> pd.DataFrame:
    t = _tables(con, "submission", "submission_event")
    cur = set(_current(t["submission"], t["submission_event"], plan)["submission_id"])
    s = t["submission"][t["submission"]["plan_id"] == plan].copy()
    s["is_current"] = s["submission_id"].isin(cur)
    return s.sort_values(["uploaded_at", "submission_id"], ascending=False)


def naive_catalog(con, plan: str, period: int) -> pd.DataFrame:
    t = _tables(con, "activity", "activity_lead", "department", "priority_task_activity", "finding")
    a = t["activity"][t["activity"]["plan_id"] == plan]
    return a.merge(t["activity_lead"], how="left", on=["plan_id", "activity_no"])


BASELINES = {
    "overview": [naive_activities, naive_priorities, naive_reporting],
    "by_theme": [naive_activities],
    "by_department": [naive_activities, naive_priorities, naive_reporting],
    "priorities": [naive_priorities],
    "indicators": [naive_indicators],
    "reporting": [naive_reporting],
    "plan": [naive_catalog],
    "templates": [naive_catalog],
    "upload": [],
    "history": [naive_history],
    "review": [],
    "value_history": [],
    "data_quality": [],
}


def default_view(db: Path) -> tuple[str, int]:
    """The plan and period a page opens with: the first plan with data, its latest period."""
    con = duckdb.connect(str(db))
    try:
        plan, period = con.execute(
            """SELECT s.plan_id, max(s.period) FROM submission s JOIN plan p USING (plan_id)
               GROUP BY s.plan_id, p.period_start ORDER BY p.period_start DESC, s.plan_id LIMIT 1"""
        ).fetchone()
    finally:
        con.close()
    return plan, int(period)


def baseline_ms(db: Path, page: str, plan: str, period: int, runs: int,
                workbooks: list[Path] = ()) -> float | None:  # fmt: skip
    """The page's naive computation on every run: pandas over whole tables read from the store,
    after reading `workbooks` with pandas (read_excel, openpyxl, every sheet) when given."""
    fns = BASELINES[page]
    if not fns:
        return None

    def once():
        for path in workbooks:
            pd.read_excel(path, sheet_name=None, engine="openpyxl")
        con = duckdb.connect(str(db))
        try:
            for fn in fns:
                fn(con, plan, period)
        finally:
            con.close()

    return median_ms(once, runs)


def stored_workbooks(db: Path, plan: str) -> list[Path] | None:
    """The stored originals of the plan's current reports (one per department and period), or
    None when they are not stored (stress, and national plans after the first, are written through
    the store functions without workbooks)."""
    con = duckdb.connect(str(db))
    try:
        t = _tables(con, "submission", "submission_event")
    finally:
        con.close()
    from greengrowth.store import original_path

    current = _current(t["submission"], t["submission_event"], plan)
    paths = [original_path(sha, db.parent / "files") for sha in current["sha256"]]
    return paths if paths and all(p.is_file() for p in paths) else None


# ---- the app: AppTest through dashboard.py --------------------------------------------------


def _env(db: Path) -> None:
    os.environ["GG_DB"] = str(db)
    os.environ["GG_FILES"] = str(db.parent / "files")
    os.environ["GG_NO_DEMO"] = "1"


_DATA_MS = [0.0]
_FIGURE_MS = [0.0]


def _instrument_figures() -> None:
    """Time figure building: every public function of greengrowth.charts (each ends in
    chart_style.apply_style), so a warm run's time splits into data, figures and the rest."""
    from greengrowth import charts

    for name in dir(charts):
        fn = getattr(charts, name)
        if name.startswith("_") or getattr(fn, "__module__", "") != charts.__name__:
            continue
        if not callable(fn) or getattr(fn, "bench_wrapped", False):
            continue

        def timed(*args, _fn=fn, **kwargs):
            start = time.perf_counter()
            try:
                return _fn(*args, **kwargs)
            finally:
                _FIGURE_MS[0] += 1000 * (time.perf_counter() - start)

        timed.bench_wrapped = True
        setattr(charts, name, timed)


def _instrument() -> None:
    """Time every ui.data cache lookup (a hit, or a miss that runs the query) in the script thread."""
    from ui import data

    _instrument_figures()
    if getattr(data._cached, "bench_wrapped", False):
        return
    original = data._cached

    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            _DATA_MS[0] += 1000 * (time.perf_counter() - start)

    timed.clear = original.clear
    timed.bench_wrapped = True
    data._cached = timed


def _forget_cache() -> None:
    """What a data change does: every cached result is stale."""
    from ui import data

    data.forget()  # the per-function cache, the version memo and the query memo under it


def _app(page: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
    # Signed in as the example secrets' demo account (admin of every department): the analyst
    # pages show what a signed-in analyst or reviewer gets (the review queue, the upload form).
    at.secrets = tomllib.loads((ROOT / ".streamlit" / "secrets.example.toml").read_text("utf-8"))
    at.session_state["analyst_user"] = "demo"
    at.run()
    if page != "overview":
        at.switch_page(PAGES[page])
        at.run()
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception}")
    return at


def page_ms(page: str, runs: int) -> dict[str, float]:
    """Medians in ms for one page: whole run and its data part (ui.data lookups), cold and warm."""
    _instrument()
    at = _app(page)
    out: dict[str, list[float]] = {"cold": [], "warm": [], "data_cold": [], "data_warm": [],
                                   "figures_cold": [], "figures_warm": [], "cpu_cold": [],
                                   "cpu_warm": []}  # fmt: skip
    for mode in ("cold", "warm"):
        for _ in range(runs):
            if mode == "cold":
                _forget_cache()
            _DATA_MS[0] = _FIGURE_MS[0] = 0.0
            # CPU time of the process (the script thread and DuckDB's): on a shared machine it
            # varies much less than the wall time, which includes waiting for a core.
            cpu = time.process_time()
            out[mode].append(ms(at.run))
            out[f"cpu_{mode}"].append(1000 * (time.process_time() - cpu))
            out[f"data_{mode}"].append(_DATA_MS[0])
            out[f"figures_{mode}"].append(_FIGURE_MS[0])
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception}")
    return {k: statistics.median(v) for k, v in out.items()}


def viewers(n: int, runs: int = 3) -> list[float]:
    """Each of n sessions reruns the overview `runs` times, all at once; every run's ms."""
    apps = [_app("overview") for _ in range(n)]
    times: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(n)

    def work(at):
        barrier.wait()
        for _ in range(runs):
            took = ms(at.run)
            with lock:
                times.append(took)

    threads = [threading.Thread(target=work, args=(at,)) for at in apps]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return times


def bench_scale(scale: str, runs: int, pages: list[str]) -> list[Row]:
    db = scale_db(scale)
    _env(db)
    plan, period = default_view(db)
    workbooks = stored_workbooks(db, plan)
    rows = []
    for page in pages:
        t = page_ms(page, runs)
        base = baseline_ms(db, page, plan, period, runs)
        # The same page drawing the same figures from pandas over whole tables on every run:
        # its own rendering (page minus data) plus the naive computation.
        naive_page = None if base is None else t["warm"] - t["data_warm"] + base
        label = "same page, pandas on whole tables every run"
        name = f"page {page}"
        rows.append(Row(f"{name}, warm", t["warm"], naive_page, "ms", scale, label))
        rows.append(Row(f"{name}, cold", t["cold"], naive_page, "ms", scale, label))
        if base is not None:
            rows.append(Row(f"figures for {page}, cold (queries)", t["data_cold"], base, "ms",
                            scale, "pandas on whole tables"))  # fmt: skip
        # issue 11's own baseline: the stored workbooks read with pandas on every run, then the same
        wb = workbooks and baseline_ms(db, page, plan, period, runs, workbooks)
        if wb:
            wb_label = f"same page, pandas reading the {len(workbooks)} stored workbooks every run"
            naive_wb = t["warm"] - t["data_warm"] + wb
            rows.append(Row(f"{name}, warm", t["warm"], naive_wb, "ms", scale, wb_label))
            rows.append(Row(f"{name}, cold", t["cold"], naive_wb, "ms", scale, wb_label))
        print(f"  {scale:9s} {page:14s} cold {t['cold']:6.0f} ms (data {t['data_cold']:5.0f}, "
              f"cpu {t['cpu_cold']:5.0f})  warm {t['warm']:5.0f} ms (data {t['data_warm']:4.0f}, "
              f"figures {t['figures_warm']:4.0f}, cpu {t['cpu_warm']:4.0f})  naive {base or 0:5.0f} ms",
              flush=True)  # fmt: skip
    rows += plan_picker_rows(db, scale, runs)
    return rows


def plan_picker_rows(db: Path, scale: str, runs: int) -> list[Row]:
    """What the plan picker costs on a cache miss: queries.scale.latest_periods (one query, what
    ui/chrome.plan_picker asks) against one latest_period per plan (what it asked before)."""
    from greengrowth import store
    from greengrowth.queries import dashboard
    from greengrowth.queries import scale as scale_q

    with store.connect(db) as con:
        plans = store.plan_ids(con)
        scale_q.latest_periods(con)  # warm the instance
        per_plan = median_ms(lambda: [dashboard.latest_period(con, p) for p in plans], runs)
        one = median_ms(lambda: scale_q.latest_periods(con), runs)
    return [Row(f"latest period of {len(plans)} plans: one query", one, per_plan, "ms", scale,
                f"{len(plans)} queries, one per plan")]  # fmt: skip


def bench_viewers(scale: str, n: int = 20) -> list[Row]:
    db = scale_db(scale)
    _env(db)
    _app("overview")  # warm the cache
    alone = viewers(1, runs=5)
    crowd = viewers(n)
    one = statistics.median(alone)
    label = "1 viewer"
    return [
        Row(f"{n} viewers at once, overview median", statistics.median(crowd), one, "ms", scale,
            label),
        Row(f"{n} viewers at once, overview worst", max(crowd), one, "ms", scale, label),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="province,national,stress")
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--viewers", type=int, default=20)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    rows: list[Row] = []
    for scale in args.scales.split(","):
        rows += bench_scale(scale, args.runs, args.pages.split(","))
    if args.viewers and "national" in args.scales:
        rows += bench_viewers("national", args.viewers)
    emit(rows)


if __name__ == "__main__":
    main()
