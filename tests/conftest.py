"""Shared fixtures."""
import pytest


@pytest.fixture
def one_thread():
    """Tiny nets gain nothing from threads, and on a loaded 2-core machine spinning threads cost 5-10x."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
