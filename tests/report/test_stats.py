import math

import numpy as np
import pytest
from scipy import stats

from sklearn_hpo.report import corrected_resampled_ttest


def test_matches_hand_computation():
    # d = [0.02, 0.01, 0.03, 0.02, 0.02]: mean 0.02, squared deviations
    # 0, 1e-4, 1e-4, 0, 0 -> s^2 = 2e-4 / 4 = 5e-5; k = 5, n_test/n_train
    # = 20/80 -> correction 1/5 + 1/4 = 0.45; se = sqrt(0.45 * 5e-5) =
    # sqrt(2.25e-5) = 0.00474342; t = 0.02 / se = 4.21637.
    r = corrected_resampled_ttest([0.02, 0.01, 0.03, 0.02, 0.02], 80, 20)
    assert r["mean"] == pytest.approx(0.02, abs=1e-15)
    assert r["std"] == pytest.approx(math.sqrt(5e-5), rel=1e-12)
    assert r["correction"] == pytest.approx(0.45, rel=1e-12)
    assert r["se"] == pytest.approx(0.0047434165, rel=1e-8)
    assert r["t"] == pytest.approx(4.2163702, rel=1e-7)
    assert r["df"] == 4
    # two-sided p of t = 4.21637 with 4 df, and t_{0.975, 4} = 2.7764451
    # (tables); the interval is 0.02 +- 2.7764451 * 0.0047434165.
    assert r["p_value"] == pytest.approx(2 * stats.t.sf(4.2163702, 4), rel=1e-6)
    assert 0.013 < r["p_value"] < 0.014
    assert r["ci_low"] == pytest.approx(0.02 - 2.7764451 * 0.0047434165, rel=1e-7)
    assert r["ci_high"] == pytest.approx(0.02 + 2.7764451 * 0.0047434165, rel=1e-7)


def test_correction_widens_the_naive_interval():
    d = np.array([0.5, 0.7, 0.6, 0.9, 0.4, 0.8, 0.6, 0.7, 0.5, 0.6])
    r = corrected_resampled_ttest(d, 90, 10)
    naive = stats.ttest_1samp(d, 0.0)
    assert r["t"] < naive.statistic
    assert r["t"] == pytest.approx(naive.statistic / math.sqrt(1 + 10 * 10 / 90))


def test_constant_differences_and_level():
    r = corrected_resampled_ttest([0.1, 0.1, 0.1], 10, 5)
    assert r["p_value"] == 0.0 and r["t"] == math.inf
    assert r["ci_low"] == r["ci_high"] == pytest.approx(0.1)
    zero = corrected_resampled_ttest([0.0, 0.0], 10, 5)
    assert zero["p_value"] == 1.0
    wide = corrected_resampled_ttest([1.0, 2.0, 4.0], 10, 5, confidence=0.99)
    narrow = corrected_resampled_ttest([1.0, 2.0, 4.0], 10, 5, confidence=0.8)
    assert wide["ci_high"] - wide["ci_low"] > narrow["ci_high"] - narrow["ci_low"]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"d": [1.0]}, "at least 2 folds"),
        ({"d": [1.0, np.nan]}, "nan or inf"),
        ({"d": [1.0, 2.0], "n_train": 0}, "positive"),
        ({"d": [1.0, 2.0], "confidence": 1.0}, "confidence"),
    ],
)
def test_bad_input(kwargs, match):
    args = {"n_train": 10, "n_test": 5, **kwargs}
    d = args.pop("d")
    with pytest.raises(ValueError, match=match):
        corrected_resampled_ttest(d, **args)
