"""Bring the Chinese catalogue up to date with the code, fill in translations, compile it.

Usage (from the repository root)::

    python resources/i18n/update_catalogue.py [translations.json ...]

1. ``pyside6-lupdate`` adds the code's new strings to ``wushe_zh_CN.ts`` (as unfinished)
   and drops the ones the code no longer uses;
2. each JSON file given — a list of ``{"context": ..., "source": ..., "translation": ...}``
   — fills in (or replaces) those translations;
3. ``pyside6-lrelease`` compiles the ``.qm``;
4. the messages still unfinished are listed, so you can translate them (exit status 1).

Runs one at a time (a lock file), so several people working in one checkout do not
overwrite each other's catalogue.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TS = HERE / "wushe_zh_CN.ts"
QM = HERE / "wushe_zh_CN.qm"
LOCK = Path(tempfile.gettempdir()) / "wushe-i18n-catalogue.lock"


def _tool(name: str) -> str:
    return shutil.which(name) or str(Path(sys.executable).parent / name)


def _lupdate() -> None:
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "wushe_desktop" / "ui").glob("*.py"))
    subprocess.run([_tool("pyside6-lupdate"), "-silent", "-locations", "none", "-no-obsolete",
                    "-source-language", "en", "-target-language", "zh_CN", *sources, "-ts", str(TS)],
                   cwd=ROOT, check=True)


def _fill(tree: ET.ElementTree, files: list[Path]) -> int:
    wanted: dict[tuple[str, str], str] = {}
    for path in files:
        for item in json.loads(path.read_text(encoding="utf-8")):
            wanted[(item["context"], item["source"])] = item["translation"]
    filled = 0
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            text = wanted.get((name, message.findtext("source") or ""))
            translation = message.find("translation")
            if text is None or translation is None:
                continue
            translation.text = text
            translation.attrib.pop("type", None)
            filled += 1
    return filled


def _unfinished(tree: ET.ElementTree) -> list[tuple[str, str]]:
    missing = []
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") == "unfinished" or not (translation.text or "").strip():
                missing.append((name, message.findtext("source") or ""))
    return missing


def _write(tree: ET.ElementTree) -> None:
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    TS.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    LOCK.touch(exist_ok=True)
    with LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _lupdate()
        tree = ET.parse(TS)
        filled = _fill(tree, [Path(a) for a in argv])
        _write(tree)
        _lupdate()  # lupdate's own layout, so the file diffs cleanly
        subprocess.run([_tool("pyside6-lrelease"), "-silent", str(TS), "-qm", str(QM)], check=True)
        missing = _unfinished(ET.parse(TS))
    print(f"filled {filled} translation(s); {len(missing)} unfinished")
    for context, source in missing:
        print(json.dumps({"context": context, "source": source, "translation": ""}, ensure_ascii=False))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
