"""The start-up hardware check in words: a bar above the feed, amber for warnings, red for refusals."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from guardstation.health.hardware_check import OK, REFUSE, Finding
from guardstation.ui.qt_helpers import label

WARN_STYLE = "background: #fff3e0; color: #e65100; border: 1px solid #ffb74d;"
REFUSE_STYLE = "background: #ffebee; color: #b71c1c; border: 1px solid #e57373;"


def _time(value) -> str:
    return value.astimezone().strftime("%d-%m-%Y %H:%M") if value is not None else "?"


class NoticeBar(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("hardwareNotices")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.texts: list[str] = []
        self.hide()

    def text_for(self, finding: Finding) -> str | None:
        p = finding.params
        texts = {
            "camera_none": lambda: self.tr("No camera chosen: codes cannot be scanned. Manual entry still works."),
            "camera_missing": lambda: self.tr(
                "Camera %1 not found. Check its cable, or choose another camera in the setup. Manual entry still works."
            ).replace("%1", str(p.get("index"))),
            "camera_file_missing": lambda: self.tr("Camera source not found: %1").replace("%1", str(p.get("source"))),
            "disk_low": lambda: self.tr(
                "Low disk space: %1 MB free. Free some space soon: below 100 MB no new scans can be taken."
            ).replace("%1", str(p.get("free_mb"))),
            "disk_critical": lambda: self.tr(
                "Disk almost full: %1 MB free. New scans are refused until space is freed."
            ).replace("%1", str(p.get("free_mb"))),
            "clock_unset": lambda: self.tr(
                "The computer's clock shows %1, which cannot be right. Set the date and time before scanning."
            ).replace("%1", _time(p.get("now"))),
            "clock_behind": lambda: (
                self.tr(
                    "The computer's clock (%1) is behind the last recorded scan (%2). "
                    "Check the date and time: visit times would be wrong."
                )
                .replace("%1", _time(p.get("now")))
                .replace("%2", _time(p.get("last")))
            ),
            "settings_damaged_last_good": lambda: self.tr(
                "The settings file was damaged: the last good settings are in use. Ask the supervisor to check "
                "the settings. The damaged file was kept as %1"
            ).replace("%1", str(p.get("file"))),
            "settings_fields_reset": lambda: (
                self.tr(
                    "Some settings were not valid and were reset (%1): the last good value or the default is in use. "
                    "Ask the supervisor to check the settings. The file as it was is kept as %2"
                )
                .replace("%1", str(p.get("fields")))
                .replace("%2", str(p.get("file")))
            ),
            "settings_damaged_defaults": lambda: self.tr(
                "The settings file was damaged and no good copy was found: default settings are in use. Ask the "
                "supervisor to check the settings. The damaged file was kept as %1"
            ).replace("%1", str(p.get("file"))),
        }
        make = texts.get(finding.code)
        return make() if make else None

    def show_findings(self, findings: list[Finding]) -> list[str]:
        for finding in findings:
            if finding.level == OK:
                continue
            text = self.text_for(finding)
            if not text:
                continue
            notice = label("⚠ " + text, wrap=True)
            notice.setStyleSheet(
                (REFUSE_STYLE if finding.level == REFUSE else WARN_STYLE)
                + " padding: 6px 10px; font-size: 15px; font-weight: 600; border-radius: 4px;"
            )
            self._layout.addWidget(notice)
            self.texts.append(text)
        self.setVisible(bool(self.texts))
        return self.texts
