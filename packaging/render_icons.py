"""Render resources/chinwag.svg to the PNG sizes each OS wants, with Qt (already a
dependency), at build time: no generated image is kept in the repository.

    python packaging/render_icons.py hicolor OUT   OUT/<N>x<N>/apps/chinwag.png (+ scalable)
    python packaging/render_icons.py ico OUT.ico   a Windows icon (256 px)
    python packaging/render_icons.py iconset OUT   a macOS .iconset folder (for iconutil)
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SVG = Path(__file__).resolve().parent.parent / "resources" / "chinwag.svg"
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICONSET = {16: "16x16", 32: "16x16@2x 32x32", 64: "32x32@2x", 128: "128x128",
           256: "128x128@2x 256x256", 512: "256x256@2x 512x512", 1024: "512x512@2x"}  # fmt: skip


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def save(image: QImage, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(path)):
        raise SystemExit(f"render_icons: could not write {path}")


def main(kind: str, out: Path) -> None:
    _app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: {SVG} is not a valid SVG")
    if kind == "hicolor":
        for size in HICOLOR_SIZES:
            save(render(renderer, size), out / f"{size}x{size}" / "apps" / "chinwag.png")
        (out / "scalable" / "apps").mkdir(parents=True, exist_ok=True)
        shutil.copy(SVG, out / "scalable" / "apps" / "chinwag.svg")
    elif kind == "ico":
        save(render(renderer, 256), out)
    elif kind == "iconset":
        for size, names in ICONSET.items():
            for name in names.split():
                save(render(renderer, size), out / f"icon_{name}.png")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], Path(sys.argv[2]))
