"""Writes the verdict sounds (16-bit mono WAV). Run once; the WAVs are committed.

Each outcome has its own shape, so a guard who looks away still knows it:
green = rising two-note chime, yellow = two equal mid beeps, red = low buzz,
black = urgent triple alarm, full = falling three notes, out = one soft note.
"""

import math
import struct
import wave
from pathlib import Path

RATE = 22050


def tone(freq, seconds, volume=0.5, shape="sine"):
    n = int(RATE * seconds)
    out = []
    for i in range(n):
        t = i / RATE
        env = min(1.0, i / (0.01 * RATE), (n - i) / (0.02 * RATE))  # click-free edges
        if shape == "square":
            v = 1.0 if math.sin(2 * math.pi * freq * t) >= 0 else -1.0
            v *= 0.6
        else:
            v = math.sin(2 * math.pi * freq * t)
        out.append(v * volume * env)
    return out


def silence(seconds):
    return [0.0] * int(RATE * seconds)


CUES = {
    "green": tone(880, 0.12) + tone(1320, 0.22),
    "yellow": tone(660, 0.15) + silence(0.08) + tone(660, 0.15),
    "red": tone(180, 0.45, 0.6, "square"),
    "black": (tone(1000, 0.12, 0.7, "square") + silence(0.05)) * 3,
    "full": tone(880, 0.12) + tone(660, 0.12) + tone(440, 0.25),
    "out": tone(990, 0.15, 0.35),
}


def main():
    here = Path(__file__).parent
    for name, samples in CUES.items():
        with wave.open(str(here / f"{name}.wav"), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(RATE)
            w.writeframes(b"".join(struct.pack("<h", int(max(-1, min(1, s)) * 32767)) for s in samples))


if __name__ == "__main__":
    main()
