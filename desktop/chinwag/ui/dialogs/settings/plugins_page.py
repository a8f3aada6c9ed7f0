"""Settings > Plugins: each plugin with its version, status, what it registers and its
error; unticking one disables it from the next start."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from chinwag.app import Services
from chinwag.core.system.settings import DEFAULTS, Changes, disabled_plugins_after, edits


class PluginsPage(QWidget):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(self.tr("Plugins"))
        self.tree.setHeaderLabels(
            [self.tr("Plugin"), self.tr("Version"), self.tr("Status"), self.tr("Registers")]
        )
        disabled = set(services.settings.disabled_plugins)
        for record in services.plugins.records:
            registers = ", ".join(
                [f"provider {p}" for p in record.providers]
                + [f"backend {b}" for b in record.backends]
                + [f"summarizer {s}" for s in record.summarizers]
            )
            status = record.status
            if record.name in disabled:
                status = self.tr("disabled")
            item = QTreeWidgetItem([record.name, record.version, status, registers])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                0, Qt.CheckState.Unchecked if record.name in disabled else Qt.CheckState.Checked
            )
            item.setToolTip(0, self.tr("Untick to disable this plugin (after a restart)"))
            if record.error:
                item.setForeground(2, Qt.GlobalColor.red)
                error = QTreeWidgetItem([self.tr("Error"), "", "", record.error.strip()])
                error.setToolTip(3, record.error)
                item.addChild(error)
                item.setExpanded(True)
            for warning in [*record.warnings, *filter(None, [record.models_error])]:
                line = QTreeWidgetItem([self.tr("Warning"), "", "", warning])
                line.setToolTip(3, warning)
                item.addChild(line)
                item.setExpanded(True)
            self.tree.addTopLevelItem(item)
        for column in range(3):
            self.tree.resizeColumnToContents(column)
        layout = QVBoxLayout(self)
        # Not about one plugin: names in the selection that match none, hidden copies.
        self.warnings = QLabel("\n".join(services.plugins.warnings))
        self.warnings.setWordWrap(True)
        self.warnings.setVisible(bool(services.plugins.warnings))
        layout.addWidget(self.warnings)
        layout.addWidget(self.tree)
        note = QLabel(self.tr("Changes to enabled plugins take effect after a restart."))
        layout.addWidget(note)
        self.shown = self.unticked()

    def items(self) -> list[QTreeWidgetItem]:
        found = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item for item in found if item is not None]

    def unticked(self) -> list[str]:
        return [
            item.text(0) for item in self.items() if item.checkState(0) != Qt.CheckState.Checked
        ]

    def changes(self) -> Changes:
        unticked = self.unticked()
        if unticked == self.shown:
            return {}
        shown = [item.text(0) for item in self.items()]
        after = disabled_plugins_after(self.services.settings.disabled_plugins, shown, unticked)
        return edits((), {"disabled_plugins": after}, DEFAULTS)

    def saved(self) -> bool:
        self.shown = self.unticked()
        return True
