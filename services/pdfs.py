"""PDF documents of the office (fpdf2): A4, the DejaVu fonts shipped in
data/fonts/ (any name of any participant prints, Łukasz and Şule too), a
header with the office and city and a footer with page numbers."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent.parent / "data" / "fonts"
FONT = "DejaVu"
INK = (27, 31, 36)
ACCENT = (0, 70, 110)
MUTED = (90, 98, 108)


class OfficePdf(FPDF):
    """An A4 page with the office's name on top and `footer_text` and the
    page number at the bottom."""

    def __init__(self, *, office: str, title: str, footer_text: str, landscape: bool = False):
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        self.office = office
        self.footer_text = footer_text
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_title(title)
        self.set_author(office)
        self.set_creator(office)
        self.set_lang("de")
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(auto=True, margin=20)
        self.set_text_color(*INK)

    def header(self) -> None:
        self.set_font(FONT, "B", 10)
        self.set_text_color(*ACCENT)
        self.cell(0, 6, self.office, new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(*ACCENT)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(5)
        self.set_text_color(*INK)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"{self.page_no()}/{{nb}}", align="R")
        self.set_text_color(*INK)

    def output_bytes(self) -> bytes:
        return bytes(self.output())
