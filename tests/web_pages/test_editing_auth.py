"""The editing library and the token store, without a browser: atomic validated edits, ETags, history, hashing."""

from __future__ import annotations

import json

import pytest

from api.http import auth
from graph.build.pipeline import build
from graph.ops import editing


@pytest.fixture()
def workspace(data_copy, tmp_path):
    store = tmp_path / "store"
    build(data_copy, store)
    return data_copy, store


def test_edit_is_validated_published_and_recorded(workspace):
    data, store = workspace
    row = editing.get_row("actors", "amo-passages", data)
    before = (data / row.file.name).read_text(encoding="utf-8").splitlines()
    record = editing.apply_edit("actors", "amo-passages", {"description": 'Texte, avec "guillemets"'}, "tester",
                                "correction", if_match=row.etag, data=data, store=store)
    after = (data / row.file.name).read_text(encoding="utf-8").splitlines()
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed == [row.first_line]  # only the record's own line changed
    assert record["changes"] == {"description": {"old": row.values["description"], "new": 'Texte, avec "guillemets"'}}
    assert editing.get_row("actors", "amo-passages", data).values["description"] == 'Texte, avec "guillemets"'
    history = editing.history(store)
    assert history[0]["user"] == "tester" and history[0]["reason"] == "correction" and history[0]["version"]


def test_stale_etag_and_invalid_value_change_nothing(workspace):
    data, store = workspace
    row = editing.get_row("actors", "amo-passages", data)
    snapshot = {p.name: p.read_bytes() for p in data.glob("*.csv")}
    with pytest.raises(editing.EditConflict):
        editing.apply_edit("actors", "amo-passages", {"description": "x"}, "t", "r", if_match='"stale"',
                           data=data, store=store)
    with pytest.raises(editing.EditInvalid) as err:
        editing.apply_edit("actors", "amo-passages", {"sector": "no-such-sector"}, "t", "r", if_match=row.etag,
                           data=data, store=store)
    assert err.value.problems and err.value.problems[0].column == "sector"
    with pytest.raises(editing.EditError):
        editing.apply_edit("actors", "amo-passages", {"id": "renamed"}, "t", "r", data=data, store=store)
    with pytest.raises(editing.EditError):
        editing.apply_edit("actors", "amo-passages", {"description": "y"}, "t", "", data=data, store=store)
    assert {p.name: p.read_bytes() for p in data.glob("*.csv")} == snapshot
    assert editing.history(store) == []


def test_pending_edit_is_completed_by_recover(workspace):
    data, store = workspace
    row = editing.get_row("actors", "amo-passages", data)
    new = {**row.values, "description": "écrit avant un arrêt brutal"}
    # simulate a crash after the file was replaced but before the store was rebuilt
    lines = row.file.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[row.first_line] = editing._encode(list(row.values), new, "\n")
    row.file.write_text("".join(lines), encoding="utf-8")
    (store / editing.HISTORY_FILE).write_text(json.dumps({
        "edit": "e1", "status": "pending", "table": "actors", "id": "amo-passages", "etag": editing.row_etag(new),
        "user": "t", "reason": "r", "changes": {}, "at": "now", "action": "update", "file": row.file.name}) + "\n")
    assert editing.recover(data, store) == ["e1"]
    assert editing.history(store)[0]["edit"] == "e1"


def test_tokens_are_stored_hashed_and_roles_enforced(tmp_path, monkeypatch):
    token = auth.create_token("Éditrice", "editor", root=tmp_path)
    stored = (tmp_path / "auth" / "tokens.json").read_text()
    assert token.split(".", 1)[1] not in stored
    user = auth.verify_token(token, root=tmp_path)
    assert user and user.role == "editor" and user.can("reader") and not user.can("admin")
    assert auth.verify_token(token + "x", root=tmp_path) is None
    assert auth.revoke_token(user.id, root=tmp_path)
    auth._VERIFIED.clear()
    assert auth.verify_token(token, root=tmp_path) is None
    with pytest.raises(auth.AuthError):
        auth.create_token("x", "superuser", root=tmp_path)
    monkeypatch.setenv(auth.ADMIN_ENV, "short")
    assert auth.verify_token("short") is None  # too short to be accepted as the bootstrap admin token
