"""lessons_lib: the shared library of *Loss Functions, Hands-On*.

Modules (each has one job; read them in this order):
    losses        the losses and their gradients as the lessons write them (lessons 02-05)
    activations   stable sigmoid / softmax / log-softmax (lessons 04, 05)
    gradcheck     finite-difference gradient checking (lessons 02, 05-09)
    landscape     loss curves and surfaces of y = w x + b, gradient descent on them (lessons 06, 08)
    nn            a small Keras-like network: Dense, Sequential, fit (lesson 07)
    optimizers    SGD (with momentum) and Adam, with PyTorch's update rules (lesson 07)
    metrics       accuracy, MAE, ... read while a model trains (lesson 07)
    datasets      small seeded data sets and the iris split (lessons 07, 08)
    demos         the small training experiments lesson 07 plots
    figures       every course figure (package: style, curves, landscapes, models, scenes)
    widgets       sliders with a static fallback (lessons 01, 06)
    checks        the exercise checks, hints and misconception catalogue (package)
    authoring     solutions -> exercises, notebook execution (course tooling)
    grade         the batch grader; grade_worker runs one submission in a resource-limited process
Private helpers: _validate (input checks with clear messages), _kernels (the fast path behind
``Loss.value_and_grad``), _nn_validate (the network's input checks).
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
