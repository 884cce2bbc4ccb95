import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from cluster import Cluster  # noqa: E402


@pytest.fixture
def cluster(request):
    c = Cluster()
    yield c
    if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
        for p in [c.scheduler, *c.agents.values()]:
            if p is not None:
                print(f"----- {p.name} log -----\n{p.log()[-6000:]}")
    c.cleanup()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)
