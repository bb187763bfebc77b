"""One story, many outlets: a source against each of its rewrites, combined on the source's sentences (issue 17).

Every figure comes from the normal two-way :func:`app.pipeline.compare` of the source with one rewrite; this
module only reads those Results and lays them side by side:

- the coverage matrix: one row per source sentence, one cell per outlet (kept / reworded / omitted, with the
  outlet's sentence offsets and wording);
- what each outlet added, grouped across outlets when the added sentences match (cosine of their embeddings at
  least the kept threshold: ``kept_threshold_mono`` within a language, ``kept_threshold_cross`` across);
  a group two or more outlets share is a finding (a common second source);
- per-outlet findings: counts of difference spans by kind and who dropped what (hedges, sources), added framing
  and loaded wording, number changes.

The embedder is loaded once; the embedding cache makes the source's sentences cheap after the first pair.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from pathlib import Path
from typing import Callable, Literal, Sequence

import numpy as np
from pydantic import Field

from . import __version__
from .text.article import Article, ArticleMeta
from .errors import error
from .result import ArticleRecord, Result, SentenceStatus, SpanKind, SpanRecord, _Model
from .settings import Settings

MANY_SCHEMA_VERSION = "framediff.many/1"
COVERED = (SentenceStatus.KEPT, SentenceStatus.REWORDED)
# Span kinds a matrix cell names; added/omitted/reworded are the cell's status or its word-level detail.
CELL_KINDS = (SpanKind.FRAMING, SpanKind.LOADED, SpanKind.ATTRIBUTION, SpanKind.NUMBER, SpanKind.ENTITY)


class Cell(_Model):
    """What one outlet did with one source sentence."""

    status: Literal["kept", "reworded", "omitted"]
    sentences: list[int] = Field(default_factory=list, description="The outlet's sentence indices (its article).")
    start: int | None = Field(None, description="Start of the outlet's wording in its article text.")
    end: int | None = None
    text: str | None = Field(None, description="The outlet's wording (its article text[start:end]).")
    score: float | None = Field(None, description="Score of the two-way link, when linked.")
    link: int | None = Field(None, description="Index into the outlet's two-way result alignment.links.")
    changes: list[str] = Field(default_factory=list, description=(
        "Kinds of the two-way result's difference spans (framing, loaded, attribution, number, entity) in this "
        "source sentence or in the outlet's sentences linked to it, sorted."))
    moved: bool = Field(False, description=(
        "The outlet tells this sentence out of the source's order: it is not in the longest run of the outlet's "
        "sentences that keeps the source's order."))


class Row(_Model):
    """One source sentence and one cell per outlet (keyed by outlet name)."""

    index: int
    start: int
    end: int
    text: str
    cells: dict[str, Cell]


class AddedSentence(_Model):
    outlet: str
    sentence: int = Field(description="Sentence index in the outlet's article.")
    start: int
    end: int
    text: str


class AddedGroup(_Model):
    """Sentences outlets added that the source lacks; several outlets in one group share material."""

    outlets: list[str]
    shared: bool = Field(description="True when two or more outlets added matching material (a common second source).")
    sentences: list[AddedSentence]


class SpanRef(_Model):
    """A span of an outlet's two-way result: side a points into the source, side b into the outlet."""

    side: Literal["a", "b"]
    start: int
    end: int
    text: str
    sentence: int
    label: str | None = None
    reason: str | None = None
    counterpart: str | None = Field(None, description="The other side's text, when the two-way result has one.")


class OutletFindings(_Model):
    counts: dict[str, int] = Field(description="Difference spans by kind (the two-way summary.counts).")
    dropped_hedges: list[SpanRef] = Field(default_factory=list, description="Framing spans with label hedge on the source side.")
    dropped_sources: list[SpanRef] = Field(default_factory=list, description="Attribution spans on the source side.")
    added_framing: list[SpanRef] = Field(default_factory=list, description="Framing spans on the outlet side.")
    added_loaded: list[SpanRef] = Field(default_factory=list, description="Loaded-wording spans on the outlet side.")
    number_changes: list[SpanRef] = Field(default_factory=list, description="Number spans, either side.")
    omitted: list[int] = Field(default_factory=list, description="Source sentences the outlet left out.")
    moved: list[int] = Field(default_factory=list, description="Source sentences the outlet moved (Cell.moved).")
    added: list[int] = Field(default_factory=list, description="Outlet sentences with no counterpart in the source.")


