"""`viewcast report`: chapters 1–2 on one series as one self-contained HTML page (`page.py`, its sections in
`sections.py` and `sections_ch2.py`, its figures chosen in `pictures.py`), or a page per series with an
index (`site.py`). It renders the results it is handed (`api.report_data`); it never trains.
"""
