"""What the commands print: results as text for a terminal of any width (`tables.py` lays tables out for
it), in the user's language. The pictures are `viewcast.figures`'; the words, `viewcast.text`'s."""