class Outlet(_Model):
    name: str
    result: Result = Field(description="The two-way result: the source as a, this outlet as b.")
    findings: OutletFindings


class SourceChoice(_Model):
    method: Literal["given", "date", "coverage"]
    index: int = Field(description="Index of the chosen source among the articles as given.")
    reason: str
    coverage: list[float] | None = Field(None, description="Per candidate (method 'coverage'): mean over the other "
                                                           "articles of the share of both articles' sentences kept "
                                                           "or reworded between them.")


class ManyResult(_Model):
    schema_version: Literal["framediff.many/1"] = MANY_SCHEMA_VERSION
    framediff_version: str
    source_name: str
    source: ArticleRecord
    source_choice: SourceChoice
    outlets: list[Outlet]
    rows: list[Row]
    added: list[AddedGroup]
    timings: dict[str, float] = Field(default_factory=dict)

    def to_json(self, *, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)

    @classmethod
    def from_json(cls, data: str | bytes | dict) -> "ManyResult":
        return cls.model_validate(json.loads(data) if isinstance(data, (str, bytes)) else data)

    def outlet(self, name: str) -> Outlet:
        return next(o for o in self.outlets if o.name == name)


def many_json_schema() -> dict:
    """The JSON Schema of framediff.many/1 (committed as app/schemas/many-1.json)."""
    schema = ManyResult.model_json_schema()
    schema["$id"] = "https://framediff.invalid/schemas/many-1.json"
    schema["title"] = "FrameDiff many-outlet result (framediff.many/1)"
    return schema


# --- building ---------------------------------------------------------------------------------------------

NAME_CHARS = 40


def _name_of(article: Article, given: str | None, fallback: str) -> str:
    """What a reader calls the article: the name given, its outlet, the site of its address, its file's
    name, its title, else the start of its first line ("outlet 2" says nothing; issue 24)."""
    if given:
        return given
    if article.meta.outlet:
        return article.meta.outlet
    source = article.meta.source
    if source and source != "<string>":
        parts = urllib.parse.urlsplit(source)
        if parts.scheme in ("http", "https") and parts.hostname:
            return parts.hostname.removeprefix("www.")
        return Path(source).name.split(".")[0] or fallback
    first_line = (article.meta.title or next((l for l in article.text.splitlines() if l.strip()), "")).strip()
    if first_line:
        return first_line if len(first_line) <= NAME_CHARS else first_line[:NAME_CHARS - 1].rstrip() + "…"
    return fallback


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


def _ref(span: SpanRecord) -> SpanRef:
    return SpanRef(side=span.side, start=span.start, end=span.end, text=span.text, sentence=span.sentence,
                   label=span.label, reason=span.reason,
                   counterpart=span.counterpart.text if span.counterpart else None)


def outlet_findings(result: Result) -> OutletFindings:
    """Who dropped what, read from one two-way result (nothing recomputed)."""
    diff = [s for s in result.spans if s.difference]
    return OutletFindings(
        counts=dict(result.summary.counts),
        dropped_hedges=[_ref(s) for s in diff if s.side == "a" and s.kind is SpanKind.FRAMING and s.label == "hedge"],
        dropped_sources=[_ref(s) for s in diff if s.side == "a" and s.kind is SpanKind.ATTRIBUTION],
        added_framing=[_ref(s) for s in diff if s.side == "b" and s.kind is SpanKind.FRAMING],
        added_loaded=[_ref(s) for s in diff if s.side == "b" and s.kind is SpanKind.LOADED],
        number_changes=[_ref(s) for s in diff if s.kind is SpanKind.NUMBER],
        omitted=[s.index for s in result.articles["a"].sentences if s.status is SentenceStatus.OMITTED],
        added=[s.index for s in result.articles["b"].sentences if s.status is SentenceStatus.ADDED],
    )


