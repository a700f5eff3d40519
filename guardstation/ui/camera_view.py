"""The live feed, scaled to fit, with the codes found in the current frame outlined."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget


class CameraView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(480, 270)
        self.image: QImage | None = None
        self.outlines: list[tuple[tuple[int, int], ...]] = []
        self.message = ""

    def show_frame(self, image: QImage, outlines: list) -> None:
        self.image = image
        self.outlines = outlines
        self.message = ""
        self.update()

    def show_message(self, message: str) -> None:
        self.image = None
        self.outlines = []
        self.message = message
        self.update()

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#263238"))
        if self.image is None:
            painter.setPen(QColor("#eceff1"))
            font = painter.font()
            font.setPointSize(18)
            painter.setFont(font)
            painter.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.message or self.tr("Starting camera…"),
            )
            return
        scale = min(self.width() / self.image.width(), self.height() / self.image.height())
        w, h = self.image.width() * scale, self.image.height() * scale
        x0, y0 = (self.width() - w) / 2, (self.height() - h) / 2
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(QRectF(x0, y0, w, h), self.image)
        painter.setPen(QPen(QColor("#00e676"), 4))
        for corners in self.outlines:
            polygon = QPolygonF([QPointF(x0 + x * scale, y0 + y * scale) for x, y in corners])
            painter.drawPolygon(polygon)
