"""A form rendered from a pydantic model's fields, so plugins need no Qt code.

Booleans become check boxes, Literal choices combo boxes, everything else a line edit
whose text pydantic validates; an empty optional field means "not set". Secret fields
are never rendered here: keys have their own field that writes only to the keyring.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Collection, Mapping
from typing import Any, Literal

from pydantic import BaseModel, SecretStr, ValidationError
from pydantic.fields import FieldInfo
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

EditorWidget = QCheckBox | QComboBox | QLineEdit


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The type inside Optional[...], and whether None is allowed."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        return (args[0] if len(args) == 1 else annotation), optional
    return annotation, False


def renderable(info: FieldInfo) -> bool:
    inner, _ = _unwrap(info.annotation)
    if inner is SecretStr:
        return False
    origin = typing.get_origin(inner)
    return origin is Literal or inner in (bool, int, float, str)


_ACRONYMS = {"url": "URL", "api": "API", "id": "ID", "aws": "AWS", "ms": "ms", "num": "number of"}


def label_for(name: str) -> str:
    words = name.split("_")
    words = [_ACRONYMS.get(w, w) for w in words]
    first = words[0] if words[0].isupper() else words[0].capitalize()
    return " ".join([first, *words[1:]])


class SchemaForm(QWidget):
    """`required` fields are marked; `placeholders` say what an empty field means when the
    default alone would not (a provider's own address); `describe` shows each field's
    description under it, not only as a tooltip (a mapping rewords some of them)."""

    def __init__(
        self,
        model: type[BaseModel],
        values: dict[str, Any] | None = None,
        fields: list[str] | None = None,
        exclude: Collection[str] = (),
        parent: QWidget | None = None,
        required: Collection[str] = (),
        placeholders: Mapping[str, str] | None = None,
        describe: bool | Mapping[str, str] = False,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.editors: dict[str, EditorWidget] = {}
        self.problems: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        self.error = _error_label()
        layout = QFormLayout(self)
        values = values or {}
        names = fields if fields is not None else list(model.model_fields)
        for name in names:
            info = model.model_fields.get(name)
            if info is None or name in exclude or not renderable(info):
                continue
            editor = self._editor(info, values.get(name, info.default))
            label = QLabel(label_for(name))
            editor.setAccessibleName(label.text())
            if name in required:
                label.setText(f"{label.text()} <span style='color:#d32f2f'>*</span>")
                editor.setAccessibleName(
                    self.tr("{label} (required)").format(label=label_for(name))
                )
            if isinstance(editor, QLineEdit):
                editor.setPlaceholderText(self._placeholder(name, info, required, placeholders))
            description = info.description
            if isinstance(describe, Mapping):
                description = describe.get(name, description)
            if description:
                editor.setToolTip(description)
            label.setBuddy(editor)
            self.labels[name] = label
            layout.addRow(label, self._cell(name, editor, description if describe else None))
            self.editors[name] = editor
        layout.addRow(self.error)
        self.shown = self.raw_values()

    def _placeholder(
        self,
        name: str,
        info: FieldInfo,
        required: Collection[str],
        placeholders: Mapping[str, str] | None,
    ) -> str:
        if placeholders and name in placeholders:
            return placeholders[name]
        if name in required:
            return self.tr("required")
        if info.default is not None:
            return self.tr("default: {value}").format(value=info.default)
        return self.tr("not set")

    def _cell(self, name: str, editor: EditorWidget, description: str | None) -> QWidget:
        """The editor with its description and, when the input is invalid, why."""
        cell = QWidget()
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(editor)
        if description:
            note = QLabel(description)
            note.setWordWrap(True)
            note.setStyleSheet("color: palette(placeholder-text)")
            column.addWidget(note)
        problem = _error_label()
        column.addWidget(problem)
        self.problems[name] = problem
        return cell

    def _editor(self, info: FieldInfo, value: Any) -> EditorWidget:
        inner, optional = _unwrap(info.annotation)
        if inner is bool:
            box = QCheckBox()
            box.setChecked(bool(value))
            return box
        if typing.get_origin(inner) is Literal:
            combo = QComboBox()
            if optional:
                combo.addItem(self.tr("(default)"), None)
            for choice in typing.get_args(inner):
                combo.addItem(str(choice), choice)
            index = combo.findData(value)
            combo.setCurrentIndex(max(0, index))
            return combo
        return QLineEdit("" if value is None else str(value))

    def raw_values(self) -> dict[str, Any]:
        """What the editors hold; empty optional text means None."""
        result: dict[str, Any] = {}
        for name, editor in self.editors.items():
            if isinstance(editor, QCheckBox):
                result[name] = editor.isChecked()
            elif isinstance(editor, QComboBox):
                result[name] = editor.currentData()
            else:
                text = editor.text().strip()
                result[name] = text or None
        return result

    def edited(self) -> dict[str, Any] | None:
        """The fields changed since they were shown (or last saved): the validated value,
        or None for a field emptied or an optional flag unticked ("back to the default").
        None when a changed field is invalid; each says why under it."""
        fields = self.model.model_fields
        instance = self.model.model_construct()
        result: dict[str, Any] = {}
        problems: dict[str, str] = {}
        for name, value in self.raw_values().items():
            if value == self.shown[name]:
                continue
            if value is None or (value is False and fields[name].default is None):
                result[name] = None
                continue
            try:
                self.model.__pydantic_validator__.validate_assignment(instance, name, value)
            except ValidationError as error:
                problems[name] = error.errors()[0]["msg"]
                continue
            result[name] = getattr(instance, name)
        self.show_problems(problems)
        return None if problems else result

    def defaults(self) -> dict[str, Any]:
        """The model's default for each field shown."""
        fields = self.model.model_fields
        return {name: fields[name].get_default(call_default_factory=True) for name in self.editors}

    def mark_saved(self) -> None:
        """What the editors hold now is what is saved: only later edits count as changes."""
        self.shown = self.raw_values()

    def show_problems(self, problems: Mapping[str, str]) -> None:
        """Each message under its field, all of them in the summary; none hides them."""
        for name, label in self.problems.items():
            label.setText(problems.get(name, ""))
            label.setVisible(name in problems)
        self.error.setText("\n".join(f"{label_for(n)}: {m}" for n, m in problems.items()))
        self.error.setVisible(bool(problems))
        first = next((self.editors[name] for name in problems), None)
        if first is not None:
            first.setFocus()

    def values(self) -> dict[str, Any] | None:
        """The validated values that differ from the model's defaults, or None (and the
        error shown) when a field is invalid."""
        raw = self.raw_values()
        try:
            if set(raw) == set(self.model.model_fields):
                validated = self.model.model_validate(raw)
                checked = {name: getattr(validated, name) for name in raw}
            else:
                checked = {}
                instance = self.model.model_construct()
                for name, value in raw.items():
                    # validate each field on its own: the form may hold a subset of fields
                    self.model.__pydantic_validator__.validate_assignment(instance, name, value)
                    checked[name] = getattr(instance, name)
        except ValidationError as error:
            first = error.errors()[0]
            where = str(first["loc"][0]) if first["loc"] else ""
            self.show_problems({where: first["msg"]})
            return None
        self.show_problems({})
        defaults = {name: self.model.model_fields[name].default for name in checked}
        # an unticked box for an optional flag means "not set", not False
        return {
            name: value
            for name, value in checked.items()
            if value != defaults[name] and not (value is False and defaults[name] is None)
        }


def _error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet("color: #d32f2f")
    label.setWordWrap(True)
    label.hide()
    return label