def _cell(result: Result, index: int) -> Cell:
    sent = result.articles["a"].sentences[index]
    if sent.link is None or sent.status is SentenceStatus.OMITTED:
        return Cell(status="omitted")
    link = result.alignment.links[sent.link]
    b = result.articles["b"]
    ids = sorted(link.b)
    start, end = b.sentences[ids[0]].start, b.sentences[ids[-1]].end
    changes = sorted({s.kind.value for s in result.spans if s.difference and s.kind in CELL_KINDS and
                      ((s.side == "a" and s.sentence == index) or (s.side == "b" and s.sentence in ids))})
    return Cell(status=sent.status.value, sentences=ids, start=start, end=end, text=b.text[start:end],
                score=round(link.score, 4), link=sent.link, changes=changes)


def in_order(positions: Sequence[int]) -> set[int]:
    """Indices of a longest strictly increasing subsequence of ``positions`` (the first such, O(n log n))."""
    import bisect

    tails: list[int] = []      # tails[k]: index of the smallest tail of an increasing run of length k + 1
    values: list[int] = []     # positions[tails[k]], kept sorted for bisect
    before: list[int | None] = []
    for i, p in enumerate(positions):
        k = bisect.bisect_left(values, p)
        before.append(tails[k - 1] if k else None)
        if k == len(tails):
            tails.append(i)
            values.append(p)
        else:
            tails[k] = i
            values[k] = p
    keep, i = set(), tails[-1] if tails else None
    while i is not None:
        keep.add(i)
        i = before[i]
    return keep


def _mark_moved(cells: list[Cell]) -> None:
    """Cells whose outlet sentences fall outside the longest run that keeps the source's order are moved."""
    covered = [c for c in cells if c.status != "omitted" and c.sentences]
    keep = in_order([c.sentences[0] for c in covered])
    for k, cell in enumerate(covered):
        cell.moved = k not in keep


def coverage_rows(source: ArticleRecord, outlets: Sequence[tuple[str, Result]]) -> list[Row]:
    columns = {name: [_cell(result, i) for i in range(len(source.sentences))] for name, result in outlets}
    for cells in columns.values():
        _mark_moved(cells)
    return [Row(index=i, start=s.start, end=s.end, text=source.text[s.start:s.end],
                cells={name: columns[name][i] for name, _ in outlets})
            for i, s in enumerate(source.sentences)]


def added_groups(outlets: Sequence[tuple[str, Result]], embedder, settings: Settings) -> list[AddedGroup]:
    """Added sentences, joined across outlets when their cosine reaches the kept threshold for the language pair."""
    items: list[tuple[AddedSentence, str]] = []
    for name, result in outlets:
        b = result.articles["b"]
        for s in b.sentences:
            if s.status is SentenceStatus.ADDED:
                items.append((AddedSentence(outlet=name, sentence=s.index, start=s.start, end=s.end,
                                            text=b.text[s.start:s.end]), b.language))
    if not items:
        return []
    vectors = embedder.encode([item.text.strip() for item, _ in items], batch_size=settings.batch_size)
    sims = np.asarray(vectors) @ np.asarray(vectors).T
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if items[i][0].outlet == items[j][0].outlet:
                continue    # an outlet's own sentences are grouped only through another outlet's
            threshold = (settings.kept_threshold_mono if items[i][1] == items[j][1]
                         else settings.kept_threshold_cross)
            if sims[i, j] >= threshold:
                parent[root(j)] = root(i)
    groups: dict[int, list[AddedSentence]] = {}
    for i, (item, _) in enumerate(items):
        groups.setdefault(root(i), []).append(item)
    out = []
    for members in groups.values():
        names = list(dict.fromkeys(m.outlet for m in members))
        out.append(AddedGroup(outlets=names, shared=len(names) > 1, sentences=members))
    out.sort(key=lambda g: (not g.shared, [m.outlet for m in g.sentences][0]))
    return out


