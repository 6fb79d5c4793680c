"""lessons_lib: the shared library of *Loss Functions, Hands-On*.

Modules (each has one job):
    losses      reference losses and their gradients (lessons 02-05)
    activations stable sigmoid / softmax / log-softmax (lessons 04-05)
    gradcheck   finite-difference gradient checking (lessons 06-08)
"""
from .activations import log_softmax, sigmoid, softmax
from .gradcheck import check_gradient, numerical_gradient
from .losses import (
    LOSS_NAMES,
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    categorical_cross_entropy,
    categorical_cross_entropy_grad,
    get_loss,
    huber,
    huber_grad,
    mae,
    mae_grad,
    mse,
    mse_grad,
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
)

__version__ = "1.0.0"
