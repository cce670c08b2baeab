"""Model loading and the settings the models run with (nlp/models.py)."""

import gc

import pytest
from threadpoolctl import threadpool_info

from letopis.nlp.models import FULL_COLLECTION_AFTER, collect_cycles_less_often, one_blas_thread


def test_the_tagger_runs_blas_on_one_thread() -> None:
    with one_blas_thread():
        assert {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"} <= {1}


@pytest.fixture
def collector_thresholds():
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)


@pytest.mark.usefixtures("collector_thresholds")
def test_full_collections_are_made_rarer() -> None:
    gc.set_threshold(700, 10, 10)
    collect_cycles_less_often()
    assert gc.get_threshold() == (700, 10, FULL_COLLECTION_AFTER)


@pytest.mark.usefixtures("collector_thresholds")
def test_a_rarer_setting_of_the_application_is_kept() -> None:
    gc.set_threshold(700, 10, 5000)
    collect_cycles_less_often()
    assert gc.get_threshold() == (700, 10, 5000)
