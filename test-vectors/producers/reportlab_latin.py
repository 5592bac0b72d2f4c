"""ReportLab (Type 1 standard fonts, WinAnsi): the keyword split over several text operators, inside a
Form XObject, under a scaled CTM, and on three pages (riding seals). Run: python3 reportlab_latin.py"""
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

c = canvas.Canvas("reportlab_latin.pdf", pagesize=A4, invariant=1)
c.setTitle("eseal keyword test (ReportLab)")
# Page 1: "Company Seal" drawn as three text objects: "Comp" + "any " + "Seal".
c.setFont("Helvetica", 14)
c.drawString(72, 700, "Contract between the parties.")
t = c.beginText(100, 500)
t.textOut("Comp")
t.textOut("any ")
t.setFont("Times-Roman", 14)
t.textOut("Seal")
c.drawText(t)
c.showPage()
# Page 2: the keyword in a Form XObject placed twice, the second time under a scaled CTM.
c.beginForm("sig")
c.setFont("Helvetica", 12)
c.drawString(0, 0, "Company Seal")
c.endForm()
c.setFont("Helvetica", 12)
c.drawString(72, 760, "Page two")
c.saveState()
c.translate(300, 400)
c.doForm("sig")
c.restoreState()
c.saveState()
c.translate(100, 200)
c.scale(2, 2)
c.doForm("sig")
c.restoreState()
c.showPage()
c.setFont("Helvetica", 12)
c.drawString(72, 760, "Page three")
c.showPage()
c.save()
