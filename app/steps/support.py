"""Links that hold up: every sentence of a link must be supported by the other side on its own.

The aligner joins sentences into groups when that raises the group's similarity a little; on
rewrites it glues an unrelated sentence (one the rewrite dropped, or one it added) into a group and
calls it kept. Once the word level has scored every word against the other side, a sentence whose
content words mostly have no counterpart there is not supported:

- in a group, it leaves its link and becomes omitted (a) or added (b): an added sentence never
  rides in a kept link, and a dropped sentence of the source is counted as dropped;
- when neither side of a 1-1 link is supported, the link is dropped;
- a supported sentence in a link whose other side is unsupported stays linked, but the link cannot
  be "kept": it is reworded (classify.py reads :func:`supported`).

Support is the share of a sentence's content words (not punctuation, not function words) scoring
below the word level's threshold. Sentences of three content words or fewer are fragments of a split
sentence as often as not: they are always supported.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from .align import Alignment, Link
from ..text.article import Article
from .words.word_evidence import is_function_word
from .words.scoring import WORDLIKE

# A sentence is supported when at least this share of its content words has a counterpart
# (tuned on the dev splits: bench news, rewrites link F1 and mqm link accuracy; docs/tuning-history.md).
MIN_SUPPORT = 0.35
MIN_CONTENT_WORDS = 4


def support(article: Article, i: int, scores: np.ndarray, threshold: float) -> float:
    """Share of sentence ``i``'s content words whose difference score is below ``threshold``."""
    sent = article.sentences[i]
    content = [k for k in range(sent.token_start, sent.token_end) if _is_content(article.token_text(k))]
    if len(content) <= MIN_CONTENT_WORDS - 1:
        return 1.0
    return float(np.mean([scores[k] < threshold for k in content]))


def _is_content(word: str) -> bool:
    return bool(WORDLIKE.search(word)) and not is_function_word(word)


def supported(article: Article, i: int, scores: np.ndarray, threshold: float) -> bool:
    return support(article, i, scores, threshold) >= MIN_SUPPORT


def refine(alignment: Alignment, article_a: Article, article_b: Article, scores: dict[str, np.ndarray],
           threshold: float, rescore: Callable[[tuple[int, ...], tuple[int, ...]], float]) -> Alignment:
    """The alignment without unsupported group members and without links neither side supports.

    ``rescore(a_ids, b_ids)`` gives a shrunk link its new similarity (the cosine of its two groups).
    """
    links = []
    for link in alignment.links:
        a = [i for i in link.a if supported(article_a, i, scores["a"], threshold)]
        b = [j for j in link.b if supported(article_b, j, scores["b"], threshold)]
        if not a and not b:
            continue                      # nothing on either side holds up: both are unaligned
        a = a or list(link.a)             # a lone unsupported side stays: its partner vouches for the link
        b = b or list(link.b)
        if (tuple(a), tuple(b)) == (link.a, link.b):
            links.append(link)
        else:
            links.append(Link(tuple(a), tuple(b), round(rescore(tuple(a), tuple(b)), 4)))
    if len(links) == len(alignment.links) and all(x is y for x, y in zip(links, alignment.links)):
        return alignment
    return Alignment(tuple(links), alignment.n_a, alignment.n_b)


def unlink_scores(scores: dict[str, np.ndarray], before: Alignment, after: Alignment,
                  articles: dict[str, Article]) -> None:
    """Sentences that left every link score 1.0 on each word, as unaligned sentences do."""
    for side, was, now in (("a", before.a_to_b, after.a_to_b), ("b", before.b_to_a, after.b_to_a)):
        article = articles[side]
        for i, (k_was, k_now) in enumerate(zip(was, now)):
            if k_was is not None and k_now is None:
                sent = article.sentences[i]
                for k in range(sent.token_start, sent.token_end):
                    scores[side][k] = 1.0 if WORDLIKE.search(article.token_text(k)) else 0.0


# A copy must beat the weaker of the links it breaks by this much (cosine) to take its sentences.
RECLAIM_MARGIN = 0.1


def reclaim_copies(alignment: Alignment, vectors_a: np.ndarray, vectors_b: np.ndarray, min_cosine: float,
                   rescore: Callable[[tuple[int, ...], tuple[int, ...]], float]) -> tuple[Alignment, set[int]]:
    """Give two sentences that are each other's best match back to each other, out of weaker links.

    The aligner keeps one reading order; a rewrite that moves a paragraph puts its near-copy
    out of that order, and the order pairs it with whatever sat in its place (a lede linked to an
    unrelated sentence at .38 while its copy elsewhere scores .95). A mutual best match at least
    ``min_cosine`` (the kept threshold) that beats each sentence's present link by
    :data:`RECLAIM_MARGIN` takes both sentences out of those links and becomes a link of its own;
    a link left with no sentence on one side is dropped (its others become unaligned), one that only
    lost a member gets its new similarity from ``rescore(a_ids, b_ids)``, as in :func:`refine`.

    Returns the alignment and the indices (in its links) of links that are new or lost a member.
    """
    if alignment.n_a == 0 or alignment.n_b == 0 or len(vectors_a) != alignment.n_a or len(vectors_b) != alignment.n_b:
        return alignment, set()
    sims = vectors_a @ vectors_b.T
    score_a = {i: link.score for link in alignment.links for i in link.a}
    score_b = {j: link.score for link in alignment.links for j in link.b}
    together = {(i, j) for link in alignment.links for i in link.a for j in link.b}
    pairs = [(i, int(j)) for i, j in enumerate(sims.argmax(axis=1))
             if sims[:, j].argmax() == i and sims[i, j] >= min_cosine and (i, int(j)) not in together
             and sims[i, j] >= max(score_a.get(i, -1.0), score_b.get(int(j), -1.0)) + RECLAIM_MARGIN]
    if not pairs:
        return alignment, set()
    taken_a, taken_b = {i for i, _ in pairs}, {j for _, j in pairs}
    links, changed = [], set()
    for link in alignment.links:
        a = tuple(i for i in link.a if i not in taken_a)
        b = tuple(j for j in link.b if j not in taken_b)
        if (a, b) == (link.a, link.b):
            links.append(link)
        elif a and b:
            changed.add(len(links))
            links.append(Link(a, b, round(rescore(a, b), 4)))
    for i, j in pairs:
        changed.add(len(links))
        links.append(Link((i,), (j,), round(float(sims[i, j]), 4)))
    return Alignment(tuple(links), alignment.n_a, alignment.n_b), changed


def relink_moved(alignment: Alignment, vectors_a: np.ndarray, vectors_b: np.ndarray, min_cosine: float) -> Alignment:
    """Pair sentences left unaligned on both sides that are each other's best match, wherever they sit.

    A paragraph a rewrite moves to the top (a lede) is out of order for the aligner's passes; it would
    show as omitted in a and added in b. Mutual best matches at least ``min_cosine`` apart (the kept
    threshold) are the same sentence moved.
    """
    free_a, free_b = list(alignment.unaligned_a), list(alignment.unaligned_b)
    if not free_a or not free_b or len(vectors_a) != alignment.n_a or len(vectors_b) != alignment.n_b:
        return alignment
    sims = vectors_a[free_a] @ vectors_b[free_b].T
    new = [Link((free_a[r],), (free_b[c],), round(float(sims[r, c]), 4))
           for r, c in enumerate(sims.argmax(axis=1))
           if sims[:, c].argmax() == r and sims[r, c] >= min_cosine]
    if not new:
        return alignment
    return Alignment(alignment.links + tuple(new), alignment.n_a, alignment.n_b)
