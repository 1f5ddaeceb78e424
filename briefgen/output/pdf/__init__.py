"""HTML -> PDF with WeasyPrint: one pass (``weasy``) or split over processes (``split``,
``join``). WeasyPrint is imported only inside these modules, and they only when a PDF
is made.
"""
