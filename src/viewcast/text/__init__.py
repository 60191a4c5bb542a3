"""The words, at the bottom of the house: the message catalogue (`i18n`, its texts in locales/*.json,
shared with the lab's JavaScript), the one number formatter (`fmt`), sentences that say only what
their numbers show (`claims`), and the plain words for chapter 2's verdicts (`verdicts`). Every package
may import it; it imports nothing of viewcast but `errors`.
"""
