"""OpenAPI for decimal fields: Litestar documents `Decimal` as a string, but quantities and major-unit prices
arrive as JSON numbers (API-CONVENTIONS) and are parsed exactly either way (`jsonbody.py`). A field whose
description carries DECIMAL_MARK is documented as `number | string`."""

from __future__ import annotations

from litestar.openapi.spec import OpenAPI, OpenAPIType, Schema

DECIMAL_MARK = "(decimal)"
NUMBER_OR_STRING = [OpenAPIType.NUMBER, OpenAPIType.STRING]


def document_decimals(schema: OpenAPI) -> None:
    """Widen every marked string property of the components to `number | string`."""
    components = schema.components.schemas if schema.components else None
    for component in (components or {}).values():
        for prop in (component.properties or {}).values():
            if isinstance(prop, Schema) and prop.description and DECIMAL_MARK in prop.description:
                _widen(prop)


def _widen(prop: Schema) -> None:
    if prop.type == OpenAPIType.STRING:
        prop.type = NUMBER_OR_STRING
    for inner in prop.one_of or ():
        if isinstance(inner, Schema) and inner.type == OpenAPIType.STRING:
            inner.type = NUMBER_OR_STRING
