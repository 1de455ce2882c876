"""briefexport's own XMP properties: who a client copy of a PDF was made for.

A client copy's PDF names its recipient's id in the document's XMP metadata, as the property
``bx:recipient`` of the namespace :data:`NAMESPACE` (prefix :data:`PREFIX`), so that a copy found
where it should not be tells whose it was without anyone reading its pages.  The recipient's
token is never written.

WeasyPrint writes an XMP stream for the PDF/A and PDF/UA variants only; :func:`add_recipient`
(a ``write_pdf`` finisher step) adds the property to that stream, or writes the stream when there
is none.  The metadata also describes the namespace and the property as a PDF/A extension schema
(ISO 19005-1 §6.7.8, 19005-2/-3 §6.6.2.3): PDF/A allows no XMP property that is not so described.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

#: The namespace of briefexport's XMP properties (a URI ending in ``/``, as PDF/A requires).
NAMESPACE = "https://briefexport.example/ns/1.0/"
#: Its prefix.
PREFIX = "bx"
#: The property naming a client copy's recipient (their ``id`` in the recipients file).
RECIPIENT = "recipient"

_EXTENSION = f"""<rdf:Description rdf:about=""
  xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
  xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
  xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>briefexport client copies</pdfaSchema:schema>
<pdfaSchema:namespaceURI>{NAMESPACE}</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>{PREFIX}</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>{RECIPIENT}</pdfaProperty:name>
<pdfaProperty:valueType>Text</pdfaProperty:valueType>
<pdfaProperty:category>external</pdfaProperty:category>
<pdfaProperty:description>The id of the client this copy was made for</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
"""


def recipient_rdf(recipient_id: str) -> bytes:
    """The ``rdf:Description`` elements that name ``recipient_id`` (and describe the schema)."""
    own = (f'<rdf:Description rdf:about="" xmlns:{PREFIX}="{NAMESPACE}">'
           f"<{PREFIX}:{RECIPIENT}>{escape(recipient_id)}</{PREFIX}:{RECIPIENT}>"
           "</rdf:Description>\n")
    return (own + _EXTENSION).encode("utf-8")


def add_recipient(pdf: Any, document: Any, recipient_id: str) -> None:
    """Name ``recipient_id`` in the XMP metadata of ``pdf`` (a ``pydyf.PDF`` about to be
    written from the WeasyPrint ``document``), writing the metadata stream if there is none."""
    if "Metadata" not in pdf.catalog:
        # Not compressed: an XMP packet is meant to be found by tools that do not read PDF.
        document.metadata.include_in_pdf(pdf, None, None, None, False)
    # pydyf keeps a reference as the bytes b"12 0 R", the object at pdf.objects[12].
    stream = pdf.objects[int(pdf.catalog["Metadata"].split()[0])]
    packet = b"".join(stream.stream)
    end = packet.rindex(b"</rdf:RDF>")
    stream.stream = [packet[:end] + recipient_rdf(recipient_id) + packet[end:]]
