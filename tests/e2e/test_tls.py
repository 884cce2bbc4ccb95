"""Mutual TLS end to end (issue 9): the scheduler serves HTTPS and demands a client
certificate from its CA; an agent and the CLI present one, and a job reaches RUNNING. A
client without a certificate, or one that does not trust the CA, gets no answer."""
import http.client
import ssl
import urllib.error

import pytest

from cluster import Cluster
from cluster import http as request


@pytest.fixture
def tls_cluster():
    c = Cluster(tls=True)
    yield c
    c.cleanup()


def test_agents_and_the_cli_work_over_mutual_tls_and_others_are_refused(tls_cluster):
    c = tls_cluster
    assert c.url.startswith("https://")
    c.start_scheduler()
    c.add_agent("host", (28600, 28649))
    job = c.job("tls", "sleep 600", instances=2)
    c.cli("job", "create", c.key("tls"), c.write_job("tls", job), "--wait-until", "RUNNING",
          timeout=60)
    assert len(c.running("tls", 2)) == 2
    assert "tls" in c.cli("job", "list", c.cluster).stdout

    # Trusting the CA but presenting no certificate: the handshake fails.
    no_cert = ssl.create_default_context(cafile=c.pki["ca"])
    with pytest.raises((ssl.SSLError, urllib.error.URLError, ConnectionError)):
        request("GET", c.url + "/api/v1/jobs", context=no_cert)
    # Not trusting the scheduler's CA: the client refuses the server.
    with pytest.raises((ssl.SSLError, urllib.error.URLError)):
        request("GET", c.url + "/api/v1/jobs", context=ssl.create_default_context())
    # Plain HTTP on the TLS port gets no HTTP answer.
    with pytest.raises((urllib.error.URLError, OSError, http.client.HTTPException)):
        request("GET", c.url.replace("https://", "http://") + "/api/v1/jobs", timeout=5)
