"""The audit viewer shows logins and prints, filters them, and reports a broken chain."""

from __future__ import annotations

import ast
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from pytestqt.qtbot import QtBot

import wushe_desktop
from tests.ui.uihelpers import wait_idle
from wushe_desktop.domain.enums import Role
from wushe_desktop.errors import ValidationError
from wushe_desktop.services import accounts
from wushe_desktop.services.accounts import authenticate, create_account
from wushe_desktop.services.context import CLI_ACTOR, Actor, station_info
from wushe_desktop.services.database import open_db
from wushe_desktop.services.recovery import print_recovery_sheet
from wushe_desktop.storage.models.base import Synced
from wushe_desktop.ui.audit_viewer import AuditViewer, action_labels, details_text, entity_labels
from wushe_desktop.ui.context import Opening, UiContext, make_context


@pytest.fixture
def head_ctx(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[UiContext]:
    monkeypatch.setattr(accounts, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    db = open_db(db_path)
    create_account(db, CLI_ACTOR, "wulan", "乌兰", Role.STATION_HEAD, "caoyuan-2026")
    login = authenticate(db, "wulan", "caoyuan-2026")
    print_recovery_sheet(db, login.actor)
    context = make_context(db, Opening(station_info(db), login.actor, username="wulan"))
    yield context
    context.shutdown()
    db.dispose()


def _viewer(qtbot: QtBot, ctx: UiContext) -> AuditViewer:
    viewer = AuditViewer(ctx)
    qtbot.addWidget(viewer)
    viewer.show()
    wait_idle(qtbot, ctx)
    return viewer


def test_logins_and_prints_are_listed(qtbot: QtBot, head_ctx: UiContext) -> None:
    viewer = _viewer(qtbot, head_ctx)
    assert viewer.chain.text().startswith("审计链核对无误")
    rows = viewer.rows_text()
    assert rows[0][2:6] == ["乌兰", "站长", "打印", "站点"] and rows[0][6].startswith("表单：数据恢复单；页数：")
    assert rows[1][2:6] == ["wulan", "站长", "登录", "账号"]
    total = viewer.page.total if viewer.page else 0
    assert total > 100 and viewer.position.text() == f"第 1 页，共 2 页（{total} 条）"
    assert not viewer.previous_button.isEnabled()
    viewer.next_button.click()
    wait_idle(qtbot, head_ctx)
    assert viewer.table.rowCount() == total - 100 and viewer.rows_text()[-1][0] == "1"
    viewer.action.setCurrentIndex(viewer.action.findData("login"))
    viewer.search()
    wait_idle(qtbot, head_ctx)
    assert [r[4] for r in viewer.rows_text()] == ["登录"]


def test_a_social_worker_cannot_open_it(qtbot: QtBot, head_ctx: UiContext, told: list[str]) -> None:
    head_ctx.actor = Actor(name="李明", role=Role.SOCIAL_WORKER)
    viewer = AuditViewer(head_ctx)
    qtbot.addWidget(viewer)
    wait_idle(qtbot, head_ctx)
    assert viewer.table.rowCount() == 0


def test_a_chain_edited_behind_the_programs_back_is_reported(qtbot: QtBot, head_ctx: UiContext) -> None:
    conn = sqlite3.connect(head_ctx.db.path)
    with conn:
        conn.execute("UPDATE audit_log SET actor = '别人' WHERE seq = 3")
    conn.close()
    viewer = _viewer(qtbot, head_ctx)
    assert viewer.chain.text().startswith("审计链在第 3 条处断开")


# -- every action and record kind the code can write has a Chinese label --------------------

def _synced_tables() -> set[str]:
    found: set[str] = set()
    todo = list(Synced.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if hasattr(cls, "__table__"):
            found.add(cls.__table__.name)
    return found


def _strings(node: ast.expr) -> set[str] | None:
    """The string(s) an expression can be, when it is written out in the call."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _strings(node.body), _strings(node.orelse)
        return body | orelse if body is not None and orelse is not None else None
    return None


class _Module:
    """One source file: resolves a name or attribute passed to AuditEntry to its strings."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.parents = {child: node for node in ast.walk(self.tree) for child in ast.iter_child_nodes(node)}

    def _function(self, node: ast.AST) -> ast.FunctionDef | None:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef):
                return node
        return None

    def _calls(self, name: str) -> list[ast.Call]:
        return [n for n in ast.walk(self.tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                and n.func.id == name]

    def resolve(self, node: ast.expr, call: ast.Call, unpacked: bool = False) -> set[str]:
        direct = _strings(node)
        if direct is not None:
            return direct
        found: set[str] = set()
        if isinstance(node, ast.Name):
            function = self._function(call)
            params = [a.arg for a in function.args.args] if function else []
            if node.id in params and function is not None:  # a parameter: what the callers pass
                index = params.index(node.id)
                for caller in self._calls(function.name):
                    values = _strings(caller.args[index]) if index < len(caller.args) else None
                    found |= values or set()
            for n in ast.walk(self.tree):  # assignments (and, for actions, tuples returned to unpack)
                if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.id for t in n.targets):
                    found |= _strings(n.value) or set()
                if unpacked and isinstance(n, ast.Return) and isinstance(n.value, ast.Tuple) \
                        and len(n.value.elts) == 2:
                    found |= _strings(n.value.elts[0]) or set()
        elif isinstance(node, ast.Attribute):  # a dataclass field: its position in the calls
            for cls in (n for n in ast.walk(self.tree) if isinstance(n, ast.ClassDef)):
                fields = [f.target.id for f in cls.body if isinstance(f, ast.AnnAssign)
                          and isinstance(f.target, ast.Name)]
                if node.attr in fields:
                    index = fields.index(node.attr)
                    for made in self._calls(cls.name):
                        found |= _strings(made.args[index]) or set() if index < len(made.args) else set()
        return {value for value in found if value}


def _written() -> tuple[set[str], set[str]]:
    """Every action and record kind an ``AuditEntry(...)`` in the package can write."""
    actions: set[str] = set()
    entities = _synced_tables()  # the tracking hook writes the table's name
    package = Path(wushe_desktop.__file__).parent
    for path in package.rglob("*.py"):
        module = _Module(path)
        for call in module._calls("AuditEntry"):
            action, entity = module.resolve(call.args[0], call, unpacked=True), module.resolve(call.args[1], call)
            assert action, f"{path}:{call.lineno}: the action cannot be read from the code"
            assert entity or path.name == "tracking.py", f"{path}:{call.lineno}: the record kind cannot be read"
            actions |= action
            entities |= entity
    return actions, entities


def test_every_action_and_record_kind_written_has_a_chinese_label(qtbot: QtBot) -> None:
    actions, entities = _written()
    assert {"login_failed", "login_refused", "login_locked", "approve", "return", "card", "centre_card",
            "print", "reveal"} <= actions
    assert {"user_account", "case_file", "case_closure", "key", "centre_key", "bundle", "demo", "person",
            "volunteer_certificate", "roster"} <= entities
    action_names, entity_names = action_labels(), entity_labels()
    assert sorted(actions - action_names.keys()) == []
    assert sorted(entities - entity_names.keys()) == []
    for label in [*action_names.values(), *entity_names.values()]:
        assert re.search(r"[\u4e00-\u9fff]", label) and not re.search(r"[A-Za-z]", label), label


def test_a_wrong_password_reads_in_chinese(qtbot: QtBot, head_ctx: UiContext) -> None:
    with pytest.raises(ValidationError):
        authenticate(head_ctx.db, "wulan", "not-the-password")
    viewer = _viewer(qtbot, head_ctx)
    row = viewer.rows_text()[0]
    assert row[4:7] == ["密码错误", "账号", "用户名：wulan；原因：用户名或密码不对。；连续输错次数：1"]
    viewer.close()
    assert details_text({"username": "nobody", "reason": "unknown"}) == "用户名：nobody；原因：没有这个用户名"
    assert details_text({"row_version": 7, "fields": ["phone", "address", "intake_date", "odd_column"]}) == \
        "版本号：7；改动的字段：电话、住址、接案日期、odd_column"
    assert details_text({"batch": "cases 2", "counts": {"person": 3, "case_file": 2}, "encrypted": True,
                         "new_key": "x"}) == "批次：个案 2 件；数量：服务对象 3，个案 2；已加密：是；new_key：x"
