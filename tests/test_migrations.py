"""Upgrades: every migration runs forward (and back) on a database holding the demo data (tests/migrations_replay.py)."""

import json
import sys

import pytest

from tests.demo_site import ROOT, new_site

pytestmark = pytest.mark.integration

ON_DISK = [f"{app}.{path.stem}" for app in ("tdkt", "movements", "nominations", "councils")
           for path in sorted((ROOT / app / "migrations").glob("[0-9][0-9][0-9][0-9]_*.py"))]


def test_every_migration_runs_forward_on_a_database_holding_the_demo_data(demo_site, tmp_path):
    site = new_site("upgrade", tmp_path, template=demo_site)
    try:
        result = site.python("import runpy, sys; sys.argv = ['replay']; runpy.run_module('tests.migrations_replay', run_name='__main__')")
    finally:
        site.drop()
    report = json.loads(result.stdout.strip().splitlines()[-1])
    ours = [name for name in report["reapplied"] if name.split(".")[0] in ("tdkt", "movements", "nominations", "councils")]
    assert sorted(report["reapplied"]) == sorted(report["unapplied"])  # everything unapplied ran forward again
    assert set(ours) == set(ON_DISK) and len(ours) == len(ON_DISK)  # … and that is every migration of the project
    assert "movements_person" in report["refilled"] and "nominations_nomination" in report["refilled"]
    assert report["refilled"] == report["dropped"]
    assert report["different_tables"] == []
    assert report["migrations_recorded_again"] is True
    assert report["rows"] > 3000
    print(json.dumps(report, indent=1), file=sys.stderr)
    print(f"columns added after the demo rows were back (hold their migration's default): {report['columns_added_after_refill']}",
          file=sys.stderr)
