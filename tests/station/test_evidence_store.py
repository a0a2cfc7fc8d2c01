import hashlib

import pytest

from station.errors import NotFound
from station.evidence import EvidenceStore


def test_put_is_content_addressed_and_idempotent(tmp_path):
    store = EvidenceStore(tmp_path)
    first = store.put(b"photo bytes")
    again = store.put(b"photo bytes")
    assert first.sha256 == again.sha256 == hashlib.sha256(b"photo bytes").hexdigest()
    assert store.read(first.sha256) == b"photo bytes" and store.has(first.sha256)
    assert not list(tmp_path.rglob(".incoming-*")), "no temporary files are left behind"


def test_missing_and_malformed_names(tmp_path):
    store = EvidenceStore(tmp_path)
    with pytest.raises(NotFound, match="is not in"):
        store.read("0" * 64)
    with pytest.raises(ValueError, match="not a SHA-256"):
        store.path_for("../../etc/passwd")
