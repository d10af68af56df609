"""The store under concurrent use: the app serves several sessions on threads at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from greengrowth import store


def test_many_threads_open_and_query_at_once(demo_db):
    def work(_: int) -> int:
        total = 0
        for _ in range(20):
            with store.connect(demo_db) as con:
                total += con.execute("SELECT count(*) FROM activity_status_latest").fetchone()[0]
        return total

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(16)))
    assert len(set(results)) == 1 and results[0] > 0


def test_data_version_moves_on_every_write(catalog_con):
    before = store.data_version(catalog_con)
    with store.transaction(catalog_con):
        pass
    assert store.data_version(catalog_con) == before + 1
