"""Classification checks (lessons 04-05): correct answers pass, each typical wrong one is named.

Correct solutions are pinned to PyTorch float64 where it is installed; the wrong ones are written
here the way a learner would write them.
"""
import numpy as np
import pytest

from checks_helpers import assert_diagnosis, run

EPS = 1e-7


def arrays(y, p):
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    if y.shape != p.shape:
        raise ValueError("shapes differ")
    return y, p


# --------------------------------------------------------------------------- binary cross-entropy

def bce_ok(y_true, y_pred):
    y, p = arrays(y_true, y_pred)
    p = np.clip(p, EPS, 1 - EPS)
    return np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)))


def bce_torch_style(y_true, y_pred):
    y, p = arrays(y_true, y_pred)
    with np.errstate(divide="ignore"):
        return np.mean(-(y * np.maximum(np.log(p), -100) + (1 - y) * np.maximum(np.log1p(-p), -100)))


@pytest.mark.parametrize("fn", [bce_ok, bce_torch_style])
def test_bce_correct_solutions_pass(fn):
    assert run("binary_cross_entropy", fn).passed


def test_bce_ok_agrees_with_torch():
    torch = pytest.importorskip("torch")
    y, p = np.array([1.0, 0.0, 1.0, 0.0]), np.array([0.9, 0.2, 0.6, 0.4])
    want = torch.nn.functional.binary_cross_entropy(torch.tensor(p), torch.tensor(y)).item()
    assert bce_ok(y, p) == pytest.approx(want, rel=1e-12)


def bce_formula(y, p, log=np.log):
    y, p = arrays(y, p)
    p = np.clip(p, EPS, 1 - EPS)
    return -(y * log(p) + (1 - y) * log(1 - p))


@pytest.mark.parametrize("wrong, name", [
    (lambda y, p: -bce_ok(y, p), "missing_minus"),
    (lambda y, p: np.mean(bce_formula(y, p, np.log10)), "log_base_10"),
    (lambda y, p: np.mean(bce_formula(y, p, np.log2)), "log_base_2"),
    (lambda y, p: np.sum(bce_formula(y, p)), "forgot_mean"),
    (lambda y, p: bce_ok(p, y), "swapped_args"),
    (lambda y, p: np.sum(bce_formula(y, p)) / len(y), "divided_by_rows"),
    (lambda y, p: np.mean(-(np.asarray(y) * np.log(p))), "missing_negative_class_term"),
])
def test_bce_misconceptions(wrong, name):
    assert_diagnosis("binary_cross_entropy", wrong, name)


def test_bce_without_clamping_is_diagnosed_at_p_0_and_1():
    def no_clamp(y, p):
        y, p = arrays(y, p)
        return np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)))

    result = assert_diagnosis("binary_cross_entropy", no_clamp, "no_clamp")
    assert "y_pred=[1, 0, 0.7]" in result.message  # the probe that exposed it

    def where_instead_of_clip(y, p):  # avoids 0 * log(0) but still takes log(0) when wrong
        y, p = arrays(y, p)
        return np.mean(np.where(y == 1, -np.log(p), -np.log(1 - p)))

    assert_diagnosis("binary_cross_entropy", where_instead_of_clip, "no_clamp")


def test_bce_broadcast_trap():
    def no_shape_check(y, p):
        p = np.clip(np.asarray(p, float), EPS, 1 - EPS)
        y = np.asarray(y, float)
        return np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)))

    assert_diagnosis("binary_cross_entropy", no_shape_check, "broadcast_trap")


def test_bce_by_hand_and_choice():
    assert run("bce_by_hand", 0.2899).passed
    assert run("bce_by_hand", -(np.log(0.8) + np.log(0.7)) / 2).passed
    assert run("bce_by_hand", -(np.log10(0.8) + np.log10(0.7)) / 2).misconception == "log_base_10"
    assert run("bce_by_hand", (np.log(0.8) + np.log(0.7)) / 2).misconception == "missing_minus"
    assert run("bce_by_hand", -(np.log(0.8) + np.log(0.3)) / 2).misconception == "ignored_label"
    assert run("which_loss_binary", "c").passed
    wrong = run("which_loss_binary", "a")
    assert wrong.misconception == "mse_for_classification" and "p - y" in wrong.message


