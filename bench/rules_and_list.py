"""Bench (not a test): the whole-round rule check, and the nomination list at 10,000 and 100,000 nominations next to the
Django admin changelist of the same rows.

    .venv/bin/python bench/rules_and_list.py            # two throw-away SQLite databases in a temp dir
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/tdkt_bench .venv/bin/python bench/rules_and_list.py
    … bench/rules_and_list.py --explain                  # also the PostgreSQL plans of the list's queries at both sizes

BENCH_DATABASE_URL must name a database made for this: it is migrated and filled (kept for the next run). On
PostgreSQL the 100,000 rows live in the schema ``bench_100k`` of that database (the 10,000 in ``public``), on SQLite
in a second file (the name with ``-100k``), so that both sizes are measured in the same run, alternately.

Prints:
  1. the rule check of a round of 1,000 nominations (every rule, all nominations at once): median time and queries,
     the queries of 100 of them (the count does not grow with the list), and the check of one new nomination;
  2. the SQL time of the nomination list page (first page, office; then a unit head's) and of the admin changelist at
     10,000 and 100,000 nominations: the pages are rendered once to take their queries, which are then run on each
     database in turn (one page at a time, alternating the two sizes ABBA, median of 21), and the ratio 100k/10k of each.
"""

import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
URL = os.environ.get("BENCH_DATABASE_URL")
if not URL:  # two SQLite files in a temp dir, removed at the end
    TMP = tempfile.mkdtemp(prefix="tdkt-bench-")
    atexit.register(shutil.rmtree, TMP, ignore_errors=True)
    URL = f"sqlite:///{TMP}/bench-10k.sqlite3"
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tdkt.settings")
os.environ["AXES_ENABLED"] = "false"
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

from django.conf import settings  # noqa: E402

BIG = "big"
BIG_SCHEMA = "bench_100k"
if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
    settings.DATABASES[BIG] = {**settings.DATABASES["default"], "OPTIONS": {"options": f"-c search_path={BIG_SCHEMA}"}}
else:
    settings.DATABASES[BIG] = {**settings.DATABASES["default"], "NAME": f"{settings.DATABASES['default']['NAME']}-100k"}

import django  # noqa: E402

django.setup()

from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from nominations_data import OFFICE, UNIT_HEAD, build  # noqa: E402  (bench/, first on the path of this script)

from movements.models import Person  # noqa: E402
from nominations.models import EmulationTitle, Nomination, NominationRound, UnitSubmission  # noqa: E402
from nominations.rules_engine import STAGE_AUDIT, STAGE_ENTRY, evaluate  # noqa: E402
from tdkt.models import User  # noqa: E402

SIZES = {"default": 1, BIG: 10}  # rounds per year: 10 × 1 × 1,000 = 10,000 nominations; 10 × 10 × 1,000 = 100,000
REPEAT = 21


def migrate(alias):
    """Migrated by manage.py with that database as the default one: the data migrations (catalogues, rules) write there."""
    if alias == BIG and connections[alias].vendor == "postgresql":
        with connections["default"].cursor() as cursor:
            cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {BIG_SCHEMA}")
    url = URL if alias == "default" else (f"{URL}?options=-c%20search_path%3D{BIG_SCHEMA}" if URL.startswith("postgres")
                                          else f"sqlite:///{settings.DATABASES[BIG]['NAME']}")
    subprocess.run([sys.executable, str(BASE_DIR / "manage.py"), "migrate", "-v0"], check=True,
                   env={**os.environ, "DATABASE_URL": url})


def n(value):
    return f"{value:,}".replace(",", ".")


def ms(seconds):
    return f"{seconds * 1000:.1f}".replace(".", ",")


def rule_check():
    nomination_round = NominationRound.objects.get(year=2025, kind="annual")
    related = ("round", "submission__unit", "person", "unit", "title", "form")
    rows = list(Nomination.objects.filter(round=nomination_round).select_related(*related).order_by("id"))
    evaluate(rows, stage=STAGE_AUDIT)  # warm: rule rows, translations
    counts = {}
    for size in (100, len(rows)):
        with CaptureQueriesContext(connection) as ctx:
            found = evaluate(rows[:size], stage=STAGE_AUDIT)
        counts[size] = (len(ctx.captured_queries), sum(len(v) for v in found))
    times = []
    for _ in range(15):
        start = time.perf_counter()
        evaluate(rows, stage=STAGE_AUDIT)
        times.append(time.perf_counter() - start)
    big = len(rows)
    print(f"1. Kiểm tra quy định cả đợt ({n(big)} đề nghị, mọi quy định): {counts[big][0]} truy vấn, trung vị {ms(statistics.median(times))} ms "
          f"(min {ms(min(times))}); {n(counts[big][1])} vi phạm")
    print(f"   {n(100)} đề nghị của đợt: {counts[100][0]} truy vấn")
    person = Person.objects.filter(unit__short_code="P0", is_leadership=True).order_by("pk").first()
    candidate = Nomination(round=nomination_round, submission=UnitSubmission.objects.get(round=nomination_round, unit=person.unit),
                           person=person, title=EmulationTitle.objects.get(code="CSTDCS"), state="draft")
    with CaptureQueriesContext(connection) as ctx:
        evaluate([candidate], stage=STAGE_ENTRY)
    one = []
    for _ in range(15):
        start = time.perf_counter()
        evaluate([candidate], stage=STAGE_ENTRY)
        one.append(time.perf_counter() - start)
    print(f"   kiểm tra một đề nghị mới trong đợt đó (khi lưu biểu mẫu): {len(ctx.captured_queries)} truy vấn, "
          f"trung vị {ms(statistics.median(one))} ms")
    print(f"   rule check {n(big)}: median {ms(statistics.median(times))} ms, {counts[big][0]} queries "
          f"(target ≤ 100 ms on PostgreSQL); query count constant: {'yes' if counts[100][0] == counts[big][0] else 'NO'}")


