"""Properties of every scale parser, on bytes hypothesis makes up:

* any bytes give frames that parse to a Weighing, a Reply or a BadFrame, never an exception;
* how the bytes are cut into reads does not change what is read;
* garbage before valid frames costs at most the first frame and never invents a weight;
* a frame hit by line noise (bytes with the high bit set) never gives a weight.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drivers.scales import PROTOCOL_NAMES, scale_protocol
from drivers.scales.base import BadFrame, Reply, Weighing
from tests.drivers.golden import TRANSCRIPTS

FAST = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def valid_weight_frames(name: str) -> list[bytes]:
    protocol = scale_protocol(name)
    frames = []
    for e in TRANSCRIPTS:
        if e.protocol == name and not e.options and e.means and e.means[0] == "weight":
            frames.append(e.response)
    assert all(isinstance(protocol.parse(f), Weighing) for f in frames)
    return frames


def read_all(name: str, data: bytes, cuts: list[int] = ()) -> list:
    protocol = scale_protocol(name)
    framer = protocol.make_framer()
    out, last = [], 0
    for cut in [*sorted(cuts), len(data)]:
        for chunk in framer.feed(data[last:cut]):
            if chunk.is_frame:
                out.append(protocol.parse(chunk.data))
        last = cut
    return out


def weights(parsed: list) -> list:
    return [(p.value, p.unit, p.status) for p in parsed if isinstance(p, Weighing)]


@pytest.mark.parametrize("name", PROTOCOL_NAMES)
@FAST
@given(data=st.binary(max_size=400))
def test_any_bytes_give_typed_results(name, data):
    for parsed in read_all(name, data):
        assert isinstance(parsed, (Weighing, Reply, BadFrame))
        if isinstance(parsed, BadFrame):
            assert parsed.reason
        if isinstance(parsed, Weighing):
            assert parsed.value is not None or not parsed.stable  # no weight is never stable
            assert parsed.raw in data


@pytest.mark.parametrize("name", PROTOCOL_NAMES)
@FAST
@given(data=st.data())
def test_chunking_does_not_change_the_readings(name, data):
    frames = valid_weight_frames(name)
    picked = data.draw(st.lists(st.sampled_from(frames), min_size=1, max_size=6))
    noise = data.draw(st.lists(st.binary(max_size=30), min_size=len(picked), max_size=len(picked)))
    stream = b"".join(n + f for n, f in zip(noise, picked, strict=True))
    cuts = data.draw(st.lists(st.integers(0, len(stream)), max_size=12))
    whole = read_all(name, stream)
    assert read_all(name, stream, cuts) == whole


@pytest.mark.parametrize("name", PROTOCOL_NAMES)
@FAST
@given(data=st.data())
def test_garbage_never_makes_a_weight(name, data):
    frames = valid_weight_frames(name)
    picked = data.draw(st.lists(st.sampled_from(frames), min_size=1, max_size=5))
    garbage = data.draw(st.binary(max_size=300))
    got = weights(read_all(name, garbage + b"".join(picked)))
    expected = weights([scale_protocol(name).parse(f) for f in picked])
    # power-on garbage may swallow the first frame, never add or change one
    assert got[-len(expected) :] == expected or got[-len(expected) + 1 :] == expected[1:]
    assert len(got) - len(expected) <= weights_in(name, garbage)


def weights_in(name: str, garbage: bytes) -> int:
    """Frames hidden in the garbage itself that are well-formed weights by chance."""
    return len(weights(read_all(name, garbage)))


@pytest.mark.parametrize("name", PROTOCOL_NAMES)
@FAST
@given(data=st.data())
def test_line_noise_inside_a_frame_gives_no_weight(name, data):
    frame = bytearray(data.draw(st.sampled_from(valid_weight_frames(name))))
    if name == "toledo-continuous":  # status words carry parity in bit 7: hit the digits
        at = data.draw(st.integers(4, len(frame) - 2))
    elif name == "cas" and frame[7] & 0x80:  # the 22-byte form's lamp byte has bit 7 set
        at = data.draw(st.integers(0, len(frame) - 1).filter(lambda i: i != 7))
    else:
        at = data.draw(st.integers(0, len(frame) - 1))
    frame[at] = data.draw(st.integers(0x80, 0xFF))
    assert weights(read_all(name, bytes(frame))) == []
