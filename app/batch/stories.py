"""Stories in batch mode: rows that share a ``story`` field and a source (``a``) form one story (issue 17).

A story is a view over finished pairs, never a comparison of its own: each row is still one pair,
compared and written to ``pairs/<id>.json`` exactly as without a story (so resuming, retries and the
corpus tables are unchanged). At the end of a run, like the tables and report.html, every story is
rebuilt from those results by :func:`app.many.combine` (which only embeds the outlets' added sentences
to group them) and written to ``stories/<slug>/`` (many.json, matrix.html, matrix.csv, digest.txt),
with a report of outlet behaviour across stories (``stories/outlets.csv`` and ``stories/outlets.html``).

``stories/`` is written under a temporary name and swapped into place, so a killed run leaves either
the previous stories or none, never half of them; the manifest (written last) makes the next run
rebuild it.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from ..export.files import load_result
from ..export.matrix import write_many
from ..export.spreadsheet import EXCEL_BOM, safe_frame
from ..many import ManyResult, Outlet, SourceChoice, combine
from ..result import Result, SpanKind
from .pairs import PairSpec
from .work import TMP_PREFIX, pair_path

STORIES_DIR = "stories"
OUTLETS_CSV = "outlets.csv"
OUTLETS_HTML = "outlets.html"
# What the corpus report counts per outlet, in its column order.
BEHAVIOURS = {
    "dropped_hedges": "dropped a hedge",
    "dropped_sources": "dropped a source",
    "dropped_numbers": "dropped a number",
    "added_framing": "added framing",
    "changed_attributions": "changed an attribution",
    "omitted_sentences": "omitted a sentence",
}
_SLUG_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
SLUG_CHARS = 60


@dataclass(frozen=True, slots=True)
class Story:
    """The rows of one story: one ``story`` value, one source, the pairs in input order."""

    name: str
    slug: str                                   # its folder under stories/
    source: str                                 # the rows' a: a file path or the text itself
    specs: tuple[PairSpec, ...]


@dataclass
class BuiltStory:
    story: Story
    many: ManyResult | None
    missing: list[str] = field(default_factory=list)     # pair ids with no result (failed, or not compared yet)
    note: str = ""


def _sha8(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def _slug_base(name: str) -> str:
    slug = _SLUG_UNSAFE.sub("-", name.strip()).strip("-._").lower()[:SLUG_CHARS].rstrip("-._")
    return slug or f"story-{_sha8(name)}"      # a name with no ASCII letters (大桥) gets its hash


def group_stories(specs: list[PairSpec]) -> list[Story]:
    """Stories in order of their first row. A story told from a second source (another ``a``) is a story
    of its own; its folder adds the source's hash, so appending rows never renames an earlier folder."""
    groups: dict[tuple[str, str], list[PairSpec]] = {}
    for spec in specs:
        if spec.story:
            groups.setdefault((spec.story, spec.a), []).append(spec)
    stories, taken = [], set()
    for (name, source), members in groups.items():
        slug = base = _slug_base(name)
        if slug in taken:                       # a second source, or two names with one slug
            slug = base = f"{base}-{_sha8(name + chr(0) + _source_label(members[0]))}"
        count = 1
        while slug in taken:
            count += 1
            slug = f"{base}-{count}"
        taken.add(slug)
        stories.append(Story(name=name, slug=slug, source=source, specs=tuple(members)))
    return stories


def _source_label(spec: PairSpec) -> str:
    """A file's name (not its absolute path, so a moved corpus keeps its folder names), else the text."""
    return Path(spec.a).name if spec.a_is_path else spec.a


def stories_fingerprint(specs: list[PairSpec]) -> str:
    """Changes when any row's story, source or outlet changes: then the stories are rebuilt."""
    digest = hashlib.sha256()
    for story in group_stories(specs):
        for spec in story.specs:
            digest.update(f"{story.slug}\0{spec.id}\0{spec.outlet_a}\0{spec.outlet_b}\n".encode())
    return digest.hexdigest()