SESSION_TABLES = ('"django_session"', '"tdkt_user"', '"auth_', '"axes_')


def page_queries(client, path):
    """The SQL a page runs (the session and the user's are left out), taken from one request."""
    client.get(path)  # warm
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    queries = [q["sql"] for q in ctx.captured_queries if not any(table in q["sql"] for table in SESSION_TABLES)]
    # a form's choices read through a server-side cursor on PostgreSQL: its SELECT
    return [sql[sql.index(" FOR ") + 5:] if sql.startswith("DECLARE") else sql for sql in queries]


def run_sql(alias, queries):
    with connections[alias].cursor() as cursor:
        start = time.perf_counter()
        for sql in queries:
            cursor.execute(sql)
            cursor.fetchall()
        return time.perf_counter() - start


def explain(queries, label):
    if connection.vendor != "postgresql":
        return
    keep = ("Limit", "Index", "Seq Scan", "Sort", "Nested Loop", "Hash", "Aggregate", "Execution Time", "Buffers", "Merge", "Bitmap")
    for alias in ("default", BIG):
        print(f"\n   EXPLAIN (ANALYZE, BUFFERS), {label}, {n(Nomination.objects.using(alias).count())} đề nghị:")
        for sql in queries:
            if not sql.startswith(("SELECT COUNT(*) FROM (SELECT \"nominations_nomination\"", "SELECT \"nominations_nomination\".\"id\" AS \"pk\"")):
                continue
            with connections[alias].cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                lines = [row[0] for row in cursor.fetchall()]
            print("   · " + sql[:150].replace("\n", " ") + "…")
            for line in lines:
                if any(word in line for word in keep):
                    print("       " + line.strip()[:150])


def list_pages(show_plans):
    pages = {}
    for label, username, path in (("trang “Đề nghị khen thưởng” (văn phòng)", OFFICE, "/de-nghi/"),
                                  ("trang “Đề nghị khen thưởng” (trưởng đơn vị)", UNIT_HEAD, "/de-nghi/"),
                                  ("Django admin changelist", OFFICE, "/quan-tri/nominations/nomination/")):
        client = Client()
        client.force_login(User.objects.get(username=username))
        pages[label] = page_queries(client, path)
    for alias in ("default", BIG):  # the users have the same ids in both databases
        for queries in pages.values():
            run_sql(alias, queries)  # warm the caches of both
    times = {(alias, label): [] for alias in ("default", BIG) for label in pages}
    for label, queries in pages.items():  # one page at a time: the admin's sorts of every row do not run in between
        for rep in range(REPEAT):
            for alias in (("default", BIG) if rep % 2 == 0 else (BIG, "default")):  # ABBA: neither size always first
                times[(alias, label)].append(run_sql(alias, queries))
    sizes = {alias: Nomination.objects.using(alias).count() for alias in ("default", BIG)}
    print(f"\n2. Thời gian SQL của trang đầu danh sách (trung vị của {REPEAT}, xen kẽ hai cỡ):")
    for label, queries in pages.items():
        small, big = (statistics.median(times[(alias, label)]) for alias in ("default", BIG))
        print(f"   {label:45} {len(queries):2d} truy vấn: {n(sizes['default'])} đề nghị {ms(small):>7} ms, "
              f"{n(sizes[BIG])} đề nghị {ms(big):>7} ms")
    ours, unit, admin = ((statistics.median(times[(BIG, label)]) / statistics.median(times[("default", label)])) for label in pages)
    print(f"   ratio list sql 100k/10k = {ours:.2f} (target ≤ 1.5)")
    print(f"   ratio unit head's list sql 100k/10k = {unit:.2f}")
    print(f"   ratio admin changelist sql 100k/10k = {admin:.2f} (for comparison)")
    if show_plans:
        for label in list(pages)[:2]:
            explain(pages[label], label)


def main():
    print(f"Cơ sở dữ liệu: {connection.vendor} ({connection.settings_dict['NAME']})")
    start = time.perf_counter()
    for alias, rounds_per_year in SIZES.items():
        migrate(alias)
        build(alias, rounds_per_year)
    print(f"Dữ liệu: {n(Person.objects.count())} cá nhân; {n(Nomination.objects.count())} và "
          f"{n(Nomination.objects.using(BIG).count())} đề nghị ({time.perf_counter() - start:.1f} s để tạo hoặc mở)\n")
    rule_check()
    list_pages("--explain" in sys.argv)


if __name__ == "__main__":
    main()
