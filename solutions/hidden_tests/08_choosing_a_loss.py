"""Hidden tests of 08_choosing_a_loss (instructor only: never in the student release or the sandbox)."""
import numpy as np

from lessons_lib.gradcheck import check_gradient
from lessons_lib.grade.hidden import hidden_test, passes


@hidden_test("choosing_custom_loss", after="08-choosing-a-loss-12", points=3)
def choosing_custom_loss(loss_for_task, asymmetric_loss, asymmetric_loss_grad):
    """The loss matching, the custom loss and its gradient pass; the gradient is consistent with the loss for another under_weight."""
    assert passes("match_losses", loss_for_task)
    assert passes("asymmetric_loss", asymmetric_loss)
    assert passes("asymmetric_loss_grad", asymmetric_loss_grad)
    p = np.array([0.2, 0.9, -0.5])
    t = np.array([0.0, 1.0, 0.0])
    assert check_gradient(lambda v: asymmetric_loss(t, v, 7.0), lambda v: asymmetric_loss_grad(t, v, 7.0), p)
