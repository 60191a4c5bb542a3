"""The one message catalogue: every sentence viewcast shows a person, in English (the default) and
Chinese, with the Apple book's own Chinese terms (模型偏差, 优化问题, 过拟合, 误差表面, 学习率 …).

A message is a key with one text per language; `{name}` fields are filled by `t(..., name=...)`
here and by the same rule in the lab's JavaScript, so one text serves both. The language is the
`lang` argument, else the environment variable VIEWCAST_LANG, else English.

>>> t("term.error_surface", "zh"), t("term.error_surface", "en")
('误差表面', 'error surface')
>>> t("lab.status.within", "en", t=3, gap="0.00%")
"reached within 1% of the exact optimum's loss at update 3; now 0.00% above it"
>>> resolve("zh_CN.UTF-8"), resolve("EN")
('zh', 'en')

To add messages (the report, the CLI's prose): add a section dict below and merge it into MESSAGES;
a key says where it is used (`lab.…`, `report.…`, `cli.…`); shared words live under `term.…`.
tests/test_lab.py checks that every key has every language and the same {fields} in each.
"""
from __future__ import annotations

import os
import re

from ..errors import ViewcastError

LANGS = ("en", "zh")
DEFAULT_LANG = "en"
ENV = "VIEWCAST_LANG"

# The book's vocabulary (chapters 1–2, course ML2021/2022), for every page and command.
TERMS: dict[str, dict[str, str]] = {
    "term.model": {"en": "model", "zh": "模型"},
    "term.parameter": {"en": "parameter", "zh": "参数"},
    "term.weight": {"en": "weight", "zh": "权重"},
    "term.bias": {"en": "bias", "zh": "偏置"},
    "term.feature": {"en": "feature", "zh": "特征"},
    "term.label": {"en": "label", "zh": "标签"},
    "term.loss": {"en": "loss", "zh": "损失"},
    "term.mae": {"en": "mean absolute error (MAE)", "zh": "平均绝对误差（MAE）"},
    "term.mse": {"en": "mean squared error (MSE)", "zh": "均方误差（MSE）"},
    "term.train_loss": {"en": "training loss", "zh": "训练损失"},
    "term.val_loss": {"en": "validation loss", "zh": "验证损失"},
    "term.test_loss": {"en": "test loss", "zh": "测试损失"},
    "term.error_surface": {"en": "error surface", "zh": "误差表面"},
    "term.gradient_descent": {"en": "gradient descent", "zh": "梯度下降"},
    "term.learning_rate": {"en": "learning rate", "zh": "学习率"},
    "term.hyperparameter": {"en": "hyperparameter", "zh": "超参数"},
    "term.update": {"en": "update", "zh": "更新"},
    "term.epoch": {"en": "epoch", "zh": "回合"},
    "term.batch": {"en": "batch", "zh": "批量"},
    "term.optimum": {"en": "optimum", "zh": "最优解"},
    "term.local_minimum": {"en": "local minimum", "zh": "局部最小值"},
    "term.saddle_point": {"en": "saddle point", "zh": "鞍点"},
    "term.activation": {"en": "activation function", "zh": "激活函数"},
    "term.hard_sigmoid": {"en": "hard sigmoid", "zh": "硬S型函数"},
    "term.sigmoid": {"en": "sigmoid", "zh": "S型函数（Sigmoid）"},
    "term.relu": {"en": "ReLU", "zh": "修正线性单元（ReLU）"},
    "term.neuron": {"en": "neuron", "zh": "神经元"},
    "term.hidden_layer": {"en": "hidden layer", "zh": "隐藏层"},
    "term.piecewise_linear": {"en": "piecewise-linear curve", "zh": "分段线性曲线"},
    "term.deep_learning": {"en": "deep learning", "zh": "深度学习"},
    "term.model_bias": {"en": "model bias", "zh": "模型偏差"},
    "term.optimization_issue": {"en": "optimization issue", "zh": "优化问题"},
    "term.overfitting": {"en": "overfitting", "zh": "过拟合"},
    "term.cross_validation": {"en": "cross-validation", "zh": "交叉验证"},
    "term.mismatch": {"en": "mismatch", "zh": "不匹配"},
    "term.training_data": {"en": "training data", "zh": "训练数据"},
    "term.test_data": {"en": "test data", "zh": "测试数据"},
    "term.views": {"en": "views", "zh": "观看次数"},
}

