"""ImageFolderSource plays pictures as a camera, deterministically; open_source picks the right source."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from guardstation.scanner import CameraUnavailable, ImageFolderSource, VideoFileSource, WebcamSource, open_source
from guardstation.scanner.sources import BLANK_GREY

CANVAS_SHAPE = (720, 1280, 3)


def _solid(folder: Path, name: str, colour: tuple[int, int, int], size=(200, 300)) -> Path:
    path = folder / name
    assert cv2.imwrite(str(path), np.full((size[0], size[1], 3), colour, np.uint8))
    return path


def _label(frame: np.ndarray) -> str:
    """Which picture a frame shows, by the colour at its centre."""
    if np.all(frame == BLANK_GREY):
        return "-"
    return "BGR"[int(np.argmax(frame[360, 640]))]  # argmax: JPEG is lossy


def _play(source: ImageFolderSource, frames: int) -> str:
    source.open()
    try:
        labels = []
        for _ in range(frames):
            frame = source.read()
            if frame is None:
                labels.append(".")
            else:
                assert frame.shape == CANVAS_SHAPE and frame.dtype == np.uint8
                labels.append(_label(frame))
        return "".join(labels)
    finally:
        source.close()


def test_images_play_sorted_by_name_with_gaps(tmp_path):
    _solid(tmp_path, "b.png", (0, 255, 0))
    _solid(tmp_path, "a.jpg", (255, 0, 0))
    _solid(tmp_path, "c.bmp", (0, 0, 255))
    (tmp_path / "notes.txt").write_text("not an image")
    source = ImageFolderSource(tmp_path, seconds_per_image=0.3, gap_seconds=0.2, fps=10.0, loop=False)
    # 3 frames held + 2 blank per image, then the end.
    assert _play(source, 17) == "BBB--GGG--RRR--.."


def test_loop_restarts_and_frame_counts_do_not_depend_on_pacing(tmp_path):
    _solid(tmp_path, "a.png", (255, 0, 0))
    unpaced = ImageFolderSource(tmp_path, seconds_per_image=0.2, gap_seconds=0.1, fps=0)
    assert _play(unpaced, 7) == "BB-BB-B"  # fps=0 counts frames at the nominal 10 fps
    paced = ImageFolderSource(tmp_path, seconds_per_image=0.2, gap_seconds=0.1, fps=20)
    assert _play(paced, 8) == "BBBB--BB"


def test_default_timing(tmp_path):
    _solid(tmp_path, "a.png", (255, 0, 0))
    source = ImageFolderSource(tmp_path)
    assert (source.hold_frames, source.gap_frames, source.fps) == (15, 6, 10.0)


def test_frames_are_letterboxed_onto_one_canvas(tmp_path):
    _solid(tmp_path, "wide.png", (255, 0, 0), size=(1000, 4000))  # larger than the canvas: shrunk
    _solid(tmp_path, "zsmall.png", (0, 0, 255), size=(50, 80))  # smaller: centred, not enlarged
    source = ImageFolderSource(tmp_path, seconds_per_image=0.1, gap_seconds=0, fps=10)
    source.open()
    wide, small = source.read(), source.read()
    source.close()
    assert wide.shape == small.shape == CANVAS_SHAPE
    blue_rows = np.where(np.all(wide == (255, 0, 0), axis=2).any(axis=1))[0]
    assert len(blue_rows) == 320 and blue_rows[0] == 200  # 4000x1000 scaled by 0.32, centred
    red = np.argwhere(np.all(small == (0, 0, 255), axis=2))
    assert red.min(axis=0).tolist() == [335, 600] and red.max(axis=0).tolist() == [384, 679]


def test_frames_are_copies(tmp_path):
    _solid(tmp_path, "a.png", (255, 0, 0))
    source = ImageFolderSource(tmp_path, fps=10)
    source.open()
    first = source.read()
    first[:] = 0  # the UI may draw on frames
    assert _label(source.read()) == "B"


def test_unreadable_file_is_skipped_with_a_warning(tmp_path, caplog):
    _solid(tmp_path, "a.png", (255, 0, 0))
    (tmp_path / "b.png").write_bytes(b"\x89PNG\r\n\x1a\n truncated")
    (tmp_path / "c.jpg").write_bytes(b"")
    _solid(tmp_path, "d.png", (0, 255, 0))
    source = ImageFolderSource(tmp_path, seconds_per_image=0.1, gap_seconds=0.1, fps=10, loop=False)
    assert _play(source, 5) == "B-G-."
    assert [p.name for p in source.images] == ["a.png", "d.png"]
    warned = " ".join(r.getMessage() for r in caplog.records)
    assert "b.png" in warned and "c.jpg" in warned


def test_single_image_file_is_a_folder_of_one(tmp_path):
    path = _solid(tmp_path, "only.png", (0, 0, 255))
    _solid(tmp_path, "other.png", (255, 0, 0))
    source = open_source(str(path), seconds_per_image=0.1, gap_seconds=0.1, loop=False)
    assert isinstance(source, ImageFolderSource)
    assert _play(source, 3) == "R-."


def test_transparent_png_is_composited_on_white(tmp_path):
    rgba = np.zeros((40, 40, 4), np.uint8)  # fully transparent black
    assert cv2.imwrite(str(tmp_path / "t.png"), rgba)
    source = ImageFolderSource(tmp_path)
    source.open()
    assert np.all(source.read()[360, 640] == 255)


def test_empty_folder_is_unavailable(tmp_path):
    (tmp_path / "readme.txt").write_text("no pictures here")
    with pytest.raises(CameraUnavailable, match="No readable images"):
        ImageFolderSource(tmp_path).open()


def test_folder_of_only_unreadable_images_is_unavailable(tmp_path):
    (tmp_path / "broken.png").write_bytes(b"nope")
    with pytest.raises(CameraUnavailable):
        ImageFolderSource(tmp_path).open()


def test_missing_path_is_unavailable(tmp_path):
    with pytest.raises(CameraUnavailable, match="not found"):
        open_source(str(tmp_path / "nowhere"))
    with pytest.raises(CameraUnavailable, match="not found"):
        ImageFolderSource(tmp_path / "nowhere").open()


def test_read_before_open_returns_none(tmp_path):
    _solid(tmp_path, "a.png", (255, 0, 0))
    assert ImageFolderSource(tmp_path).read() is None


def test_open_source_picks_the_source_type(tmp_path):
    assert isinstance(open_source(0), WebcamSource)
    webcam = open_source(" 2 ")
    assert isinstance(webcam, WebcamSource) and webcam.index == 2
    assert isinstance(open_source(str(tmp_path)), ImageFolderSource)
    video = tmp_path / "clip.avi"
    video.write_bytes(b"")
    assert isinstance(open_source(str(video)), VideoFileSource)


def test_video_file_source_loops(tmp_path):
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 5.0, (64, 48))
    assert writer.isOpened(), "OpenCV in this venv cannot write MJPG"
    for value in (0, 255, 0):
        writer.write(np.full((48, 64, 3), value, np.uint8))
    writer.release()

    source = VideoFileSource(path)
    source.open()
    assert source.fps == pytest.approx(5.0)
    frames = [source.read() for _ in range(7)]
    source.close()
    assert all(f is not None and f.shape == (48, 64, 3) for f in frames)
    assert [int(f.mean() > 128) for f in frames] == [0, 1, 0, 0, 1, 0, 0]

    once = VideoFileSource(path, loop=False)
    once.open()
    assert [once.read() is None for _ in range(4)] == [False, False, False, True]
    once.close()


def test_unopenable_video_is_unavailable(tmp_path):
    path = tmp_path / "garbage.mp4"
    path.write_bytes(b"this is not a video")
    with pytest.raises(CameraUnavailable):
        VideoFileSource(path).open()