# --------------------------------------------------------------------------- stable BCE on logits

def bce_logits_ok(y_true, logits):
    y, z = arrays(y_true, logits)
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))


def test_bce_logits_correct_passes_and_matches_torch():
    assert run("bce_with_logits", bce_logits_ok).passed
    assert run("bce_with_logits", lambda y, z: np.mean(np.logaddexp(0, z) - np.asarray(y) * z)).passed
    torch = pytest.importorskip("torch")
    y, z = np.array([1.0, 0.0, 1.0, 0.0]), np.array([1000.0, -1000.0, -1000.0, 1000.0])
    want = torch.nn.functional.binary_cross_entropy_with_logits(torch.tensor(z), torch.tensor(y)).item()
    assert bce_logits_ok(y, z) == pytest.approx(want, rel=1e-12) == 500.0


def naive_sigmoid(z):
    return 1 / (1 + np.exp(-z))


@pytest.mark.parametrize("wrong, name", [
    (lambda y, z: -bce_logits_ok(y, z), "missing_minus"),
    (lambda y, z: bce_logits_ok(y, z) * len(z), "forgot_mean"),
    (lambda y, z: np.mean(-(y * np.log(z) + (1 - y) * np.log(1 - z))), "forgot_sigmoid"),
    (lambda y, z: np.mean(-(y * np.log(naive_sigmoid(z)) + (1 - y) * np.log(1 - naive_sigmoid(z)))), "overflow"),
    (lambda y, z: bce_ok(y, naive_sigmoid(z)), "clipped_probabilities"),
    (lambda y, z: bce_logits_ok(z, y), "swapped_args"),
])
def test_bce_logits_misconceptions(wrong, name):
    assert_diagnosis("bce_with_logits", wrong, name)


# --------------------------------------------------------------------------- softmax

def softmax_ok(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_softmax_correct_passes_and_matches_torch():
    assert run("softmax", softmax_ok).passed
    torch = pytest.importorskip("torch")
    z = np.array([[1000.0, 999.0, 998.0], [-1000.0, -1000.0, -999.0]])
    np.testing.assert_allclose(softmax_ok(z), torch.softmax(torch.tensor(z), dim=1).numpy(), rtol=1e-12)


@pytest.mark.parametrize("wrong, name", [
    (lambda z: np.exp(z) / np.exp(z).sum(axis=0, keepdims=True), "softmax_wrong_axis"),
    (lambda z: np.exp(z) / np.exp(z).sum(axis=1), "softmax_no_keepdims"),
    (lambda z: np.exp(z) / np.exp(z).sum(), "softmax_global_sum"),
    (lambda z: 1 / (1 + np.exp(-z)), "used_sigmoid"),
    (lambda z: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True), "softmax_overflow"),
    (lambda z: np.exp(z - z.max()) / np.exp(z - z.max()).sum(axis=1, keepdims=True), "softmax_global_max_shift"),
])
def test_softmax_misconceptions(wrong, name):
    assert_diagnosis("softmax", wrong, name)


def test_softmax_wrong_shape_and_garbage():
    assert "shape" in run("softmax", lambda z: softmax_ok(z)[:, 0]).message
    assert "return" in run("softmax", lambda z: None).message


# --------------------------------------------------------------------------- categorical cross-entropy

def cce_ok(y_true, y_pred):
    y, p = arrays(y_true, y_pred)
    return np.mean(-(y * np.log(np.clip(p, EPS, 1))).sum(axis=1))


def test_cce_correct_passes_and_matches_torch():
    assert run("categorical_cross_entropy", cce_ok).passed
    torch = pytest.importorskip("torch")
    y = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
    p = np.array([[0.1, 0.2, 0.7], [0.6, 0.3, 0.1]])
    want = torch.nn.functional.nll_loss(torch.log(torch.tensor(p)), torch.tensor([2, 0])).item()
    assert cce_ok(y, p) == pytest.approx(want, rel=1e-12)


def cce_terms(y, p, log=np.log):
    y, p = arrays(y, p)
    return -(y * log(np.clip(p, EPS, 1)))


