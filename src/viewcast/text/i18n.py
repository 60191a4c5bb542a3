"""The one message catalogue: every sentence viewcast shows a person, in English (the default) and
Chinese, with the Apple book's own Chinese terms (模型偏差, 优化问题, 过拟合, 误差表面, 学习率 …).

The words are data: `locales/en.json` and `locales/zh.json`, one text per key and language. A page that
speaks (the lab) embeds the keys it needs (`messages`) and fills `{name}` fields by the same rule in its
JavaScript, so one text serves Python and the browser. The language is the `lang` argument, else the
environment variable VIEWCAST_LANG, else English.

>>> t("term.error_surface", "zh"), t("term.error_surface", "en")
('误差表面', 'error surface')
>>> t("lab.status.within", "en", t=3, gap="0.00%")
"reached within 1% of the exact optimum's loss at update 3; now 0.00% above it"
>>> resolve("zh_CN.UTF-8"), resolve("EN")
('zh', 'en')

To add a message, add its key to both files; a key says where it is used (`lab.…` the lab, `report.…`
the report page, `fig.…` the figures, `cli.…` the terminal's prose); shared words live under `term.…`.
A sentence with variants (one model or several) has one key per variant, never a plural ending made in
code. tests/test_lab.py checks that every key has every language and the same {fields} in each.
"""
from __future__ import annotations

import json
import os
import re
from importlib import resources

from ..errors import ViewcastError

LANGS = ("en", "zh")
DEFAULT_LANG = "en"
ENV = "VIEWCAST_LANG"


def _load() -> dict[str, dict[str, str]]:
    """{key: {lang: text}} from the locale files, in the English file's order (a key one file lacks has
    no text in that language: the tests say which)."""
    files = resources.files("viewcast.text").joinpath("locales")
    by_lang = {lang: json.loads(files.joinpath(f"{lang}.json").read_text(encoding="utf-8")) for lang in LANGS}
    keys = dict.fromkeys(k for lang in LANGS for k in by_lang[lang])
    return {key: {lang: by_lang[lang][key] for lang in LANGS if key in by_lang[lang]} for key in keys}


MESSAGES: dict[str, dict[str, str]] = _load()
_FIELD = re.compile(r"{(\w+)}")


def resolve(lang: str | None = None) -> str:
    """The language to speak: `lang`, else $VIEWCAST_LANG, else English. Locale-style names are
    understood (zh_CN.UTF-8 → zh); anything else is refused rather than silently shown in English."""
    given, where = (lang, "lang") if lang else (os.environ.get(ENV) or DEFAULT_LANG, ENV)
    code = re.split(r"[-_.@]", given.strip().lower(), maxsplit=1)[0]
    if code in LANGS:
        return code
    if where == "lang":
        raise ViewcastError("unknown language; use en or zh", param="lang", value=lang)
    raise ViewcastError(f"{ENV}={given}: unknown language; use en or zh (or unset it)")


def t(key: str, lang: str | None = None, **fmt: object) -> str:
    """The message `key` in `lang` (see `resolve`), its {fields} filled from `fmt`."""
    text = MESSAGES[key][resolve(lang)]
    return _FIELD.sub(lambda m: str(fmt[m[1]]) if m[1] in fmt else m[0], text)


def listed(items, lang: str | None = None) -> str:
    """'a, b and c' in `lang` ('a、b 和 c' in Chinese).

    >>> listed([1, 7, 28], "en"), listed([1, 7, 28], "zh"), listed(["x"], "zh")
    ('1, 7 and 28', '1、7 和 28', 'x')
    """
    items = [str(x) for x in items]
    if len(items) < 2:
        return "".join(items)
    return t("cli.list", lang, head=t("cli.list.sep", lang).join(items[:-1]), last=items[-1])


def weekday(i: int, lang: str | None = None) -> str:
    """The short name of weekday i (0 = Monday): Mon … Sun, 周一 … 周日."""
    return t("report.weekdays", lang).split(",")[i]


def messages(prefixes: tuple[str, ...] = ("",)) -> dict[str, dict[str, str]]:
    """{lang: {key: text}} for the keys starting with any of `prefixes` — what a page embeds to
    switch language without a reload."""
    keys = [k for k in MESSAGES if k.startswith(prefixes)]
    return {lang: {k: MESSAGES[k][lang] for k in keys} for lang in LANGS}


def fields(text: str) -> set[str]:
    """The {fields} a text expects."""
    return set(_FIELD.findall(text))
