"""Building namespaced XML with lxml, shared by the ALTO and PAGE exporters."""

from __future__ import annotations

import re
from functools import partial
from typing import Protocol

from lxml import etree

Element = etree._Element

# Characters XML 1.0 cannot hold at all (C0 controls but tab and newlines, lone surrogates,
# U+FFFE/FFFF).
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with what XML cannot hold replaced by U+FFFD, which keeps its place visible:
    control characters from broken text layers, from file names.

    >>> xml_safe("ctl\x01\x1b.png")
    'ctl\ufffd\ufffd.png'
    """
    return XML_ILLEGAL.sub("\ufffd", text)


class SubElement(Protocol):
    def __call__(
        self, parent: Element, name: str, text: str | None = None, **attrs: str
    ) -> Element: ...


def sub_element(
    namespace: str, parent: Element, name: str, text: str | None = None, **attrs: str
) -> Element:
    """A child ``{namespace}name`` of ``parent`` with ``attrs`` (in order) and ``text``."""
    element = etree.SubElement(parent, f"{{{namespace}}}{name}")
    for key, value in attrs.items():
        element.set(key, xml_safe(value))
    if text is not None:
        element.text = xml_safe(text)
    return element


def builder(namespace: str) -> SubElement:
    """``sub_element`` bound to one namespace."""
    return partial(sub_element, namespace)


def new_root(namespace: str, name: str, schema_location: str) -> Element:
    """The document element, the namespace as default, and its ``xsi:schemaLocation``."""
    xsi = "http://www.w3.org/2001/XMLSchema-instance"
    # lxml-stubs type nsmap keys as str, but None is how lxml spells the default namespace.
    root = etree.Element(f"{{{namespace}}}{name}", nsmap={None: namespace, "xsi": xsi})  # type: ignore[dict-item]
    root.set(f"{{{xsi}}}schemaLocation", schema_location)
    return root


def to_bytes(root: Element) -> bytes:
    """Indented UTF-8 with an XML declaration (ALTO and PAGE hold no mixed content)."""
    etree.indent(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"