def _date_key(date: str) -> str:
    return date.strip()[:32]


def _shared_share(result: Result) -> float:
    """Share of the sentences of both articles that are kept or reworded (a symmetric measure of one pair)."""
    sents = [*result.articles["a"].sentences, *result.articles["b"].sentences]
    return sum(s.status in COVERED for s in sents) / (len(sents) or 1)


def choose_source(articles: Sequence[Article], compare_pair) -> tuple[SourceChoice, dict[tuple[int, int], Result]]:
    """The article most likely to be the original.

    The earliest ``meta.date`` when every article has one (ISO dates compare as text). Otherwise the article
    whose content the others cover most, measured symmetrically: for each pair, the share of the sentences of
    both articles that are kept or reworded, averaged over the other articles. Measuring only the candidate's
    own sentences would favour a rewrite that is a cut-down copy (all of its few sentences are covered); the
    common source of several rewrites is the one they all share most with. Each unordered pair is compared
    once; results with the chosen source as side a are kept for reuse.
    """
    dates = [a.meta.date for a in articles]
    if all(dates):
        index = min(range(len(articles)), key=lambda i: _date_key(dates[i]))
        return SourceChoice(method="date", index=index,
                            reason=f"earliest date in the metadata ({dates[index]}); every article has a date"), {}
    results: dict[tuple[int, int], Result] = {}
    n = len(articles)
    shares = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            result = results[(i, j)] = compare_pair(articles[i], articles[j])
            shares[i, j] = shares[j, i] = _shared_share(result)
    coverage = [round(float(shares[i].sum() / max(n - 1, 1)), 4) for i in range(n)]
    index = max(range(n), key=lambda i: (coverage[i], -i))
    missing = sum(not d for d in dates)
    return SourceChoice(method="coverage", index=index, coverage=coverage,
                        reason=(f"{missing} of {n} articles have no date, so the source is the article the others "
                                f"share most content with: on average {coverage[index]:.0%} of the sentences of it "
                                f"and each other article are kept or reworded between them")), results


def _same_input(x, y) -> bool:
    """Two inputs name the same article: one path, one URL or one text (Articles: the same text)."""
    if isinstance(x, Article) or isinstance(y, Article):
        return isinstance(x, Article) and isinstance(y, Article) and x.text == y.text
    if isinstance(x, Path) and isinstance(y, Path):
        return x.resolve() == y.resolve()
    return type(x) is type(y) and str(x).strip() == str(y).strip()


# Most rewrites of one story: auto mode compares every pair (66 for 12 articles), and a server's
# request must not hold a comparison slot for minutes (issue 23).
MAX_REWRITES = 12


def check_rewrites(source, rewrites: Sequence) -> None:
    """E018 unless at least one rewrite is something other than the source and there are at most
    :data:`MAX_REWRITES` (checked before reading)."""
    if not rewrites:
        raise error("E018", detail="no rewrite was given")
    if len(rewrites) > MAX_REWRITES:
        raise error("E018", detail=f"{len(rewrites)} rewrites were given, over the limit of {MAX_REWRITES} "
                                   "per story; split the story into several runs")
    if all(_same_input(source, r) for r in rewrites):
        raise error("E018", detail="every rewrite given is the source")


def _check_texts(articles: Sequence[Article]) -> None:
    """E018 when, once read, every article has the source's text (e.g. the source pasted twice)."""
    if all(a.text.strip() == articles[0].text.strip() for a in articles[1:]):
        raise error("E018", detail="every rewrite has the same text as the source")


