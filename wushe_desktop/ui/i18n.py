"""Chinese on screen: the bundled CJK font and the zh_CN translations.

Source strings in ``ui/`` are English (STYLE.md §11); the Chinese lives in
``resources/i18n/wushe_zh_CN.ts`` and its compiled ``wushe_zh_CN.qm``, loaded together with
Qt's own ``qtbase_zh_CN.qm`` so Qt's buttons and dialogs speak Chinese too. The bundled
WenQuanYi Micro Hei is registered with Qt so a PC without a Chinese font still shows
Chinese (DESIGN.md §7).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase

from wushe_desktop.paths import resource_path

# Base name of the application's own translation catalogue (``.ts`` and ``.qm``).
CATALOGUE = "wushe_zh_CN"
# Qt's own catalogue for its standard buttons and dialogs.
QT_CATALOGUE = "qtbase_zh_CN"
FONT_FILE = ("fonts", "wqy-microhei.ttc")
FONT_POINT_SIZE = 10
CHINA = QLocale(QLocale.Language.Chinese, QLocale.Script.SimplifiedChineseScript, QLocale.Country.China)


def translations_dir() -> Path:
    """The folder holding the ``.ts`` sources and compiled ``.qm`` catalogues."""
    return resource_path("i18n")


def qt_translations_dir() -> Path:
    """Where the Qt wheel keeps its own ``.qm`` catalogues."""
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def install_translations(app: QCoreApplication) -> list[QTranslator]:
    """Load Qt's and the application's Chinese catalogues into ``app``.

    The translators are parented to ``app`` so they live as long as it does.

    Args:
        app: The running application.

    Returns:
        The translators that loaded (a missing catalogue is skipped, not fatal: the
        window then shows the English source text rather than nothing).
    """
    QLocale.setDefault(CHINA)
    installed: list[QTranslator] = []
    for folder, name in ((qt_translations_dir(), QT_CATALOGUE), (translations_dir(), CATALOGUE)):
        translator = QTranslator(app)
        if translator.load(name, str(folder)):
            app.installTranslator(translator)
            installed.append(translator)
    return installed


def install_font(app: QCoreApplication) -> str | None:
    """Register the bundled CJK font and make it the application font.

    Args:
        app: The running application (a ``QApplication`` or ``QGuiApplication``).

    Returns:
        The font family now in use, or ``None`` if the font file could not be loaded.
    """
    font_id = QFontDatabase.addApplicationFont(str(resource_path(*FONT_FILE)))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        return None
    font = QFont(families[0], FONT_POINT_SIZE)
    app.setFont(font)  # type: ignore[attr-defined]
    return families[0]
