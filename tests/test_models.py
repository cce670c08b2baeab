"""Model loading and the settings the models run with (nlp/models.py)."""

from threadpoolctl import threadpool_info

from letopis.nlp.models import one_blas_thread


def test_the_tagger_runs_blas_on_one_thread() -> None:
    with one_blas_thread():
        assert {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"} <= {1}