def build_story(story: Story, out_dir: Path, *, embedder, settings) -> BuiltStory:
    """The story's ManyResult from its finished pairs; pairs without a result are listed as missing."""
    done, missing = [], []
    for spec in story.specs:
        path = pair_path(out_dir, spec.id)
        (done if path.exists() else missing).append(spec)
    results = [(spec, load_result(pair_path(out_dir, spec.id))) for spec in done]
    first = results[0][1].articles["a"] if results else None
    same = [(spec, r) for spec, r in results if _same_source(r, first)]
    note = ""
    if len(same) < len(results):
        odd = ", ".join(spec.id for spec, r in results if not _same_source(r, first))
        note = f"left out {odd}: its source reads differently from the story's (the file changed between runs?)"
    if not same:
        return BuiltStory(story, None, [s.id for s in missing], note)
    names = _outlet_names(same)
    many = combine(list(zip(names, (r for _, r in same))), source_name=story.specs[0].outlet_a or "source",
                   choice=SourceChoice(method="given", index=0, reason="side a of the story's rows in the batch"),
                   embedder=embedder, settings=settings)
    return BuiltStory(story, many, [s.id for s in missing], note)


def _same_source(result: Result, first) -> bool:
    a = result.articles["a"]
    return a.text == first.text and [(s.start, s.end) for s in a.sentences] == [(s.start, s.end) for s in first.sentences]


def _outlet_names(results: list[tuple[PairSpec, Result]]) -> list[str]:
    """The row's outlet_b, else its pair id; a name used twice in one story gets the pair id added."""
    raw = [spec.outlet_b or spec.id for spec, _ in results]
    return [name if raw.count(name) == 1 else f"{name} ({spec.id})" for name, (spec, _) in zip(raw, results)]


# --- outlet behaviour across stories -----------------------------------------------------------------

def _linked_source(result: Result, sentence: int) -> set[int]:
    """The source sentences an outlet sentence is linked to (none for an added sentence)."""
    link = result.articles["b"].sentences[sentence].link
    return set(result.alignment.links[link].a) if link is not None else set()


def behaviour(outlet: Outlet) -> dict[str, tuple[int, set[int]]]:
    """Per behaviour: how many times the outlet did it, and the source sentences where it did.

    Read from the outlet's findings (app/many.py) where they hold it; the two counts they do not
    hold (dropped numbers, attribution changes on either side) from its two-way result. Findings on the
    outlet's side (added framing, an added source) count at the source sentences linked to the outlet's
    sentence; in a sentence the outlet added, they count as instances with no source sentence.
    """
    result, findings = outlet.result, outlet.findings
    diff = [s for s in result.spans if s.difference]
    out: dict[str, tuple[int, set[int]]] = {}

    def put(name: str, spans) -> None:
        where = set()
        for s in spans:
            where |= {s.sentence} if s.side == "a" else _linked_source(result, s.sentence)
        out[name] = (len(spans), where)

    put("dropped_hedges", findings.dropped_hedges)
    put("dropped_sources", findings.dropped_sources)
    put("dropped_numbers", [s for s in diff if s.side == "a" and s.kind is SpanKind.NUMBER
                            and (s.detail or {}).get("change") == "dropped"])
    put("added_framing", findings.added_framing)
    put("changed_attributions", [s for s in diff if s.kind is SpanKind.ATTRIBUTION])
    out["omitted_sentences"] = (len(findings.omitted), set(findings.omitted))
    return out


def outlet_rows(stories: list[ManyResult]) -> list[dict]:
    """One row per outlet (its ``outlet_b``, so an outlet is one row across stories): in how many of its
    stories it did each thing, and in what share of the source sentences of those stories."""
    totals: dict[str, dict] = {}
    for many in stories:
        for outlet in many.outlets:
            name = outlet.result.articles["b"].meta.outlet or outlet.name
            row = totals.setdefault(name, {"outlet": name, "stories": 0, "source_sentences": 0,
                                           **{f"{b}_stories": 0 for b in BEHAVIOURS},
                                           **{f"{b}_sentences": 0 for b in BEHAVIOURS}})
            row["stories"] += 1
            row["source_sentences"] += len(many.rows)
            for b, (times, where) in behaviour(outlet).items():
                row[f"{b}_stories"] += times > 0
                row[f"{b}_sentences"] += len(where)
    rows = []
    for row in sorted(totals.values(), key=lambda r: (-r["stories"], r["outlet"])):
        shares = {f"{b}_share": round(row.pop(f"{b}_sentences") / max(row["source_sentences"], 1), 4)
                  for b in BEHAVIOURS}
        rows.append({"outlet": row["outlet"], "stories": row["stories"], "source_sentences": row["source_sentences"],
                     **{k: v for b in BEHAVIOURS for k, v in ((f"{b}_stories", row[f"{b}_stories"]),
                                                               (f"{b}_share", shares[f"{b}_share"]))}})
    return rows