# `viewcast lab`: the interactive page (report/lab.py, assets/lab*.js).
LAB: dict[str, dict[str, str]] = {
    "lab.title": {"en": "viewcast lab: chapter 1 to play with", "zh": "viewcast 实验室：动手玩第一章"},
    "lab.intro": {
        "en": "Machine learning is finding a function: a model with unknown parameters y = b + w·x₁ "
              "(tomorrow's views from today's), a loss L(b, w) on the training days, and gradient descent "
              "to find the best w and b. Move the sliders, click the error surface, and run gradient descent.",
        "zh": "机器学习就是找一个函数：带有未知参数的模型 y = b + w·x₁（用今天的观看次数预测明天的），"
              "在训练数据上定义损失 L(b, w)，再用梯度下降找出最好的 w 和 b。拖动滑块、点击误差表面、运行梯度下降试试看。"},
    "lab.series": {"en": "Series {name}: training days {train} ({n} days), test days {test} ({m} days).",
                   "zh": "数据：{name}；训练数据 {train}（{n} 天），测试数据 {test}（{m} 天）。"},
    "lab.switch_lang": {"en": "中文", "zh": "English"},
    "lab.share": {"en": "link to this state", "zh": "当前状态的链接"},
    "lab.w": {"en": "weight w", "zh": "权重 w"},
    "lab.b": {"en": "bias b (views)", "zh": "偏置 b（次）"},
    "lab.loss": {"en": "loss", "zh": "损失"},
    "lab.mae": {"en": "MAE", "zh": "平均绝对误差"},
    "lab.mse": {"en": "MSE", "zh": "均方误差"},
    "lab.lr": {"en": "learning rate η", "zh": "学习率 η"},
    "lab.lr_small": {"en": "too small", "zh": "太小"},
    "lab.lr_good": {"en": "good", "zh": "合适"},
    "lab.lr_large": {"en": "too large", "zh": "太大"},
    "lab.step": {"en": "Step", "zh": "走一步"},
    "lab.run": {"en": "Run {steps} updates", "zh": "运行 {steps} 次更新"},
    "lab.reset": {"en": "Reset", "zh": "重置"},
    "lab.lr_note": {
        "en": "Gradient descent runs in standard units, (views − {mean}) / {std} from the training days, "
              "where η ≈ 0.1 works; w, b and the losses are shown in views. In raw views the bowl is "
              "{cond} times longer than wide and plain gradient descent stalls.",
        "zh": "梯度下降在标准化单位上进行，即（观看次数 − {mean}）/ {std}（取自训练数据），学习率约 0.1 即可；"
              "w、b 和损失仍以观看次数显示。若直接用原始观看次数，误差表面的碗长宽之比达 {cond} 倍，普通的梯度下降几乎走不动。"},
    "lab.readout_train": {"en": "training loss L(b, w) = {value}", "zh": "训练损失 L(b, w) = {value}"},
    "lab.readout_test": {"en": "test loss L′ = {value}", "zh": "测试损失 L′ = {value}"},
    "lab.readout_point": {"en": "w = {w}, b = {b}, after {t} updates", "zh": "w = {w}，b = {b}，已更新 {t} 次"},
    "lab.optimum": {"en": "exact optimum: w* = {w}, b* = {b}, L = {L}",
                    "zh": "精确最优解：w* = {w}，b* = {b}，L = {L}"},
    "lab.unit_mae": {"en": "views", "zh": "次"},
    "lab.unit_mse": {"en": "views²", "zh": "次²"},
    "lab.status.start": {"en": "Click the error surface to choose where gradient descent starts, then press Step or Run.",
                         "zh": "点击误差表面选择梯度下降的起点，再按“走一步”或“运行”。"},
    "lab.status.running": {"en": "gradient descent is running …", "zh": "梯度下降进行中……"},
    "lab.status.within": {"en": "reached within 1% of the exact optimum's loss at update {t}; now {gap} above it",
                          "zh": "第 {t} 次更新时损失已在精确最优解的 1% 以内；现在高出 {gap}"},
    "lab.status.diverged": {
        "en": "η = {lr} is too large: gradient descent diverges; the loss blew up at update {t} ({loss})",
        "zh": "学习率 η = {lr} 太大：梯度下降发散了，第 {t} 次更新时损失暴涨到 {loss}"},
    "lab.status.oscillates": {
        "en": "η = {lr} is too large: each update jumps across the valley, the loss goes up and down and never "
              "gets within 1% of the optimum's (now {gap} above it)",
        "zh": "学习率 η = {lr} 太大：每次更新都跳过山谷，损失忽高忽低，始终到不了最优解的 1% 以内（现在高出 {gap}）"},
    "lab.status.descending": {"en": "after {t} updates the loss is {gap} above the exact optimum's; keep going with Step or Run",
                              "zh": "更新 {t} 次后损失比精确最优解高 {gap}；继续按“走一步”或“运行”"},
    "lab.status.too_slow": {"en": "η = {lr} is too small: after {t} updates the loss is still {gap} above the optimum's",
                            "zh": "学习率 η = {lr} 太小：更新 {t} 次后损失仍比最优解高 {gap}"},
    "lab.mae_bounded": {
        "en": "With MAE the gradient never grows, so a too-large η bounces instead of exploding; choose MSE to see "
              "gradient descent diverge.",
        "zh": "用平均绝对误差时梯度的大小有上限，学习率太大只会来回跳，不会爆炸；换成均方误差就能看到梯度下降发散。"},
    "lab.pane.scatter": {"en": "The data and the model y = b + w·x₁", "zh": "数据与模型 y = b + w·x₁"},
    "lab.pane.contour": {"en": "Error surface L(b, w): click to start there", "zh": "误差表面 L(b, w)：点击设定起点"},
    "lab.pane.steps": {"en": "Loss per update", "zh": "每次更新后的损失"},
    "lab.pane.losses": {"en": "Training loss L beside test loss L′", "zh": "训练损失 L 与测试损失 L′"},
    "lab.axis.yesterday": {"en": "yesterday's views x₁", "zh": "前一天的观看次数 x₁"},
    "lab.axis.today": {"en": "today's views y", "zh": "当天的观看次数 y"},
    "lab.axis.update": {"en": "update", "zh": "更新次数"},
    "lab.legend.train_days": {"en": "training days", "zh": "训练数据"},
    "lab.legend.test_days": {"en": "test days", "zh": "测试数据"},
    "lab.legend.your_line": {"en": "your line", "zh": "你的直线"},
    "lab.legend.optimum": {"en": "exact optimum", "zh": "精确最优解"},
    "lab.legend.book": {"en": "the book's (0.97, 100)", "zh": "书中的 (0.97, 100)"},
    "lab.legend.start": {"en": "start", "zh": "起点"},
    "lab.legend.path": {"en": "path", "zh": "路径"},
    "lab.legend.within": {"en": "optimum + 1%", "zh": "最优解 + 1%"},
    "lab.legend.train": {"en": "L (training)", "zh": "L（训练）"},
    "lab.legend.test": {"en": "L′ (test)", "zh": "L′（测试）"},
    "lab.legend.book_channel": {"en": "the book's channel", "zh": "书中的频道"},
    "lab.legend.levels": {"en": "lines: L = optimum × {levels}", "zh": "等高线：L = 最优解 × {levels}"},
    "lab.row.yours": {"en": "your line", "zh": "你的直线"},
    "lab.row.exact": {"en": "{model}, exact optimum", "zh": "{model}，精确最优解"},
    "lab.row.fitted": {"en": "{model}, trained", "zh": "{model}，训练所得"},
    "lab.book_note": {"en": "The book's channel (MAE, views): {rows}. Its data is private; the pattern is what to compare.",
                      "zh": "书中频道的结果（平均绝对误差，次）：{rows}。其数据未公开，可比的是趋势。"},
    "lab.left_out": {"en": "Left out: {models} (the series is too short for them).",
                     "zh": "未列出：{models}（数据太短，训练不了）。"},
    "lab.builder.title": {"en": "Build a piecewise-linear curve from pieces", "zh": "用小块拼出分段线性曲线"},
    "lab.builder.intro": {
        "en": "The red curve is what {model} learned: today's views from yesterday's. Any such curve is a constant "
              "plus a sum of hard sigmoids c·clamp(b + w·x₁, 0, 1). Add pieces, drag their handles, and make the blue "
              "sum cover the red curve.",
        "zh": "红色曲线是 {model} 学到的函数：由前一天的观看次数预测当天的。这样的曲线都等于一个常数加上一组硬S型函数 "
              "c·clamp(b + w·x₁, 0, 1) 的和。添加小块、拖动控制点，让蓝色的和盖住红色曲线。"},
    "lab.builder.units": {"en": "x₁ and c in thousands of views; w per thousand views.",
                          "zh": "x₁ 与 c 以千次为单位；w 以每千次为单位。"},
    "lab.builder.target": {"en": "red curve", "zh": "红色曲线"},
    "lab.builder.target_fit": {"en": "{model}, trained", "zh": "{model}，训练所得"},
    "lab.builder.target_book": {"en": "a curve like the book's", "zh": "类似书中的曲线"},
    "lab.builder.add_hard": {"en": "+ hard sigmoid", "zh": "+ 硬S型函数"},
    "lab.builder.add_relu": {"en": "+ two ReLUs", "zh": "+ 两个 ReLU"},
    "lab.builder.add_sigmoid": {"en": "+ sigmoid", "zh": "+ S型函数"},
    "lab.builder.load": {"en": "use {model}'s own pieces", "zh": "换成 {model} 自己的小块"},
    "lab.builder.clear": {"en": "clear", "zh": "清空"},
    "lab.builder.kind": {"en": "piece", "zh": "小块"},
    "lab.builder.delete": {"en": "delete", "zh": "删除"},
    "lab.builder.split": {"en": "→ two ReLUs", "zh": "→ 两个 ReLU"},
    "lab.builder.merge": {"en": "→ hard sigmoid", "zh": "→ 硬S型函数"},
    "lab.builder.const": {"en": "constant", "zh": "常数"},
    "lab.builder.hard": {"en": "hard sigmoid", "zh": "硬S型函数"},
    "lab.builder.relu": {"en": "two ReLUs", "zh": "两个 ReLU"},
    "lab.builder.sigmoid": {"en": "sigmoid", "zh": "S型函数"},
    "lab.builder.sum": {"en": "sum of the pieces", "zh": "各小块之和"},
    "lab.builder.identity": {
        "en": "Two ReLUs make one hard sigmoid: c·clamp(b + w·x₁, 0, 1) = c·ReLU(b + w·x₁) − c·ReLU(b + w·x₁ − 1). "
              "Turn a hard sigmoid into two ReLUs: the blue sum does not move.",
        "zh": "两个 ReLU 拼成一个硬S型函数：c·clamp(b + w·x₁, 0, 1) = c·ReLU(b + w·x₁) − c·ReLU(b + w·x₁ − 1)。"
              "把一个硬S型函数换成两个 ReLU，蓝色的和完全不变。"},
    "lab.builder.readout": {"en": "training loss of the blue sum: {L} ({model}: {Lfit})",
                            "zh": "蓝色曲线的训练损失：{L}（{model}：{Lfit}）"},
}

from .i18n_cli import CLI  # noqa: E402  (the terminal's prose: ladder, demo, diagnose)
from .i18n_report import FIGURE, REPORT  # noqa: E402  (the report's and figures' messages)

MESSAGES: dict[str, dict[str, str]] = {**TERMS, **LAB, **FIGURE, **REPORT, **CLI}
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
