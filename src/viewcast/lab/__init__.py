"""The lab: chapter 1 as one interactive page (`page.py`, its scripts and style in assets/), and a
one-file server for it (`serve.py`). The numbers it shows are computed by `book.lab`."""
