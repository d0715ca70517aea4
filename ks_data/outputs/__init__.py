"""The outputs: files made from the tables and views for people to take away.

- export: CSV, Excel, PNG and SVG files of every view table and chart (the pages' downloads);
- report_pdf: the year's report as a tagged PDF/UA-1, typeset by Typst;
- workbook: the Excel template of next year's report and its import back into data/source/.
"""
