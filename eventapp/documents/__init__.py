"""The documents a Sở files (Decree 30/2020/NĐ-CP layout), described once and written as .docx and PDF.

A builder (the budget's dự toán, the reports' danh sách ký nhận, báo cáo...) fills a :class:`layout.Document`:
the letterhead, số and date, the title, paragraphs and tables, the signatures and "Nơi nhận:". Then
:func:`docx_writer.document_docx` and :func:`pdf_writer.document_pdf` write it, with the same parts in the same
order, so the two files read the same. This package is a shared layer: it imports no feature.
"""
