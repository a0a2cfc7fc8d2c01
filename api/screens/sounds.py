"""The bench's three sounds, made by code (no recordings, nothing downloaded):
pass = two rising notes, fail = a low rough buzz, review = two equal middle notes.
Different in pitch and rhythm, so they are told apart in a noisy hall.

    python -m api.screens.sounds      # rewrites api/static/sounds/*.wav
"""

from __future__ import annotations

import io
import math
import wave
from pathlib import Path

RATE = 22050
FOLDER = Path(__file__).resolve().parents[1] / "static" / "sounds"
# name -> notes of (frequency Hz, seconds, harmonics weight); 0 Hz is a rest
TUNES: dict[str, list[tuple[float, float, float]]] = {
    "pass": [(880.0, 0.12, 0.0), (0.0, 0.03, 0.0), (1318.5, 0.22, 0.0)],
    "fail": [(196.0, 0.55, 0.6)],
    "review": [(660.0, 0.16, 0.2), (0.0, 0.10, 0.0), (660.0, 0.16, 0.2)],
}


def _note(frequency: float, seconds: float, rough: float) -> list[float]:
    count = int(RATE * seconds)
    fade = int(RATE * 0.01)
    samples = []
    for i in range(count):
        if frequency == 0:
            samples.append(0.0)
            continue
        t = i / RATE
        value = math.sin(2 * math.pi * frequency * t)
        # Odd harmonics make the fail tone harsh, like a buzzer.
        value += rough * (math.sin(6 * math.pi * frequency * t) / 3)
        value += rough * (math.sin(10 * math.pi * frequency * t) / 5)
        envelope = min(1.0, i / fade, (count - i) / fade)
        samples.append(value * envelope / (1 + rough * 0.53))
    return samples


def render(name: str) -> bytes:
    """The WAV file (16-bit mono PCM) of one sound."""
    samples = [s for note in TUNES[name] for s in _note(*note)]
    frames = b"".join(
        int(max(-1.0, min(1.0, s)) * 0.7 * 32767).to_bytes(2, "little", signed=True)
        for s in samples
    )
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(frames)
    return out.getvalue()


def write_all(folder: Path = FOLDER) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in TUNES:
        path = folder / f"{name}.wav"
        path.write_bytes(render(name))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_all():
        print(path)
