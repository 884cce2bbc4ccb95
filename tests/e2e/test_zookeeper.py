"""The e2e ZooKeeper helper: a real server that a third-party client (kazoo) uses, whose
ephemeral nodes go with their session, and that comes back with its data on restart."""
import pytest
from kazoo.client import KazooClient

from zookeeper import start_zookeeper


@pytest.fixture
def zk():
    server = start_zookeeper()
    print(f"ZooKeeper started in {server.start_seconds:.2f}s")
    yield server
    server.cleanup()


def client(zk):
    c = KazooClient(hosts=zk.connect_string, timeout=4.0)
    c.start(timeout=10)
    return c


def test_members_are_ephemeral_sequential_and_survive_a_restart(zk):
    owner, reader = client(zk), client(zk)
    try:
        owner.ensure_path("/aurora/www-data/prod/hello")
        member = owner.create("/aurora/www-data/prod/hello/member_", b'{"status": "ALIVE"}',
                              ephemeral=True, sequence=True)
        assert member == "/aurora/www-data/prod/hello/member_0000000000"
        assert reader.get_children("/aurora/www-data/prod/hello") == ["member_0000000000"]
        owner.stop()
        owner.close()
        assert reader.get_children("/aurora/www-data/prod/hello") == []
    finally:
        reader.stop()
        reader.close()

    zk.restart()
    after = client(zk)
    try:
        assert after.exists("/aurora/www-data/prod/hello") is not None
    finally:
        after.stop()
        after.close()
