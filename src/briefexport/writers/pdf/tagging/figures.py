"""Figure bounding boxes in PDF user space.

WeasyPrint writes a Figure's ``/BBox`` in CSS pixels measured from the top of the page; the
layout attribute is in the page's default user space (points, from the bottom).
"""

from __future__ import annotations

from briefexport.writers.pdf.tagging.tree import PdfObjects

#: PDF points per CSS pixel (72 / 96), the scale WeasyPrint draws at.
POINTS_PER_PX = 0.75


def fix_figure_boxes(objects: PdfObjects) -> None:
    """Rewrite each Figure's ``/BBox`` as ``[left bottom right top]`` in points."""
    import pydyf

    for element in objects.walk():
        attributes = element.get("A")
        if objects.role(element) != "/Figure" or not attributes or "BBox" not in attributes:
            continue
        x1, y1, x2, y2 = (float(v) * POINTS_PER_PX for v in attributes["BBox"])
        height = objects.page_height(element["Pg"])
        attributes["BBox"] = pydyf.Array([round(x1, 3), round(height - y2, 3),
                                          round(x2, 3), round(height - y1, 3)])
