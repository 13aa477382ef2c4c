"""``restore`` killed with SIGKILL at every step: afterwards the store holds the old state or the restored one —
build, history, tokens and contacts together — never a mix, once the next start-up (or edit) has run
:func:`graph.ops.backup.complete_pending_restore`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from graph.config import PROJECT_ROOT
from graph.ops.backup import JOURNAL, complete_pending_restore
from tests.security.crash import kill_when_marked
from tests.security.test_backup_restore import _change, archived, state  # noqa: F401 - fixture

CHILD = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    archive, store, data = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    stop_at, marker = sys.argv[4], Path(sys.argv[5])
    from graph.ops import backup
    calls = {"n": 0}
    real_replace = os.replace

    def halting_replace(src, dst, *args, **kwargs):
        calls["n"] += 1
        if str(calls["n"]) == stop_at:
            marker.write_text(str(src))
            time.sleep(600)
        return real_replace(src, dst, *args, **kwargs)

    backup.os.replace = halting_replace
    backup.restore(archive, store, data)
    marker.write_text("done")
    time.sleep(600)
""")

STEPS = 9
"""``os.replace`` calls of a restore with tables: journal, build, history, tokens, secret, contacts, 1+ tables,
the ``current`` link — killing at each of the first ones covers before, at and after the commit point."""


@pytest.fixture()
def changed(archived, tmp_path):  # noqa: F811 - pytest fixture from the imported module
    store, data = tmp_path / "store", tmp_path / "data"
    shutil.copytree(archived["store"], store, symlinks=True)
    shutil.copytree(archived["data"], data)
    _change(store, data)
    return store, data


def _kill_at(archive: Path, store: Path, data: Path, step: int) -> str:
    marker = store.parent / "reached"
    kill_when_marked(CHILD, [str(archive), str(store), str(data), str(step), str(marker)], marker)
    return marker.read_text()


@pytest.mark.parametrize("step", range(1, STEPS + 1))
def test_restore_killed_at_each_step_is_old_or_new(archived, changed, step):  # noqa: F811
    store, data = changed
    before = state(store)
    assert before != archived["state"]
    reached = _kill_at(archived["archive"], store, data, step)
    committed = (store / JOURNAL).exists() or reached == "done"
    complete_pending_restore(store)  # what the next app start-up or edit does
    after = state(store)
    assert not (store / JOURNAL).exists()
    if committed:
        assert after == archived["state"], f"killed at replace #{step} ({reached}): not the restored state"
    else:
        assert after == before, f"killed at replace #{step} ({reached}) before the commit: something changed"
    assert not any(p.name.startswith(".restore-") for p in (store / "builds").iterdir()) or not committed


def test_app_start_completes_an_interrupted_restore(archived, changed):  # noqa: F811
    store, data = changed
    _kill_at(archived["archive"], store, data, 3)  # after the journal and the build, before the history
    assert (store / JOURNAL).exists()
    env = {**os.environ, "PASSE_MURAILLE_STORE": str(store)}
    env.pop("PASSE_MURAILLE_ENDPOINT", None)
    subprocess.run([sys.executable, "-c", "from api.app import create_app; create_app()"], cwd=PROJECT_ROOT,
                   env=env, check=True, timeout=120)
    assert not (store / JOURNAL).exists()
    assert state(store) == archived["state"]
