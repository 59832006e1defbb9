"""``manage.py prune_imports``: Excel imports uploaded but never confirmed are removed after N hours."""

import io
import os
import time

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.integration


def _file(path, age_hours):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PK\x03\x04")
    stamp = time.time() - age_hours * 3600
    os.utime(path, (stamp, stamp))
    return path


@pytest.fixture
def imports(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    root = tmp_path / "imports"
    return {"old_7": _file(root / "7" / "a.xlsx", 30), "new_7": _file(root / "7" / "b.xlsx", 2),
            "old_9": _file(root / "9" / "c.xlsx", 25), "document": _file(tmp_path / "nominations" / "1" / "d.pdf", 100)}


def test_pending_imports_older_than_a_day_are_removed(imports, tmp_path):
    out = io.StringIO()
    call_command("prune_imports", stdout=out)
    assert out.getvalue() == "Đã xoá 2 tệp nhập Excel còn treo.\n"
    assert {k: p.exists() for k, p in imports.items()} == {"old_7": False, "new_7": True, "old_9": False, "document": True}
    assert sorted(p.name for p in (tmp_path / "imports").iterdir()) == ["7"]  # the emptied folder of user 9 is gone


def test_the_age_is_a_parameter(imports):
    out = io.StringIO()
    call_command("prune_imports", "--hours", "1", stdout=out)
    assert out.getvalue() == "Đã xoá 3 tệp nhập Excel còn treo.\n"
    assert {k: p.exists() for k, p in imports.items()} == {"old_7": False, "new_7": False, "old_9": False, "document": True}
    with pytest.raises(CommandError, match="Số giờ không được âm."):
        call_command("prune_imports", "--hours", "-1")


def test_nothing_to_prune(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    call_command("prune_imports", stdout=out)
    assert out.getvalue() == "Đã xoá 0 tệp nhập Excel còn treo.\n"
