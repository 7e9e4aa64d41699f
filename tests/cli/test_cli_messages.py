"""Every error code the core raises has a CLI sentence, in English and in Chinese.

The codes are found by reading the source (outside ``wushe_desktop/ui``), the way a
reviewer would grep for them:

* the first argument of an error constructor (``ValidationError("id_number.checksum", ...)``,
  ``StateError(...)``, ``PermissionDenied(...)``, ``BundleError(Code.SIGNATURE, ...)``...);
* a ``Code.<MEMBER>`` of :mod:`wushe_desktop.sync.errors` passed first to any call
  (``_fail(Code.CONTAINER, ...)``), and every member of that enum;
* ``code="..."`` in other constructors and ``problems.add(field, "roster.code", ...)``
  (roster row problems);
* any ``"<noun>.not_found"`` literal passed to a helper (``live_row(..., "team.not_found")``);
* ``permission.<name>`` for every :class:`~wushe_desktop.services.permissions.Permission`.

A new code without a message fails :func:`test_every_raised_code_has_a_message`; a
template naming a param that some raise of its code does not pass fails
:func:`test_templates_only_use_params_every_raise_passes`.
"""

from __future__ import annotations

import ast
import builtins
import re
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import pytest

import wushe_desktop
from wushe_desktop import cli_messages
from wushe_desktop.cli_messages import (
    MESSAGES,
    NOT_FOUND_NOUNS,
    available_placeholders,
    describe,
    describe_problem,
    message_for,
)
from wushe_desktop.errors import (
    NotFoundError,
    PermissionDenied,
    StateError,
    ValidationError,
    ValidationErrors,
    WusheError,
)
from wushe_desktop.services.permissions import Permission
from wushe_desktop.sync.errors import Code, SyncError

PACKAGE = Path(wushe_desktop.__file__).resolve().parent
CODE_RE = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+")
CODE_PREFIX_RE = re.compile(r"[a-z][a-z0-9_]*\.")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")
#: Params that never reach a message (free text for logs).
NOT_PARAMS = frozenset({"detail"})


@dataclass(frozen=True)
class Site:
    """One place that raises (or reports) a code."""

    where: str
    #: Names of the params passed there (``field`` included when given); None when
    #: ``**params`` makes them unknowable from the source.
    params: frozenset[str] | None


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    direct: list[type] = cls.__subclasses__()
    for sub in direct:
        found |= {sub} | _subclasses(sub)
    return found


WUSHE_ERRORS = frozenset(c.__name__ for c in _subclasses(WusheError)) | {"WusheError"}
SYNC_ERRORS = frozenset(c.__name__ for c in _subclasses(SyncError)) | {"SyncError"}
BUILTINS = frozenset(dir(builtins))


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _is_error_class(name: str) -> bool:
    return name in WUSHE_ERRORS or (name.endswith(("Error", "Errors", "Denied")) and name not in BUILTINS)


