"""Hidden tests of 09_quiz_and_review (instructor only: never in the student release or the sandbox)."""
from lessons_lib.grade.hidden import hidden_test, passes


@hidden_test("review_concepts", after="09-quiz-and-review-18", points=3)
def review_concepts(zero_loss, outlier_fit, mse_ratio, binary_loss, purpose_in_my_words):
    """The conceptual answers are right (the free text is only required to be present)."""
    for qid, value in [("review_zero_loss", zero_loss), ("review_outlier_fit", outlier_fit),
                       ("review_mse_big_errors", mse_ratio), ("review_binary_loss", binary_loss),
                       ("review_purpose", purpose_in_my_words)]:
        assert passes(qid, value), qid


@hidden_test("review_harder", after="09-quiz-and-review-31", points=4)
def review_harder(bce_of_half, best_constants, softmax_ce_grad, clamped_loss):
    """The four harder questions are right."""
    for qid, value in [("review_bce_half", bce_of_half), ("review_constant_fit", best_constants),
                       ("review_softmax_grad", softmax_ce_grad), ("review_clamp", clamped_loss)]:
        assert passes(qid, value), qid