def compare_many(source, rewrites: Sequence, *, settings: Settings | None = None, embedder=None,
                 names: Sequence[str | None] | None = None, source_name: str | None = None,
                 metas: Sequence[ArticleMeta | None] | None = None, cache=True,
                 auto_source: bool = False,
                 on_pair: Callable[[int, int, str], None] | None = None) -> ManyResult:
    """Compare ``source`` with each of ``rewrites`` (Articles, paths, URLs or text) and combine the results.

    ``names`` name the rewrites (default: each article's outlet, else its file name, else "outlet N");
    ``metas`` (one per article, source first) give outlet/title/date. With ``auto_source=True`` the source is
    chosen among all the articles (``source`` and ``rewrites`` together, see :func:`choose_source`) and the
    result says why. ``on_pair(done, total, what)`` is called before each two-way comparison (the web UI's
    progress says which one runs). No rewrite, or only the source again, is E018.
    """
    from .pipeline import compare, default_cache, load_embedder, to_article

    check_rewrites(source, rewrites)
    settings = settings or Settings()
    t0 = time.perf_counter()
    cache_obj = default_cache() if cache is True else (cache or None)
    embedder_obj = load_embedder(embedder if embedder is not None else settings.model, cache_obj)
    inputs = [source, *rewrites]
    metas = list(metas) if metas is not None else [None] * len(inputs)
    articles = [to_article(x, side="a" if i == 0 else "b", language=None, meta=m, settings=settings)
                for i, (x, m) in enumerate(zip(inputs, metas))]
    _check_texts(articles)
    given = [source_name, *(list(names) if names is not None else [None] * len(rewrites))]
    all_names = _unique([_name_of(a, n, "source" if i == 0 else f"outlet {i}")
                         for i, (a, n) in enumerate(zip(articles, given))])
    n = len(articles)
    # auto without a date on every article compares every pair once (those with the source are reused)
    by_coverage = auto_source and not all(a.meta.date for a in articles)
    total = n * (n - 1) // 2 if by_coverage else n - 1
    done = [0]

    def name_of(article: Article) -> str:
        return all_names[next(i for i, x in enumerate(articles) if x is article)]

    def pair(a: Article, b: Article) -> Result:
        if on_pair is not None:
            on_pair(done[0], total, f"{name_of(a)} with {name_of(b)}")
        done[0] += 1
        return compare(a, b, settings=settings, embedder=embedder_obj, cache=cache)

    known: dict[tuple[int, int], Result] = {}
    if auto_source:
        choice, known = choose_source(articles, pair)
    else:
        choice = SourceChoice(method="given", index=0, reason="the first article was given as the source")
    src = choice.index
    outlets = [(all_names[j], known.get((src, j)) or pair(articles[src], article))
               for j, article in enumerate(articles) if j != src]
    t_pairs = time.perf_counter() - t0
    many = combine(outlets, source_name=all_names[src], choice=choice, embedder=embedder_obj, settings=settings)
    many.timings = {"pairs": round(t_pairs, 4), "total": round(time.perf_counter() - t0, 4)}
    return many


def combine(outlets: Sequence[tuple[str, Result]], *, source_name: str, choice: SourceChoice, embedder,
            settings: Settings) -> ManyResult:
    """One ManyResult from finished two-way results that share side a (the source); nothing is compared again.

    ``embedder`` embeds only the outlets' added sentences, to group them (:func:`added_groups`). Batch mode
    builds its per-story matrices this way from ``pairs/<id>.json``.
    """
    if not outlets:
        raise error("E018", detail="no rewrite was given")
    source_record = outlets[0][1].articles["a"]
    rows = coverage_rows(source_record, outlets)
    groups = added_groups(outlets, embedder, settings)
    findings = {n: outlet_findings(r) for n, r in outlets}
    for n, _ in outlets:
        findings[n].moved = [row.index for row in rows if row.cells[n].moved]
    return ManyResult(framediff_version=__version__, source_name=source_name, source=source_record,
                      source_choice=choice,
                      outlets=[Outlet(name=n, result=r, findings=findings[n]) for n, r in outlets],
                      rows=rows, added=groups)