def _sync_code(node: ast.expr) -> str | None:
    """``Code.MEMBER`` -> its value (an unknown member stays visible as ``Code.MEMBER``)."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Code":
        member = Code.__members__.get(node.attr)
        return member.value if member is not None else f"Code.{node.attr}"
    return None


def _params(call: ast.Call, *, positional_field: bool, code_keyword: bool = False) -> frozenset[str] | None:
    """The param names a call passes; ``code_keyword``: its ``code=`` is the code, not a param."""
    if any(k.arg is None for k in call.keywords):
        return None
    names = {k.arg for k in call.keywords if k.arg is not None and not (code_keyword and k.arg == "code")}
    names -= NOT_PARAMS
    if positional_field:
        names.add("field")
    return frozenset(names)


def _codes_of(call: ast.Call) -> list[tuple[str, frozenset[str] | None]]:
    name = _callee(call)
    first = call.args[0] if call.args else None
    found: list[tuple[str, frozenset[str] | None]] = []
    sync = _sync_code(first) if first is not None else None
    if sync is not None:
        found.append((sync, _params(call, positional_field=False)))
    elif first is not None and _is_error_class(name):
        # WusheError(code, field, detail, **params); SyncError(code, detail, **params).
        field_given = len(call.args) > 1 and name not in SYNC_ERRORS
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            if name in WUSHE_ERRORS or CODE_RE.fullmatch(first.value):
                found.append((first.value, _params(call, positional_field=field_given)))
        elif isinstance(first, ast.JoinedStr):
            head = first.values[0] if first.values else None
            prefix = head.value if isinstance(head, ast.Constant) and isinstance(head.value, str) else ""
            if CODE_PREFIX_RE.match(prefix):
                found.append((ast.unparse(first), _params(call, positional_field=field_given)))
    elif not _is_error_class(name):
        for keyword in call.keywords:
            value = keyword.value
            if (keyword.arg == "code" and isinstance(value, ast.Constant) and isinstance(value.value, str)
                    and CODE_RE.fullmatch(value.value)):
                found.append((value.value, _params(call, positional_field=False, code_keyword=True)))
        if name == "add" and len(call.args) >= 2:
            second = call.args[1]
            if isinstance(second, ast.Constant) and isinstance(second.value, str) and CODE_RE.fullmatch(second.value):
                found.append((second.value, _params(call, positional_field=True)))
    known = {code for code, _ in found}
    for arg in call.args:
        if (isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value.endswith(".not_found")
                and CODE_RE.fullmatch(arg.value) and arg.value not in known):
            found.append((arg.value, None))
    return found


@cache
def scanned_codes() -> dict[str, tuple[Site, ...]]:
    """Code -> where it is raised, from the source of every module outside ``ui/``."""
    sites: dict[str, list[Site]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith("ui/"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                for code, params in _codes_of(node):
                    sites.setdefault(code, []).append(Site(f"{rel}:{node.lineno}", params))
    for member in Code:
        sites.setdefault(member.value, [])
    return {code: tuple(found) for code, found in sites.items()}


def all_codes() -> dict[str, tuple[Site, ...]]:
    """The scanned codes, with the ``permission.<name>`` f-string expanded per member."""
    codes = {code: sites for code, sites in scanned_codes().items() if not code.startswith("f'permission.")}
    for permission in Permission:
        codes.setdefault(f"permission.{permission.value}", (Site("services/permissions.py", frozenset({"role"})),))
    return codes


def placeholders(template: str) -> set[str]:
    return {re.split(r"[.\[]", name)[0] for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_the_scan_finds_the_codes_it_should() -> None:
    codes = scanned_codes()
    # A few of each kind of site, so a broken scanner cannot pass the other tests vacuously.
    for code in ("id_number.checksum", "case.stage.illegal", "roster.duplicate_in_file", "team.not_found",
                 "station.not_initialised", "bundle.container", "database.locked"):
        assert code in codes, code
    assert codes["id_number.checksum"][0].params == frozenset({"field", "expected"})
    assert any(code.startswith("f'permission.") for code in codes), "require() no longer raises permission.<name>?"
    assert len(codes) > 200


def test_every_raised_code_has_a_message() -> None:
    missing = {code: [site.where for site in sites][:3] for code, sites in all_codes().items()
               if message_for(code) is None}
    assert missing == {}, "add these to wushe_desktop/cli_messages.py MESSAGES (or NOT_FOUND_NOUNS)"


def test_templates_only_use_params_every_raise_passes() -> None:
    problems = {}
    for code, sites in all_codes().items():
        pair = message_for(code)
        known = [site.params for site in sites if site.params is not None]
        if pair is None or (sites and not known):
            continue
        given = frozenset.intersection(*known) if known else frozenset()
        allowed = available_placeholders(given)
        if "field" not in given:
            allowed.discard("field")
        extra = (placeholders(pair[0]) | placeholders(pair[1])) - allowed
        if extra:
            problems[code] = (sorted(extra), [s.where for s in sites if s.params is not None and extra - s.params])
    assert problems == {}, "these templates name params that are not always given"


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_both_languages_use_the_same_placeholders(code: str) -> None:
    en, zh = MESSAGES[code]
    assert placeholders(en) == placeholders(zh)
    dummy = {name: "x" for name in placeholders(en)}
    assert "{" not in en.format(**dummy) + zh.format(**dummy)
    assert CJK_RE.search(zh), "the second template is the Chinese one"
    assert re.search(r"[A-Za-z]{3}", en), "the first template is the English one"
    assert "\n" not in en + zh


def test_not_found_nouns_cover_both_languages() -> None:
    for noun, (en, zh) in NOT_FOUND_NOUNS.items():
        assert CODE_RE.fullmatch(f"{noun}.not_found") and en and CJK_RE.search(zh), noun


def _assert_one_clear_line(line: str) -> tuple[str, str]:
    assert "\n" not in line and "{" not in line and "}" not in line, line
    en, sep, zh = line.partition(" / ")
    assert sep and en and CJK_RE.search(zh), line
    assert not CJK_RE.search(en.replace("不开案", "")), line
    return en, zh


def test_describe_a_checksum_error() -> None:
    en, zh = _assert_one_clear_line(describe(ValidationError("id_number.checksum", field="id_number", expected="X")))
    assert "X" in en and "X" in zh and "校验位" in zh


def test_describe_several_errors_on_one_line() -> None:
    line = describe(ValidationErrors([
        ValidationError("name.empty", field="name"),
        ValidationError("date.future", field="intake_date"),
    ]))
    en, zh = _assert_one_clear_line(line)
    assert "name is empty" in en and "intake date" in en
    assert "姓名为空" in zh and "接案日期晚于今天" in zh


def test_describe_an_unknown_code_falls_back_to_the_code() -> None:
    en, zh = _assert_one_clear_line(describe(WusheError("no_such.code", field="x", detail="what\nhappened")))
    assert "no_such.code" in en and "no_such.code" in zh


def test_describe_localises_values() -> None:
    en, zh = _assert_one_clear_line(describe(PermissionDenied("permission.approve", role="social_worker")))
    assert "social worker" in en and "社工" in zh
    en, zh = _assert_one_clear_line(describe(
        StateError("case.stage.illegal", field="stage", source="intake", target="closed")))
    assert "from intake to closed" in en and "接案" in zh and "结案" in zh
    en, zh = _assert_one_clear_line(describe(
        ValidationError("hours.daily_cap", field="hours", cap_tenths=80, total_tenths=95)))
    assert "9.5" in en and "8 h" in en and "9.5" in zh
    en, zh = _assert_one_clear_line(describe(ValidationError("plan.objective_empty", field="objectives", index=0)))
    assert "Objective 1" in en and "第 1 个" in zh


def test_describe_not_found_and_row_problems() -> None:
    en, zh = _assert_one_clear_line(describe(NotFoundError("case.not_found", field="case_id")))
    assert "case" in en and "个案" in zh
    problem = SimpleNamespace(row=3, column="出生日期", field="birth_date", code="date.future", params={})
    line = describe_problem(problem)
    assert line.startswith("Row 3, column 出生日期: The birth date") and "出生日期晚于今天" in line


def test_every_permission_is_worded() -> None:
    for permission in Permission:
        en, zh = MESSAGES[f"permission.{permission.value}"]
        assert "{role}" in en and "{role}" in zh and "无权" in zh
    assert cli_messages.VALUE_LABELS["role"].keys() >= {"station_head", "social_worker", "local_admin"}
