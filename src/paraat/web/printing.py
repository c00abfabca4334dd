"""What the PDF and Word documents share (fiches, the societal-picture report): the vendored
Fira Sans font, a WeasyPrint URL fetcher that reads only allowed local folders (never the
network), the PDF rendering itself, and small python-docx helpers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

FONT_DIR = Path(__file__).resolve().parent / "static" / "vendor" / "fira-sans" / "files"
FONT_FACES = (  # (file, style, weight) of the vendored Fira Sans, latin subset
    ("fira-sans-latin-400-normal.woff2", "normal", 400),
    ("fira-sans-latin-400-italic.woff2", "italic", 400),
    ("fira-sans-latin-700-normal.woff2", "normal", 700),
)


def font_css() -> str:
    """@font-face rules for the vendored Fira Sans (file:// URLs), or "" if it is missing."""
    rules = []
    for filename, style, weight in FONT_FACES:
        path = FONT_DIR / filename
        if path.is_file():
            rules.append(
                "@font-face { font-family: 'Fira Sans'; "
                f"font-style: {style}; font-weight: {weight}; "
                f"src: url('{path.resolve().as_uri()}') format('woff2'); }}"
            )
    return "\n".join(rules)


def local_url_fetcher(*, roots: Sequence[Path], what: str) -> Any:
    """A WeasyPrint URL fetcher that reads only files under ``roots``: no network access.
    ``what`` names the document in the refusal message."""
    from weasyprint.urls import URLFetcher

    allowed = tuple(root.resolve() for root in roots)

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
                raise ValueError(f"{what}: refusing to fetch {url!r} (no network access)")
            path = Path(url2pathname(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in allowed):
                raise ValueError(f"{what}: refusing to read {path} (outside allowed dirs)")
            return super().fetch(url, headers)

    return LocalOnlyFetcher(allowed_protocols={"file"}, allow_redirects=False)


def pdf_render(
    html: str,
    *,
    fetcher: Any,
    stylesheets: Sequence[Path] = (),
    base_url: str | None = None,
) -> bytes:
    """An A4 PDF of ``html`` (tagged) with the vendored font and ``stylesheets``."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    sheets = []
    fonts = font_css()
    if fonts:
        sheets.append(CSS(string=fonts, url_fetcher=fetcher, font_config=font_config))
    for stylesheet in stylesheets:
        sheets.append(CSS(filename=str(stylesheet), url_fetcher=fetcher, font_config=font_config))
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=sheets, font_config=font_config, pdf_tags=True)


def docx_field(paragraph: Any, instruction: str) -> None:
    """A simple Word field (PAGE, NUMPAGES) in ``paragraph``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def docx_repeat_header(row: Any) -> None:
    """Mark a table row as header row, repeated at the top of every page (``w:tblHeader``)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def docx_language(document: Any, lang: str) -> None:
    """Proofing language of the default paragraph style (so Word spell-checks in Dutch)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r_pr = document.styles["Normal"].element.get_or_add_rPr()
    for old in r_pr.findall(qn("w:lang")):
        r_pr.remove(old)
    node = OxmlElement("w:lang")
    node.set(qn("w:val"), lang)
    r_pr.append(node)


def font_url_fetcher(*, what: str) -> Any:
    """A WeasyPrint URL fetcher that reads only the vendored font files: no network."""
    return local_url_fetcher(roots=[FONT_DIR], what=what)


def pdf_render_fonts_only(html: str, *, what: str) -> bytes:
    """An A4 PDF of ``html`` that may read nothing but the vendored fonts (relative URLs
    resolve in the font folder). ``what`` names the document in refusal messages."""
    return pdf_render(
        html,
        fetcher=font_url_fetcher(what=what),
        base_url=str(FONT_DIR.resolve().as_uri()) + "/",
    )


def docx_a4_document(
    *,
    lang: str,
    title: str,
    subject: str,
    keywords: str,
    header: str,
    comments: str = "",
    footer_prefix: str = "",
) -> Any:
    """A new portrait A4 Word document (python-docx) as the reports use it: margins, 10 pt
    text in ``lang``, the document properties, ``header`` in the page header and
    "``footer_prefix``pagina N / M" in the footer. Call it inside the report's language."""
    from django.utils.translation import gettext as _
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(16)
    section.top_margin, section.bottom_margin = Mm(18), Mm(20)
    doc.styles["Normal"].font.size = Pt(10)
    docx_language(doc, lang)
    props = doc.core_properties
    props.title = title
    props.subject = subject
    props.language = lang
    props.author = "paraat"
    props.last_modified_by = "paraat"
    if comments:
        props.comments = comments
    props.keywords = keywords
    section.header.paragraphs[0].text = header
    footer = section.footer.paragraphs[0]
    footer.text = ""
    if footer_prefix:
        footer.add_run(footer_prefix)
    footer.add_run(_("pagina") + " ")
    docx_field(footer, "PAGE")
    footer.add_run(" / ")
    docx_field(footer, "NUMPAGES")
    return doc


def docx_table(
    doc: Any,
    caption: str,
    header: Sequence[Any],
    rows: Sequence[Sequence[Any]],
    *,
    font_size: float,
    text: Callable[[Any], str] | None = None,
) -> Any:
    """A captioned table with a repeating, bold header row, all cells in ``font_size`` pt;
    ``text`` turns each header and cell value into its text (default: the value as is)."""
    from docx.shared import Pt

    def as_text(value: Any) -> Any:
        return value if text is None else text(value)

    doc.add_paragraph(caption, style="Caption")
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    head = table.rows[0]
    docx_repeat_header(head)
    for j, value in enumerate(header):
        head.cells[j].text = as_text(value)
        for run in head.cells[j].paragraphs[0].runs:
            run.bold = True
    for i, values in enumerate(rows, start=1):
        cells = table.rows[i].cells
        for j, value in enumerate(values):
            cells[j].text = as_text(value)
    for row in table.rows:
        for cell in row.cells:
            for para in cell.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(font_size)
    return table
