"""The shipped sounds are the ones the code makes, and they are told apart by pitch."""

from __future__ import annotations

import io
import wave

import numpy as np
import pytest

from api.screens.sounds import FOLDER, TUNES, render


@pytest.mark.parametrize("name", sorted(TUNES))
def test_shipped_wav_equals_the_generator(name):
    assert (FOLDER / f"{name}.wav").read_bytes() == render(name), (
        "run `python -m api.screens.sounds` after changing a tune"
    )


def _pitch(name: str) -> tuple[float, float]:
    with wave.open(io.BytesIO(render(name))) as wav:
        rate = wav.getframerate()
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(float)
    spectrum = np.abs(np.fft.rfft(samples))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[spectrum.argmax()]), len(samples) / rate


def test_pass_fail_and_review_differ_in_pitch_and_length():
    pitches = {name: _pitch(name) for name in TUNES}
    assert pitches["fail"][0] < 250 < pitches["review"][0] < pitches["pass"][0]
    assert pitches["fail"][1] > pitches["pass"][1]
    assert all(0.2 < length < 1.0 for _, length in pitches.values())
