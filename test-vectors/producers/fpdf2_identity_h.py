"""fpdf2 with Debian's Droid Sans Fallback (fonts-droid-fallback): an embedded TrueType subset as a
Type0 font, /Encoding /Identity-H, glyph ids mapped back by a /ToUnicode CMap.
(The font has no ASCII digits.) Run: python3 fpdf2_identity_h.py"""
from fpdf import FPDF

pdf = FPDF(unit="mm", format="A4")
pdf.set_creation_date(__import__("datetime").datetime(2026, 1, 1, tzinfo=__import__("datetime").timezone.utc))
pdf.add_font("droid", "", "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
pdf.set_font("droid", size=14)
for page in range(2):
    pdf.add_page()
    pdf.text(20, 30, "电子合同 第" + "一二"[page] + "页")
    pdf.text(30, 150, "甲方（盖章）：")
    pdf.text(120, 150, "乙方（盖章）：")
pdf.output("fpdf2_identity_h.pdf")
