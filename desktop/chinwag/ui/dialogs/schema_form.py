"""A form rendered from a pydantic model's fields, so plugins need no Qt code.

Booleans become check boxes, Literal choices combo boxes, everything else a line edit
whose text pydantic validates; an empty optional field means "not set". Secret fields
are never rendered here: keys have their own field that writes only to the keyring.
"""

from __future__ import annotations

import types
import typing
from typing import Any, Literal

from pydantic import BaseModel, SecretStr, ValidationError
from pydantic.fields import FieldInfo
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

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


_ACRONYMS = {"url": "URL", "api": "API", "id": "ID", "aws": "AWS", "ms": "ms"}


def label_for(name: str) -> str:
    words = name.split("_")
    words = [_ACRONYMS.get(w, w) for w in words]
    first = words[0] if words[0].isupper() else words[0].capitalize()
    return " ".join([first, *words[1:]])


class SchemaForm(QWidget):
    def __init__(
        self,
        model: type[BaseModel],
        values: dict[str, Any] | None = None,
        fields: list[str] | None = None,
        exclude: set[str] = frozenset(),  # type: ignore[assignment]
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.editors: dict[str, EditorWidget] = {}
        self.error = QLabel()
        self.error.setStyleSheet("color: #d32f2f")
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QFormLayout(self)
        values = values or {}
        names = fields if fields is not None else list(model.model_fields)
        for name in names:
            info = model.model_fields.get(name)
            if info is None or name in exclude or not renderable(info):
                continue
            editor = self._editor(name, info, values.get(name, info.default))
            label = label_for(name)
            editor.setAccessibleName(label)
            if info.description:
                editor.setToolTip(info.description)
            layout.addRow(label, editor)
            self.editors[name] = editor
        layout.addRow(self.error)

    def _editor(self, name: str, info: FieldInfo, value: Any) -> EditorWidget:
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
        edit = QLineEdit("" if value is None else str(value))
        if optional or info.default is None:
            edit.setPlaceholderText(self.tr("not set"))
        return edit

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
            where = label_for(str(first["loc"][0])) if first["loc"] else ""
            self.error.setText(f"{where}: {first['msg']}")
            self.error.show()
            return None
        self.error.hide()
        defaults = {name: self.model.model_fields[name].default for name in checked}
        # an unticked box for an optional flag means "not set", not False
        return {
            name: value
            for name, value in checked.items()
            if value != defaults[name] and not (value is False and defaults[name] is None)
        }