def outlets_csv(rows: list[dict], *, raw: bool = False) -> str:
    import pandas as pd

    columns = ["outlet", "stories", "source_sentences",
               *(c for b in BEHAVIOURS for c in (f"{b}_stories", f"{b}_share"))]
    frame = pd.DataFrame(rows, columns=columns)
    return ("" if raw else EXCEL_BOM) + safe_frame(frame, raw=raw).to_csv(index=False)


CSS = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.6em 0;font-size:.9em}td,th{border:1px solid #ddd;padding:.25em .6em;
text-align:left;vertical-align:top}th{background:#f4f4f4}td.num{text-align:right}.note{color:#666}"""


def outlets_html(rows: list[dict], built: list[BuiltStory]) -> str:
    """The outlet report: one row per outlet, then the stories with links to their matrices. All text escaped."""
    head = "".join(f"<th>{escape(label)}</th>" for label in BEHAVIOURS.values())
    body = "".join(
        f'<tr data-outlet="{escape(r["outlet"])}"><td>{escape(r["outlet"])}</td><td class="num">{r["stories"]}</td>'
        + "".join(f'<td class="num" data-behaviour="{b}">{r[f"{b}_stories"]} '
                  f'<span class="note">({r[f"{b}_share"]:.0%})</span></td>' for b in BEHAVIOURS) + "</tr>"
        for r in rows)
    items = "".join(_story_item(b) for b in built)
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>FrameDiff: outlets across "
            f"stories</title><style>{CSS}</style></head><body><h1>Outlets across {len(built)} "
            f"stor{'y' if len(built) == 1 else 'ies'}</h1>"
            "<p>Per outlet (of b): in how many of its stories it did each thing, and in brackets the share of "
            "those stories' source sentences where it did (findings in sentences the outlet added have no "
            "source sentence and count only in the number of stories).</p>"
            f'<table id="outlets"><thead><tr><th>outlet</th><th>stories</th>{head}</tr></thead><tbody>{body}'
            f'</tbody></table><h2>Stories</h2><ul id="stories">{items}</ul></body></html>\n')


def _story_item(built: BuiltStory) -> str:
    story = built.story
    link = (f'<a href="{escape(story.slug)}/matrix.html">{escape(story.name)}</a>' if built.many is not None
            else escape(story.name))
    outlets = f"{len(built.many.outlets)} outlet(s)" if built.many is not None else "no finished pair"
    missing = (f'; <span class="note">missing (failed or not compared): {escape(", ".join(built.missing))}</span>'
               if built.missing else "")
    note = f'; <span class="note">{escape(built.note)}</span>' if built.note else ""
    return f'<li data-story="{escape(story.slug)}">{link}: {outlets}{missing}{note}</li>'


def write_stories(out_dir: Path, specs: list[PairSpec], *, settings, embedder, csv_raw: bool = False) -> list[BuiltStory]:
    """Rebuild ``stories/`` from ``pairs/*.json``: one folder per story, outlets.csv and outlets.html."""
    out_dir = Path(out_dir)
    new = out_dir / f"{TMP_PREFIX}{STORIES_DIR}"
    shutil.rmtree(new, ignore_errors=True)
    new.mkdir()
    built = [build_story(story, out_dir, embedder=embedder, settings=settings) for story in group_stories(specs)]
    for b in built:
        if b.many is not None:
            write_many(b.many, new / b.story.slug, raw=csv_raw, excel=not csv_raw)
    rows = outlet_rows([b.many for b in built if b.many is not None])
    (new / OUTLETS_CSV).write_text(outlets_csv(rows, raw=csv_raw), encoding="utf-8")
    (new / OUTLETS_HTML).write_text(outlets_html(rows, built), encoding="utf-8")
    _swap_in(new, out_dir / STORIES_DIR)
    return built


def _swap_in(new: Path, final: Path) -> None:
    """Replace ``final`` by ``new``; in between a kill leaves a ``.tmp-`` folder the next run removes."""
    old = final.with_name(f"{TMP_PREFIX}{final.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    new.rename(final)
    shutil.rmtree(old, ignore_errors=True)
