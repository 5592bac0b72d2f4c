"""ReportLab with its built-in Adobe-GB1 CID font STSong-Light (Type0, /Encoding /UniGB-UCS2-H, no
ToUnicode, not embedded): Chinese text positioned by UCS-2 codes. Run: python3 reportlab_cid.py"""
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
c = canvas.Canvas("reportlab_cid.pdf", pagesize=A4, invariant=1)
c.setFont("STSong-Light", 16)
c.drawString(72, 760, "合同")
c.drawString(72, 400, "甲方：某某有限公司")
c.drawString(320, 400, "（盖章）")
c.drawString(72, 300, "乙方：另一家公司")
c.drawString(320, 300, "（盖章）")
c.showPage()
c.setFont("STSong-Light", 16)
c.drawString(72, 760, "第二页")
c.showPage()
c.save()
