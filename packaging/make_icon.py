"""Draw the application icon (resources/icons/wushe-desktop.png and .ico) with the bundled font.

Run once after changing the design: ``QT_QPA_PLATFORM=offscreen python packaging/make_icon.py``.
The icon is five linked dots (the five societies) around the character 社 on a blue tile.
"""

from __future__ import annotations

import math
import sys

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen

from wushe_desktop.paths import resource_path
from wushe_desktop.ui.i18n import install_font


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#1f4e79"))
    margin = size * 0.04
    p.drawRoundedRect(QRectF(margin, margin, size - 2 * margin, size - 2 * margin), size * 0.18, size * 0.18)
    centre = QPointF(size / 2, size / 2)
    radius = size * 0.33
    dots = [QPointF(centre.x() + radius * math.sin(2 * math.pi * i / 5),
                    centre.y() - radius * math.cos(2 * math.pi * i / 5)) for i in range(5)]
    p.setPen(QPen(QColor("#9cc3e6"), max(1.0, size * 0.025)))
    for i in range(5):
        p.drawLine(dots[i], dots[(i + 1) % 5])
    p.setPen(Qt.PenStyle.NoPen)
    for i, dot in enumerate(dots):
        p.setBrush(QColor(["#f4b942", "#e06c5a", "#6cc08b", "#5aa9e6", "#c58be0"][i]))
        p.drawEllipse(dot, size * 0.075, size * 0.075)
    font = QFont("WenQuanYi Micro Hei")
    font.setPixelSize(int(size * 0.36))
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("white"))
    p.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, "社")
    p.end()
    return image


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    install_font(app)
    folder = resource_path("icons")
    folder.mkdir(exist_ok=True)
    draw(256).save(str(folder / "wushe-desktop.png"))
    draw(256).save(str(folder / "wushe-desktop.ico"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
