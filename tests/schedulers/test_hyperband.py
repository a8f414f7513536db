"""Bracket and rung arithmetic, top-k promotion and ASHA's rule."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sklearn_hpo.schedulers import (
    ASHAScheduler,
    Bracket,
    Rung,
    hyperband_brackets,
    integer_log,
    top_k,
)

# Li et al. (JMLR 2018), Table 1: R = 81, eta = 3; (n_i, r_i) per bracket s.
PAPER_TABLE = {
    4: [(81, 1), (27, 3), (9, 9), (3, 27), (1, 81)],
    3: [(34, 3), (11, 9), (3, 27), (1, 81)],
    2: [(15, 9), (5, 27), (1, 81)],
    1: [(8, 27), (2, 81)],
    0: [(5, 81)],
}


def test_brackets_equal_the_paper_table():
    brackets = hyperband_brackets(1, 81, 3)
    assert [b.index for b in brackets] == [4, 3, 2, 1, 0]
    for b in brackets:
        assert [tuple(r) for r in b.rungs] == PAPER_TABLE[b.index]
        assert all(isinstance(v, int) for r in b.rungs for v in r)
    # the budget of a bracket is the sum of n_i * r_i over its rungs
    assert [b.budget for b in brackets] == [
        sum(n * r for n, r in PAPER_TABLE[s]) for s in (4, 3, 2, 1, 0)
    ]
    assert brackets[0].budget == 5 * 81  # (s_max + 1) R for the first one
    assert sum(b.n_candidates for b in brackets) == 143


def test_scaled_resources_keep_the_table():
    # r_min = 2, R = 162 is the same table with every resource doubled
    pairs = zip(
        hyperband_brackets(2, 162, 3), hyperband_brackets(1, 81, 3), strict=True
    )
    for a, b in pairs:
        assert [r.n_candidates for r in a.rungs] == [r.n_candidates for r in b.rungs]
        assert [r.resource for r in a.rungs] == [2 * r.resource for r in b.rungs]


def test_integer_log_is_exact_where_floating_point_is_not():
    assert math.floor(math.log(243, 3)) == 4  # the trap
    assert integer_log(243, 3) == 5
    assert integer_log(242, 3) == 4
    assert integer_log(3**20, 3) == 20
    assert integer_log(3**20 - 1, 3) == 19
    assert integer_log(1, 2) == 0
    assert hyperband_brackets(1, 243, 3)[0].index == 5


@given(
    r_min=st.integers(1, 50),
    ratio=st.integers(1, 2000),
    eta=st.integers(2, 6),
)
def test_bracket_invariants(r_min, ratio, eta):
    R = r_min * ratio
    brackets = hyperband_brackets(r_min, R, eta)
    s_max = len(brackets) - 1
    assert r_min * eta**s_max <= R < r_min * eta ** (s_max + 1)
    for b in brackets:
        n0 = b.rungs[0].n_candidates
        assert n0 == math.ceil((s_max + 1) * eta**b.index / (b.index + 1) - 1e-12)
        resources = [r.resource for r in b.rungs]
        assert resources[-1] == R and resources[0] >= r_min
        assert all(np.diff(resources) > 0)
        for i, rung in enumerate(b.rungs):
            assert rung.n_candidates == n0 // eta**i >= 1
            assert rung.resource == R // eta ** (b.index - i)


def test_truncated_bracket():
    b = hyperband_brackets(1, 81, 3)[0]
    t = b.truncated(10, 3)
    assert [r.n_candidates for r in t.rungs] == [10, 3, 1, 1, 1]
    assert [r.resource for r in t.rungs] == [1, 3, 9, 27, 81]
    assert b.truncated(500, 3) is b


@pytest.mark.parametrize(
    "args, match",
    [
        ((0, 10, 3), "min_resource"),
        ((5, 4, 3), "must not exceed"),
        ((1, 10, 1), "eta"),
        ((1.5, 10, 3), "min_resource"),
        ((1, 10, True), "eta"),
    ],
)
def test_bad_arguments(args, match):
    with pytest.raises(ValueError, match=match):
        hyperband_brackets(*args)


def test_top_k_skips_failures_and_keeps_order_of_ties():
    scores = [0.5, np.nan, 0.9, 0.5, -np.inf, 0.7]
    assert top_k(scores, 3).tolist() == [2, 5, 0]
    assert top_k(scores, 10).tolist() == [2, 5, 0, 3]
    assert top_k([np.nan, np.nan], 1).tolist() == []
    assert top_k(scores, 0).tolist() == []


def test_asha_promotion_rule_on_a_scripted_sequence():
    asha = ASHAScheduler([1, 3, 9], eta=3)
    script = [
        # (candidate, rung, score) reported, then the expected promotion
        ((0, 0, 0.1), None),
        ((1, 0, 0.5), None),
        ((2, 0, 0.3), (1, 1)),  # 3 results: top 1 (cand 1) goes up
        ((3, 0, 0.9), None),  # top 1 of 4 is cand 3, but floor(4/3) = 1 and
        # cand 1 was promoted already; cand 3 is the top now: promote it
    ]
    got = []
    for (c, rung, score), _ in script:
        asha.report(c, rung, score)
        got.append(asha.next_promotion())
    assert got == [None, None, (1, 1), (3, 1)]
    # rung 1 holds cand 1 only: nothing to promote from it; rung 0 has 4
    # results, top 1 already promoted -> None
    assert asha.next_promotion() is None
    asha.report(1, 1, 0.6)
    asha.report(4, 0, float("nan"))  # a failure is never promoted
    asha.report(5, 0, 0.2)
    # rung 0: 6 results, top 2 = cands 3, 1 (both promoted) -> nothing
    assert asha.next_promotion() is None
    asha.report(3, 1, 0.95)
    asha.report(6, 0, 0.4)
    # rung 1 has 2 results (floor(2/3) = 0); rung 0: 7 results, top 2 = 3, 1
    assert asha.next_promotion() is None
    asha.report(7, 1, 0.1)  # rung 1 now 3 results: top 1 = cand 3 -> rung 2
    assert asha.next_promotion() == (3, 2)
    asha.report(8, 0, 0.8)
    asha.report(9, 0, 0.85)
    # rung 0: 9 results, top 3 = 3 (0.9), 9 (0.85), 8 (0.8): 9 is first unpromoted
    assert asha.next_promotion() == (9, 1)
    assert asha.next_promotion() == (8, 1)
    assert asha.next_promotion() is None
    cands, scores = asha.results(0)
    assert cands == [0, 1, 2, 3, 4, 5, 6, 8, 9] and np.isnan(scores[4])


def test_asha_prefers_higher_rungs():
    asha = ASHAScheduler([1, 3, 9], eta=2)
    for c, s in enumerate([0.1, 0.2, 0.3, 0.4]):
        asha.report(c, 0, s)
    assert asha.next_promotion() == (3, 1)
    asha.report(3, 1, 0.9)
    asha.report(2, 1, 0.1)
    # rung 1 (2 results) promotes before rung 0's second candidate
    assert asha.next_promotion() == (3, 2)
    assert asha.next_promotion() == (2, 1)


def test_asha_validates_resources():
    with pytest.raises(ValueError, match="increase"):
        ASHAScheduler([1, 1, 3], eta=3)
    with pytest.raises(ValueError, match="eta"):
        ASHAScheduler([1, 3], eta=1)


def test_named_tuples():
    r = Rung(3, 9)
    assert r.n_candidates == 3 and r.resource == 9
    b = Bracket(1, (Rung(4, 3), Rung(1, 9)))
    assert b.n_candidates == 4 and b.budget == 21
