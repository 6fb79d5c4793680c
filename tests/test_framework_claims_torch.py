"""What lessons 07, 08 and 12 say about PyTorch, checked against PyTorch itself (float64).

Skipped, with a visible reason, when PyTorch is not installed. Keras is not a dependency of the
course; its statements in the lessons follow its documentation.
"""
import warnings

import numpy as np
import pytest

from lessons_lib.activations import softmax
from lessons_lib.losses import softmax_cross_entropy

torch = pytest.importorskip("torch", reason="PyTorch not installed: framework claims not checked "
                                            "(pip install torch to run them)")
F = torch.nn.functional


def test_cross_entropy_takes_integer_indices_or_class_probabilities():
    """Lesson 08's table: CrossEntropyLoss accepts (n,) int64 indices or (n, K) probabilities, on logits."""
    rng = np.random.default_rng(0)
    logits = torch.tensor(rng.normal(size=(6, 4)))
    idx = torch.tensor([0, 3, 1, 2, 2, 0])
    onehot = F.one_hot(idx, 4).to(torch.float64)
    by_index = torch.nn.CrossEntropyLoss()(logits, idx)
    by_probs = torch.nn.CrossEntropyLoss()(logits, onehot)
    assert by_index.item() == pytest.approx(by_probs.item(), rel=1e-12)
    assert by_index.item() == pytest.approx(softmax_cross_entropy(idx.numpy(), logits.numpy()), rel=1e-12)


def test_softmax_before_cross_entropy_loss_applies_softmax_twice():
    """Lessons 07 and 08: nn.Softmax + CrossEntropyLoss cannot go below log(1 + (K-1)/e); no error is raised."""
    model_out = torch.tensor([[8.0, 0.0, -4.0], [50.0, -50.0, 0.0]], dtype=torch.float64)
    target = torch.tensor([0, 0])
    doubled = torch.nn.CrossEntropyLoss(reduction="none")(torch.nn.Softmax(dim=1)(model_out), target)
    floor = np.log(1 + 2 / np.e)
    assert (doubled.numpy() >= floor - 1e-12).all()
    assert doubled[1].item() == pytest.approx(floor, rel=1e-12)            # a certain model sits on the floor
    assert floor == pytest.approx(0.5514, abs=1e-4)                        # the number lesson 08 prints
    # the course library reproduces the same double softmax
    np.testing.assert_allclose(softmax_cross_entropy(target.numpy(), softmax(model_out.numpy()), reduction="none"),
                               doubled.numpy(), rtol=1e-12)


def test_mse_loss_broadcasts_a_column_against_a_row_with_only_a_warning():
    """Lesson 08: (n, 1) predictions against (n,) targets broadcast to (n, n) and merely warn."""
    y_hat = torch.tensor([[1.0], [2.0], [3.0]], dtype=torch.float64)
    y = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        per_item = F.mse_loss(y_hat, y, reduction="none")
    assert per_item.shape == (3, 3)
    assert any("broadcast" in str(w.message) for w in caught)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mean = F.mse_loss(y_hat, y).item()
    assert mean == pytest.approx(np.mean((np.array([[1], [2], [3]]) - np.array([1, 2, 3])) ** 2))


def test_reduction_names():
    """PyTorch losses take reduction 'mean', 'sum' or 'none', like the course library."""
    a = torch.tensor([1.0, 2.0, 4.0], dtype=torch.float64)
    b = torch.zeros(3, dtype=torch.float64)
    assert F.l1_loss(a, b, reduction="sum").item() == 7.0
    assert F.l1_loss(a, b, reduction="mean").item() == pytest.approx(7.0 / 3)
    assert F.l1_loss(a, b, reduction="none").tolist() == [1.0, 2.0, 4.0]
