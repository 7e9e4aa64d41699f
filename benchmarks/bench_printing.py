"""Printing speed and memory: a long case file beside a bare platypus document.

Usage: python benchmarks/bench_printing.py [--records 200] [--runs 3] [--batch-pages 500]

Prints one JSON document (DESIGN.md §9, target: the case file prints at >= 40% of the
pages/s of a bare reportlab platypus document holding the same text, in the same font):

* ``case_file``: ``build_case_file_pdf`` of a case with ``--records`` service records
  (cover, contents list, every form, two-pass page numbering), best of ``--runs``.
* ``bare``: the same strings as plain Paragraphs in one SimpleDocTemplate, no tables, no
  headers or footers, best of ``--runs``. Text throughput (characters/s) is reported
  beside pages/s, because the forms spread the same text over more pages.
* ``batch``: single service-record PDFs built one after another until ``--batch-pages``
  pages are out, with the peak RSS (``resource.getrusage``) after a warm-up and at the
  end, and the current RSS after each fifth of the batch (Linux): a leak shows as a
  rising series.

Never asserted in tests.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import io
import json
import os
import platform
import re
import resource
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate

from wushe_desktop.domain.validation import id_number_check_char
from wushe_desktop.printing import build_case_file_pdf, build_service_record_pdf
from wushe_desktop.printing.data import (
    AssessmentForm,
    CaseFile,
    ClosureForm,
    IntakeForm,
    PersonBlock,
    PlanForm,
    PlanObjective,
    PrintContext,
    RelatedPerson,
    ServiceRecordForm,
)
from wushe_desktop.printing.fonts import FONT_NAME, register_font, styles

CTX = PrintContext("毕克齐镇社工站", "150121101000", date(2024, 5, 6), "李娜")
_PAGE_RE = re.compile(rb"/Type /Page\b(?!s)")

_SENTENCES = (
    "社工按约定时间入户探访，老人精神状态较上次明显好转，主动讲述近一周的生活情况。",
    "老人表示按时服用降压药，血压控制在正常范围，夜间睡眠仍不太好，白天偶有头晕。",
    "社工与老人一起回顾居家安全改造清单，卫生间扶手已由村委会协调安装完毕。",
    "社工运用优势视角，肯定了老人坚持散步和自己做饭的能力，鼓励其参加老年协会活动。",
    "社工检查了家中燃气灶具和电线，发现厨房插座老化，已联系村电工上门维修。",
)


def _note(seq: int, length: int) -> str:
    text = "".join(_SENTENCES[(seq + i) % len(_SENTENCES)] for i in range(length // 30 + 2))
    return text[:length]


def long_case(records: int, note_length: int = 700) -> CaseFile:
    """A case with ``records`` service records of ``note_length`` characters each."""
    first17 = "15012119420312028"
    client = PersonBlock(
        name="王桂花",
        sex="女",
        ethnicity="汉族",
        birth_date=date(1942, 3, 12),
        age=82,
        id_type="居民身份证",
        id_number=first17 + id_number_check_char(first17),
        phones=("13847112345",),
        address="土默特左旗毕克齐镇毕克齐村三组12号",
        categories=("高龄老人", "独居老人"),
        emergency_contact=RelatedPerson("张建国", "儿子", "13912345678"),
    )
    case_no = "150121101000-2024-0007"
    return CaseFile(
        case_no=case_no,
        client_name=client.name,
        intake=IntakeForm(
            case_no,
            date(2024, 3, 12),
            client,
            source="社工外展·走访",
            presenting_problem=_note(0, 200),
            risk_level="中",
            accepted=True,
            worker="李娜",
        ),
        worker="李娜",
        status="已结案",
        opened_on=date(2024, 3, 12),
        closed_on=date(2024, 9, 30),
        assessments=(
            AssessmentForm(case_no, client.name, date(2024, 3, 19), summary=_note(1, 400)),
        ),
        plans=(
            PlanForm(
                case_no,
                client.name,
                date(2024, 3, 22),
                overall_aim=_note(2, 80),
                objectives=(PlanObjective("建立每周探访机制", "连续8周按时探访"),),
            ),
        ),
        records=tuple(
            ServiceRecordForm(
                case_no,
                client.name,
                seq,
                date(2024, 3, 26) + timedelta(days=seq),
                record_no=f"FW-{seq:04d}",
                start_time=clock(9, 30),
                end_time=clock(10, 40),
                duration_minutes=70,
                location="服务对象家中",
                mode="家访",
                goal="建立每周探访和紧急联络机制",
                content=_note(seq, note_length),
                client_response=_note(seq + 1, 80),
                next_steps="下周二再次家访。",
                worker="李娜",
            )
            for seq in range(1, records + 1)
        ),
        closure=ClosureForm(
            case_no, client.name, date(2024, 9, 30), services_summary=_note(3, 200)
        ),
    )


def _strings(value: Any) -> Iterator[str]:
    """Every non-empty string inside a dataclass tree, in field order."""
    if isinstance(value, str):
        if value:
            yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name))
    elif isinstance(value, tuple):
        for item in value:
            yield from _strings(item)


def bare_pdf(texts: list[str]) -> bytes:
    """The baseline: the same strings as Paragraphs in a plain document, same font."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=22 * mm,
        bottomMargin=20 * mm,
        initialFontName=FONT_NAME,
    )
    style = styles().cell
    doc.build([Paragraph(escape(text), style) for text in texts])
    return buffer.getvalue()


