"""``report.html``: one self-contained page about the whole corpus.

Built only from the corpus tables (themselves rebuilt from ``pairs/*.json``) and
the errors log. Plots are inline SVG; nothing is fetched; every piece of text that
came from an article or its metadata is escaped.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from html import escape
from pathlib import Path

import pandas as pd

from .. import __version__
from ..export.common import EXTENSION_SOURCES
from ..steps.words.word_evidence import FUNCTION_WORDS
from ..text.chinese import is_han
from .svg import bar_chart, line_chart
from .work import write_atomic

UNKNOWN = "(no outlet)"
TOP_TERMS = 15
REPORT_KINDS = ("loaded", "omitted", "added")      # the only span kinds the report reads
# The word level's closed-class words, plus what every news story says: not terms worth ranking.
EN_STOPWORDS = FUNCTION_WORDS | frozenset("""above according again also below doing few further just last more most
new now once one only other own said same say says tell told too two very why year years""".split())
WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W\d_]|[^\W\d_]", re.UNICODE)

CSS = """body{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
table{border-collapse:collapse;margin:.6em 0;font-size:.9em}td,th{border:1px solid #ddd;padding:.25em .6em;
text-align:left;vertical-align:top}th{background:#f4f4f4}.num{text-align:right}.note{color:#666}
.warn{background:#fff4e0;border-left:4px solid #edae49;padding:.5em 1em}svg{display:block;margin:.6em 0}"""


def write_report(path: Path, *, pairs: pd.DataFrame, spans: pd.DataFrame, errors: list[dict]) -> None:
    write_atomic(Path(path), render_report(pairs=pairs, spans=spans, errors=errors))


def render_report(*, pairs: pd.DataFrame, spans: pd.DataFrame, errors: list[dict]) -> str:
    pairs = pairs.assign(outlet=pairs["outlet_b"].fillna(UNKNOWN))
    sections = [_overview(pairs, errors), _loaded_by_outlet(pairs, spans), _rates_by_outlet(pairs),
                _rates_over_time(pairs), _frame_shifts(pairs), _frequent_terms(spans), _errors(errors)]
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>FrameDiff corpus report</title><style>{CSS}</style></head><body>"
            "<h1>FrameDiff corpus report</h1>" + "".join(sections) +
            f"<p class=\"note\">Made by FrameDiff {escape(__version__)} from pairs/*.json. Side a is the source "
            "(e.g. the wire report), side b the rewrite; rates are shares of characters.</p></body></html>")


def _overview(pairs: pd.DataFrame, errors: list[dict]) -> str:
    dates = pairs["date"].dropna().astype(str)
    rows = [("pairs compared", len(pairs)), ("pairs or rows failed", len(errors)),
            ("outlets of b", pairs["outlet"].nunique()),
            ("languages a → b", ", ".join(sorted({f"{a}→{b}" for a, b in zip(pairs["lang_a"], pairs["lang_b"])}))),
            ("dates", f"{dates.min()} … {dates.max()}" if len(dates) else "n/a")]
    html = "<h2>Overview</h2>" + _table([], rows)
    hashes = sorted(set(pairs["config_hash"].dropna()))
    if len(hashes) > 1:
        html += (f"<p class=\"warn\">These results come from {len(hashes)} different configurations "
                 f"({escape(', '.join(hashes))}); numbers are only comparable within one.</p>")
    return html


def _loaded_by_outlet(pairs: pd.DataFrame, spans: pd.DataFrame) -> str:
    html = "<h2>Loaded terms by outlet</h2>"
    loaded = spans[spans["kind"] == "loaded"].assign(outlet=lambda d: d["outlet"].fillna(UNKNOWN))
    # Terms the lexicon extension caught (VADER valence, neighbours) are plain words as often as not:
    # counted here they would rank outlets by vocabulary, not by judgement.
    extension = loaded["source"].isin(EXTENSION_SOURCES) if "source" in loaded else pd.Series(False, loaded.index)
    if extension.any():
        n = int(extension.sum())
        html += (f"<p class=\"note\">{n} {'term' if n == 1 else 'terms'} caught by the lexicon extension (not in "
                 "the lexicon; spans table, column <code>source</code>) not counted here.</p>")
    loaded = loaded[~extension]
    if loaded.empty:
        return html + "<p class=\"note\">No loaded-term spans in these results.</p>"
    side_pairs = pd.concat([pairs.assign(o=pairs["outlet_a"].fillna(UNKNOWN))[["pair_id", "o"]],
                            pairs.assign(o=pairs["outlet_b"].fillna(UNKNOWN))[["pair_id", "o"]]])
    n_pairs = side_pairs.drop_duplicates().groupby("o")["pair_id"].count()
    per_outlet = loaded.groupby("outlet").size().sort_values(ascending=False)
    labels = list(per_outlet.index)
    html += bar_chart(labels, {"loaded terms per pair": [per_outlet[o] / max(1, n_pairs.get(o, 1)) for o in labels]},
                      title="Loaded terms per article, by outlet")
    for outlet in labels[:12]:
        top = (loaded[loaded["outlet"] == outlet].fillna({"label": "", "gloss": ""})
               .groupby(["text", "label", "gloss"]).size().sort_values(ascending=False).head(10))
        html += f"<h3>{escape(outlet)}</h3>" + _table(["term", "category", "gloss", "count"],
                                                      [(*key, n) for key, n in top.items()])
    return html


def _rates_by_outlet(pairs: pd.DataFrame) -> str:
    html = "<h2>Omitted and added, by outlet of b</h2>"
    if pairs.empty:
        return html + "<p class=\"note\">No pairs.</p>"
    by = pairs.groupby("outlet").agg(pairs=("pair_id", "count"), omitted=("share_a_omitted", "mean"),
                                     added=("share_b_added", "mean")).sort_values("pairs", ascending=False)
    labels = list(by.index)
    html += bar_chart(labels, {"share of a omitted": list(by["omitted"]), "share of b added": list(by["added"])},
                      title="Mean share omitted (a) and added (b), by outlet of b")
    return html + _table(["outlet of b", "pairs", "mean share of a omitted", "mean share of b added"],
                         [(o, int(r.pairs), f"{r.omitted:.3f}", f"{r.added:.3f}") for o, r in by.iterrows()])


def _rates_over_time(pairs: pd.DataFrame) -> str:
    html = "<h2>Omitted and added over time</h2>"
    when = pd.to_datetime(pairs["date"], errors="coerce", format="mixed")
    dated = pairs.assign(when=when).dropna(subset=["when"])
    if dated.empty:
        return html + "<p class=\"note\">No pair has a date.</p>"
    monthly = dated["when"].dt.normalize().nunique() > 40
    dated = dated.assign(period=dated["when"].dt.strftime("%Y-%m" if monthly else "%Y-%m-%d"))
    by = dated.groupby("period").agg(pairs=("pair_id", "count"), omitted=("share_a_omitted", "mean"),
                                     added=("share_b_added", "mean")).sort_index()
    html += line_chart(list(by.index), {"share of a omitted": list(by["omitted"]), "share of b added": list(by["added"])},
                       title=f"Mean share omitted and added, by {'month' if monthly else 'day'}")
    return html + _table(["period", "pairs", "mean share of a omitted", "mean share of b added"],
                         [(p, int(r.pairs), f"{r.omitted:.3f}", f"{r.added:.3f}") for p, r in by.iterrows()])


def _frame_shifts(pairs: pd.DataFrame) -> str:
    html = "<h2>Frame shifts</h2>"
    shifts = pairs.dropna(subset=["frame_shift"])
    if shifts.empty:
        return html + "<p class=\"note\">Frame shift: n/a (these results carry no frames block).</p>"
    html += ("<p class=\"note\">Frame shift = total variation between the frame mixes of a and b "
             "(0: same mix, 1: no frame in common).</p>")
    by = shifts.groupby("outlet")["frame_shift"].agg(["count", "mean"]).sort_values("mean", ascending=False)
    html += bar_chart(list(by.index), {"mean frame shift": list(by["mean"])}, title="Mean frame shift, by outlet of b")
    html += _frame_mix(shifts)
    moves = [(frame, gained, int((shifts["frame_lost"] == frame).sum()))
             for frame, gained in Counter(shifts["frame_gained"].dropna()).most_common()]
    if moves:
        html += "<h3>Frames that gained and lost most</h3>" + _table(
            ["frame", "pairs where b gained it most", "pairs where b lost it most"], moves)
    top = shifts.sort_values("frame_shift", ascending=False).head(10)
    return html + _table(["pair", "outlet of b", "date", "frame shift", "gained most", "lost most"],
                         [(r.pair_id, r.outlet, _text_or_blank(r.date), f"{r.frame_shift:.3f}",
                           _text_or_blank(r.frame_gained), _text_or_blank(r.frame_lost)) for r in top.itertuples()])


def _frame_mix(pairs: pd.DataFrame) -> str:
    """Mean share of sentences on each frame, side a against side b."""
    mix_a = pd.DataFrame([json.loads(m) for m in pairs["frames_a"].dropna()]).fillna(0.0).mean()
    mix_b = pd.DataFrame([json.loads(m) for m in pairs["frames_b"].dropna()]).fillna(0.0).mean()
    frames = sorted(set(mix_a.index) | set(mix_b.index), key=lambda f: -max(mix_a.get(f, 0), mix_b.get(f, 0)))
    if not frames:
        return ""
    return bar_chart(frames, {"a (source)": [float(mix_a.get(f, 0.0)) for f in frames],
                              "b (rewrite)": [float(mix_b.get(f, 0.0)) for f in frames]},
                     title="Frame mix: mean share of sentences on each frame")


def _text_or_blank(value) -> str:
    return value if isinstance(value, str) else ""


def _frequent_terms(spans: pd.DataFrame) -> str:
    html = "<h2>Most frequent omitted and added terms</h2>"
    for kind, side, what in (("omitted", "a", "omitted from a"), ("added", "b", "added in b")):
        rows = spans[(spans["kind"] == kind) & (spans["side"] == side)]
        counts, pair_counts = Counter(), Counter()
        for pair_id, group in rows.groupby("pair_id"):
            seen = Counter(t for text, lang in zip(group["text"], group["language"]) for t in terms(text, lang))
            counts.update(seen)
            pair_counts.update(seen.keys())
        top = counts.most_common(TOP_TERMS)
        if not top:
            html += f"<p class=\"note\">No terms {escape(what)}.</p>"
            continue
        html += bar_chart([t for t, _ in top], {"occurrences": [n for _, n in top]},
                          title=f"Terms most often {what}", fmt="{:.0f}")
        html += _table(["term", "occurrences", "pairs"], [(t, n, pair_counts[t]) for t, n in top])
    return html


def terms(text: str, language: str | None) -> list[str]:
    """Content words of a span: jieba words for Chinese, else lower-cased words minus stop words."""
    if not isinstance(text, str):
        return []
    if language in ("zh", "ja") or is_han(text):
        from ..text.chinese import word_spans

        words = (text[start:end] for start, end in word_spans(text))
        return [w for w in words if len(w) >= 2 and is_han(w)]
    words = (re.sub(r"['’]s$", "", w.lower()) for w in WORD.findall(text))
    return [w for w in words if len(w) >= 3 and w not in EN_STOPWORDS]


def _errors(errors: list[dict]) -> str:
    html = "<h2>Errors</h2>"
    if not errors:
        return html + "<p class=\"note\">None.</p>"
    codes = Counter(e.get("code") for e in errors)
    html += _table(["code", "rows or pairs"], sorted(codes.items()))
    return html + _table(["id", "where", "code", "reason"],
                         [(e.get("id") or "", e.get("where") or "", e.get("code") or "", e.get("error") or "")
                          for e in errors[:100]])


def _table(header: list[str], rows) -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in rows)
    thead = f"<thead><tr>{head}</tr></thead>" if header else ""
    return f"<table>{thead}<tbody>{body}</tbody></table>"


def _cell(value) -> str:
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    cls = ' class="num"' if numeric else ""
    return f"<td{cls}>{escape(str(value))}</td>"
