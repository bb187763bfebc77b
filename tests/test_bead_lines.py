from app.bead_lines import format_bead, parse_bead
from bench.align_scoring import score_documents


def test_parse_and_format_round_trip():
    for line in ["[0, 1]:[0]", "[5]:[]", "[]:[217]", "[18]:[16, 17]"]:
        a, b = parse_bead(line)
        assert format_bead(a, b) == line
    assert parse_bead("[0,1]:[0]") == ((0, 1), (0,))


def test_scorer_strict_and_lax():
    gold = [((0,), (0,)), ((1, 2), (1,)), ((3,), ())]
    test = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ())]
    score = score_documents([gold], [test])
    # precision: 4 test beads; strict TP = [0]:[0] and [3]:[] ; lax adds [1]:[1]
    assert score["strict"]["p"] == 0.5 and score["lax"]["p"] == 0.75
    # recall over non-null gold beads (2): strict 1, lax 2
    assert score["strict"]["r"] == 0.5 and score["lax"]["r"] == 1.0


def test_perfect_alignment_scores_one():
    gold = [((0,), (0,)), ((1,), (1, 2)), ((), (3,))]
    assert score_documents([gold], [list(gold)])["strict"] == {"p": 1.0, "r": 1.0, "f1": 1.0}