def pages(pdf: bytes) -> int:
    """Page count of a reportlab PDF (its page objects are uncompressed)."""
    return len(_PAGE_RE.findall(pdf))


def best_of(runs: int, build: Any) -> tuple[float, bytes]:
    """Fastest of ``runs`` timed calls, with the last output."""
    best = float("inf")
    out = b""
    for _ in range(runs):
        start = time.perf_counter()
        out = build()
        best = min(best, time.perf_counter() - start)
    return best, out


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def current_rss_mb() -> float | None:
    """Resident set size now, in MiB (Linux only; None elsewhere)."""
    try:
        fields = Path("/proc/self/statm").read_text().split()
    except OSError:
        return None
    return int(fields[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def batch(target_pages: int, warmup_docs: int = 20) -> dict[str, Any]:
    """Single service-record PDFs until ``target_pages`` pages; peak RSS before and after."""
    case = long_case(60, note_length=900)
    for record in case.records[:warmup_docs]:
        build_service_record_pdf(record, CTX)
    after_warmup = peak_rss_mb()
    start = time.perf_counter()
    done = docs = 0
    size = 0
    rss_series: list[float | None] = []
    next_mark = target_pages // 5
    while done < target_pages:
        record = case.records[docs % len(case.records)]
        pdf = build_service_record_pdf(dataclasses.replace(record, seq=docs + 1), CTX)
        done += pages(pdf)
        size += len(pdf)
        docs += 1
        if done >= next_mark:
            gc.collect()
            current = current_rss_mb()
            rss_series.append(None if current is None else round(current, 1))
            next_mark += target_pages // 5
    seconds = time.perf_counter() - start
    at_end = peak_rss_mb()
    return {
        "documents": docs,
        "pages": done,
        "seconds": round(seconds, 2),
        "pages_per_s": round(done / seconds, 1),
        "mb_written": round(size / 2**20, 1),
        "peak_rss_after_warmup_mb": round(after_warmup, 1),
        "peak_rss_at_end_mb": round(at_end, 1),
        "growth_mb": round(at_end - after_warmup, 1),
        "rss_every_fifth_mb": rss_series,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its JSON document."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch-pages", type=int, default=500)
    args = parser.parse_args(argv)

    register_font()
    rss_start = peak_rss_mb()
    case = long_case(args.records)
    texts = list(_strings(case))
    chars = sum(len(t) for t in texts)
    build_case_file_pdf(long_case(2), CTX)  # warm-up: font parsing, style creation
    bare_pdf(texts[:50])

    ours_s, ours_pdf = best_of(args.runs, lambda: build_case_file_pdf(case, CTX))
    bare_s, bare = best_of(args.runs, lambda: bare_pdf(texts))
    ours_pages, bare_pages = pages(ours_pdf), pages(bare)
    ours_rate, bare_rate = ours_pages / ours_s, bare_pages / bare_s

    try:
        from reportlab.lib import rl_accel

        accelerated = bool(getattr(rl_accel, "_c_funcs", {}))
    except ImportError:  # pragma: no cover - reportlab always has it
        accelerated = False

    doc = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "reportlab_c_accelerator": accelerated,
        },
        "case_file": {
            "records": args.records,
            "pages": ours_pages,
            "seconds": round(ours_s, 3),
            "pages_per_s": round(ours_rate, 1),
            "chars_per_s": round(chars / ours_s),
            "mb": round(len(ours_pdf) / 2**20, 2),
        },
        "bare": {
            "paragraphs": len(texts),
            "pages": bare_pages,
            "seconds": round(bare_s, 3),
            "pages_per_s": round(bare_rate, 1),
            "chars_per_s": round(chars / bare_s),
        },
        "ratio_pages_per_s": round(ours_rate / bare_rate, 3),
        "ratio_chars_per_s": round(bare_s / ours_s, 3),
        "target_ratio": 0.4,
        "peak_rss_before_batch_mb": round(peak_rss_mb(), 1),
        "batch": batch(args.batch_pages),
        "peak_rss_at_start_mb": round(rss_start, 1),
    }
    json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
