from __future__ import annotations

from gateway.kit.ids import is_valid_id, new_id


def test_ids_in_a_burst_are_strictly_increasing() -> None:
    ids = [new_id("evt") for _ in range(10_000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert all(is_valid_id(i, "evt") for i in ids[:10])
    assert not is_valid_id(ids[0], "ses")
    assert not is_valid_id("evt_123", "evt")
