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
from .article import Article
from .tokendiff.lexical import is_function_word
from .tokendiff.scoring import WORDLIKE

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