@pytest.mark.parametrize("wrong, name", [
    (lambda y, p: -cce_ok(y, p), "missing_minus"),
    (lambda y, p: np.mean(cce_terms(y, p, np.log10).sum(axis=1)), "log_base_10"),
    (lambda y, p: np.sum(cce_terms(y, p)), "forgot_mean"),
    (lambda y, p: np.mean(cce_terms(y, p).sum(axis=0)), "cce_wrong_axis"),
    (lambda y, p: np.mean(cce_terms(y, p)), "cce_mean_over_classes"),
    (lambda y, p: np.mean(-(y * np.log(p)).sum(axis=1)), "no_clamp"),
])
def test_cce_misconceptions(wrong, name):
    assert_diagnosis("categorical_cross_entropy", wrong, name)


def sparse_ok(labels, y_pred):
    p = np.asarray(y_pred, dtype=float)
    labels = np.asarray(labels, dtype=int)
    return np.mean(-np.log(np.clip(p[np.arange(len(labels)), labels], EPS, 1)))


def test_sparse_cce():
    assert run("sparse_categorical_cross_entropy", sparse_ok).passed
    assert_diagnosis("sparse_categorical_cross_entropy",
                     lambda y, p: np.mean(-np.log(np.clip(p[:, y], EPS, 1))), "fancy_index_grid")
    assert_diagnosis("sparse_categorical_cross_entropy", lambda y, p: sparse_ok(y, p) * len(y), "forgot_mean")
    assert_diagnosis("sparse_categorical_cross_entropy", lambda y, p: -sparse_ok(y, p), "missing_minus")
    assert_diagnosis("sparse_categorical_cross_entropy",
                     lambda y, p: np.mean(-np.log(p[np.arange(len(y)), y])), "no_clamp")


def softmax_ce_ok(labels, logits):
    z = np.asarray(logits, dtype=float)
    m = z.max(axis=1, keepdims=True)
    log_sm = z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))
    return np.mean(-log_sm[np.arange(len(labels)), labels])


def test_softmax_ce_correct_matches_torch():
    assert run("softmax_cross_entropy", softmax_ce_ok).passed
    torch = pytest.importorskip("torch")
    z = np.array([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 0.0]])
    want = torch.nn.functional.cross_entropy(torch.tensor(z), torch.tensor([0, 2])).item()
    assert softmax_ce_ok(np.array([0, 2]), z) == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("wrong, name", [
    (lambda y, z: -softmax_ce_ok(y, z), "missing_minus"),
    (lambda y, z: softmax_ce_ok(y, z) * len(y), "forgot_mean"),
    (lambda y, z: np.mean(-np.log(np.exp(z) / np.exp(z).sum(axis=1, keepdims=True))[np.arange(len(y)), y]),
     "softmax_overflow"),
    (lambda y, z: sparse_ok(y, softmax_ok(z)), "clipped_probabilities"),  # stable softmax, then clip
    (lambda y, z: np.mean(-np.log(np.exp(z) / np.exp(z).sum(axis=0, keepdims=True))[np.arange(len(y)), y]),
     "softmax_wrong_axis"),
])
def test_softmax_ce_misconceptions(wrong, name):
    assert_diagnosis("softmax_cross_entropy", wrong, name)


def test_rank_by_loss():
    from lessons_lib.checks.classification import RANKING_PREDICTIONS
    losses_ = {k: -np.log(v[0]) for k, v in RANKING_PREDICTIONS.items()}
    assert run("rank_by_loss", sorted(losses_, key=losses_.get)).passed
    assert run("rank_by_loss", "B D A C").passed
    assert not run("rank_by_loss", "A B C D").passed  # the answer is not the alphabetical order
    assert run("rank_by_loss", ["C", "A", "D", "B"]).misconception == "reversed_ranking"
    assert run("rank_by_loss", ["B", "C", "D", "A"]).misconception == "ranked_by_confidence"
    result = run("rank_by_loss", ["B", "D", "C", "A"])
    assert result.status == "failed" and "2 of the 4" in result.message
    assert "exactly once" in run("rank_by_loss", ["A", "A", "B", "C"]).message
