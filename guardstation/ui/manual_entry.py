"""Manual entry for people without a phone: NIK, name, purpose, host.

The NIK is checked as it is typed and the message says which part is wrong
(length, digits, region, date), so the guard can ask the right question.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QPushButton

from guardstation.domain.nik import NIK_LENGTH, check_nik, clean_nik
from guardstation.station.checkpoint import ManualEntry
from guardstation.ui.qt_helpers import label, line_edit


class ManualEntryPanel(QGroupBox):
    submitted = Signal(object)  # ManualEntry

    def __init__(self, lang: str, parent=None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Manual entry (no phone)"))
        self.lang = lang
        self.nik = line_edit(self.tr("16-digit NIK from the ID card"), max_length=24)
        self.nik_status = label(wrap=True)
        self.nik_status.setObjectName("nikStatus")
        self.name = line_edit(self.tr("Full name as on the ID card"))
        self.purpose = line_edit(self.tr("e.g. meeting, KTP service"))
        self.host = line_edit(self.tr("person or office visited"))
        self.submit = QPushButton(self.tr("Record entry"))
        self.submit.setEnabled(False)
        form = QFormLayout(self)
        form.addRow(self.tr("NIK"), self.nik)
        form.addRow("", self.nik_status)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Purpose"), self.purpose)
        form.addRow(self.tr("Host"), self.host)
        form.addRow(self.submit)
        self.nik.textChanged.connect(self._validate)
        self.name.textChanged.connect(self._validate)
        self.submit.clicked.connect(self._submit)
        self.host.returnPressed.connect(self._submit)

    def _validate(self) -> bool:
        digits = clean_nik(self.nik.text())
        if not digits:
            self.nik_status.setText("")
            ok = False
        elif len(digits) < NIK_LENGTH and digits.isdigit():
            self.nik_status.setText(self.tr("%n more digit(s)", "", NIK_LENGTH - len(digits)))
            self.nik_status.setStyleSheet("color: #546e7a;")
            ok = False
        else:
            check = check_nik(digits, today=date.today())
            ok = check.ok
            if ok:
                sex = self.tr("female") if check.female else self.tr("male")
                self.nik_status.setText(f"✓ {check.region} · {check.birth_date:%d-%m-%Y} · {sex}")
                self.nik_status.setStyleSheet("color: #2e7d32;")
            else:
                self.nik_status.setText("✗ " + check.message(self.lang))
                self.nik_status.setStyleSheet("color: #c62828; font-weight: 600;")
        ready = ok and bool(self.name.text().strip())
        self.submit.setEnabled(ready)
        return ready

    def _submit(self) -> None:
        if not self._validate():
            return
        self.submitted.emit(ManualEntry(self.nik.text(), self.name.text(), self.purpose.text(), self.host.text()))

    def clear(self) -> None:
        for field in (self.nik, self.name, self.purpose, self.host):
            field.clear()
        self.nik.setFocus()
