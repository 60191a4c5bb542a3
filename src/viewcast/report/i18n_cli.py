"""The terminal's prose (`viewcast ladder`, `demo`, `diagnose`): table titles and headers, the ladder's
story (book/story.py), the diagnosis' verdict sentences (diagnose/verdicts.py, report/diagnose.py),
merged into the one catalogue `i18n.MESSAGES`. Same rules as there: one key, one text per language, the
same {fields} in each. The English texts are exactly what the commands printed before they spoke Chinese;
`--json` keeps English (the words a program reads are values, not these sentences).

A sentence that has variants (one model or several, 1 day or 7 days) has one key per variant, never a
plural ending made in code: each language says it its own way.
"""
from __future__ import annotations

CLI: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ shared
    "cli.list": {"en": "{head} and {last}", "zh": "{head} 和 {last}"},  # "a, b and c"
    "cli.list.sep": {"en": ", ", "zh": "、"},
    "cli.sentence": {"en": "{text}.", "zh": "{text}。"},
    "cli.split": {"en": "train {train_start}…{train_end}, test {test_start}…{test_end}",
                  "zh": "训练 {train_start}…{train_end}，测试 {test_start}…{test_end}"},
    "cli.col.model": {"en": "model", "zh": "模型"},
    "cli.col.params": {"en": "params", "zh": "参数"},
    "cli.figure": {"en": "figure: {path}", "zh": "图：{path}"},

    # ------------------------------------------------------------ ladder and demo (report/tables.py)
    "cli.ladder.title": {"en": "{table} — {source}, {split}", "zh": "{table}——{source}，{split}"},
    "cli.ladder.col.book_L": {"en": "book L", "zh": "书中 L"},
    "cli.ladder.col.book_Lp": {"en": "book L′", "zh": "书中 L′"},
    "cli.ladder.interrupted": {"en": "(interrupted)", "zh": "（已中断）"},
    "cli.ladder.note": {
        "en": "L, L′: mean absolute error per day on the training and test days. The book's numbers are for its "
              "(private) channel, given for the pattern.",
        "zh": "L、L′：训练数据与测试数据上每天的平均绝对误差。书中的数字来自其（未公开的）频道，可比的是趋势。"},
    "cli.demo.tomorrow": {
        "en": "Tomorrow ({weekday} {date}), {model} — chosen by validation on the most recent days and refit on every "
              "day through {through} — forecasts [bold]{views}[/] views (80%: {lo80}…{hi80}; 95%: {lo95}…{hi95}).",
        "zh": "明天（{date} {weekday}）：{model}（按最近几天的验证选出，再用截至 {through} 的每一天重新训练）"
              "预测 [bold]{views}[/] 次观看（80% 区间：{lo80}…{hi80}；95% 区间：{lo95}…{hi95}）。"},

    "cli.demo.tomorrow_mean": {
        "en": "Tomorrow ({weekday} {date}), the mean of {model} — validation on the most recent days could not tell "
              "them apart; each refit on every day through {through} — forecasts [bold]{views}[/] views "
              "(80%: {lo80}…{hi80}; 95%: {lo95}…{hi95}).",
        "zh": "明天（{date} {weekday}）：{model} 的平均（最近几天的验证分不出它们的高下；各自用截至 {through} 的每一天重新训练）"
              "预测 [bold]{views}[/] 次观看（80% 区间：{lo80}…{hi80}；95% 区间：{lo95}…{hi95}）。"},
    "cli.demo.tomorrow_weighted": {
        "en": "Tomorrow ({weekday} {date}), a mean of {model} weighted by validation on the most recent days (a "
              "model that validates worse than the best weighs less); each refit on every day through {through} — "
              "forecasts [bold]{views}[/] views (80%: {lo80}…{hi80}; 95%: {lo95}…{hi95}).",
        "zh": "明天（{date} {weekday}）：{model} 的加权平均（按最近几天的验证加权：验证不如最好者的模型权重较小；"
              "各自用截至 {through} 的每一天重新训练）预测 [bold]{views}[/] 次观看（80% 区间：{lo80}…{hi80}；"
              "95% 区间：{lo95}…{hi95}）。"},
    # ------------------------------------------------------------ the ladder's story (book/story.py)
    "cli.story.days": {"en": "{head}: {L}; {T}.", "zh": "{head}：{L}；{T}。"},
    "cli.story.days.help": {"en": "More days help", "zh": "输入更多天有帮助"},
    "cli.story.days.help_up_to": {"en": "More days help up to {k} days", "zh": "输入增加到 {k} 天为止都有帮助"},
    "cli.story.days.help_not_every": {"en": "More days help, though not at every step",
                                      "zh": "输入更多天有帮助，但并非每一步都如此"},
    "cli.story.days.no_help": {"en": "More days do not help on the test days", "zh": "输入更多天对测试数据没有帮助"},
    "cli.story.days.L_falls": {
        "en": "the linear model's L falls from {L1} (1 day) to {L7} (7) and {L28} (28); {tail} (56 days: {L56})",
        "zh": "线性模型的 L 从 {L1}（1 天）降到 {L7}（7 天）和 {L28}（28 天）；{tail}（56 天：{L56}）"},
    "cli.story.days.little_more": {"en": "little more after 28", "zh": "28 天之后几乎不再下降"},
    "cli.story.days.further": {"en": "and further with 56", "zh": "56 天时进一步下降"},
    "cli.story.days.L_lowest": {"en": "the linear model's L is {list} with 1, 7, 28 and 56 days: lowest with {k}",
                                "zh": "线性模型用 1、7、28 和 56 天时的 L 分别为 {list}：{k} 天时最低"},
    "cli.story.days.T_falls": {"en": "L′ falls too: {list}", "zh": "L′ 也在下降：{list}"},
    "cli.story.days.T_lowest_1": {"en": "L′ is {list}: lowest with 1 day", "zh": "L′ 分别为 {list}：1 天时最低"},
    "cli.story.days.T_lowest": {"en": "L′ is {list}: lowest with {k} days", "zh": "L′ 分别为 {list}：{k} 天时最低"},
    "cli.story.units": {"en": "{first}; {second}.", "zh": "{first}；{second}。"},
    "cli.story.units.all_fit": {
        "en": "All {n} ReLU nets fit the training days better than linear:56 (L {range} vs {linear})",
        "zh": "全部 {n} 个 ReLU 网络在训练数据上都比 linear:56 拟合得好（L 为 {range}，linear:56 为 {linear}）"},
    "cli.story.units.one_fits": {
        "en": "{model} fits the training days better than linear:56 (L {L} vs {linear})",
        "zh": "{model} 在训练数据上比 linear:56 拟合得好（L 为 {L}，linear:56 为 {linear}）"},
    "cli.story.units.none_fits": {
        "en": "No ReLU net fits the training days better than linear:56 (best L {L} by {model} vs {linear})",
        "zh": "没有哪个 ReLU 网络在训练数据上比 linear:56 拟合得好（最好的是 {model}，L 为 {L}，linear:56 为 {linear}）"},
    "cli.story.units.all_predict": {
        "en": "all predict the test days better too (L′ {range} vs {linear})",
        "zh": "在测试数据上也都预测得更好（L′ 为 {range}，linear:56 为 {linear}）"},
    "cli.story.units.one_predicts": {
        "en": "{model} predicts the test days better (L′ {Lp} vs {linear})",
        "zh": "{model} 在测试数据上预测得更好（L′ 为 {Lp}，linear:56 为 {linear}）"},
    "cli.story.units.none_predicts": {
        "en": "none predicts the test days better (best L′ {Lp} by {model} vs {linear})",
        "zh": "但没有哪个在测试数据上预测得更好（最好的是 {model}，L′ 为 {Lp}，linear:56 为 {linear}）"},
    "cli.story.layers.lowest_1": {"en": "Deeper nets: test L′ is lowest at {at} layer ({Lp}{others})",
                                  "zh": "更深的网络：测试损失 L′ 在 {at} 层时最低（{Lp}{others}）"},
    "cli.story.layers.lowest": {"en": "Deeper nets: test L′ is lowest at {at} layers ({Lp}{others})",
                                "zh": "更深的网络：测试损失 L′ 在 {at} 层时最低（{Lp}{others}）"},
    "cli.story.layers.others": {"en": "; {range} for the others", "zh": "；其余为 {range}"},
    "cli.story.layers.worse_1": {"en": "; {model} predicts worse (L′ {range})", "zh": "；{model} 预测得更差（L′ {range}）"},
    "cli.story.layers.worse": {"en": "; deeper ones predict worse (L′ {range})",
                               "zh": "；更深的几个预测得更差（L′ {range}）"},
    "cli.story.layers.overfit_better_1": {
        "en": " though it fits the training days better (L {range} vs {L}): overfitting",
        "zh": "，尽管它在训练数据上拟合得更好（L 为 {range}，对比 {L}）：过拟合"},
    "cli.story.layers.overfit_better": {
        "en": " though they fit the training days better (L {range} vs {L}): overfitting",
        "zh": "，尽管它们在训练数据上拟合得更好（L 为 {range}，对比 {L}）：过拟合"},
    "cli.story.layers.overfit_as_well_1": {
        "en": " though it fits the training days as well (L {range} vs {L}): overfitting",
        "zh": "，尽管它在训练数据上拟合得一样好（L 为 {range}，对比 {L}）：过拟合"},
    "cli.story.layers.overfit_as_well": {
        "en": " though they fit the training days as well (L {range} vs {L}): overfitting",
        "zh": "，尽管它们在训练数据上拟合得一样好（L 为 {range}，对比 {L}）：过拟合"},
    "cli.story.layers.overfit_one": {
        "en": ", and {model} fits the training days better (L {L} vs {Lb}): overfitting",
        "zh": "，而 {model} 在训练数据上拟合得更好（L 为 {L}，对比 {Lb}）：过拟合"},
    "cli.story.layers.optimization": {
        "en": "; {model} fits the training days worse than {prev} (L {L} vs {Lprev}): an optimization issue",
        "zh": "；{model} 在训练数据上反而比 {prev} 拟合得差（L 为 {L}，对比 {Lprev}）：优化问题"},

    # ------------------------------------------------------------ diagnose (report/diagnose.py)
    "cli.diag.title": {"en": "diagnosis of {source} ({split}; validation {scheme}; {loss} in views)",
                       "zh": "{source} 的诊断（{split}；验证 {scheme}；{loss}，单位为次）"},
    "cli.diag.col.train": {"en": "train", "zh": "训练"},
    "cli.diag.col.val": {"en": "validation", "zh": "验证"},
    "cli.diag.col.test": {"en": "test", "zh": "测试"},
    "cli.diag.references": {"en": "References (train/validation): {parts}.", "zh": "参照（训练/验证）：{parts}。"},
    "cli.diag.next": {"en": "  → {step}", "zh": "  → 下一步：{step}"},
    "cli.diag.gap.ends": {"en": "{a} for {lo} ({lo_params} parameters), {b} for {hi} ({hi_params})",
                          "zh": "{lo}（{lo_params} 个参数）为 {a}，{hi}（{hi_params} 个）为 {b}"},
    "cli.diag.gap.grows": {
        "en": "The train–validation gap grows with flexibility (Spearman ρ {rho} against the parameter count): {ends}.",
        "zh": "训练损失与验证损失之差随模型弹性增大（与参数个数的 Spearman ρ 为 {rho}）：{ends}。"},
    "cli.diag.gap.shrinks": {
        "en": "The train–validation gap shrinks with flexibility (Spearman ρ {rho} against the parameter count): {ends}.",
        "zh": "训练损失与验证损失之差随模型弹性缩小（与参数个数的 Spearman ρ 为 {rho}）：{ends}。"},
    "cli.diag.gap.tends_to_grow": {
        "en": "The train–validation gap tends to grow with flexibility (Spearman ρ {rho} against the parameter count), "
              "though not at the ends: {ends}.",
        "zh": "训练损失与验证损失之差大体随模型弹性增大（与参数个数的 Spearman ρ 为 {rho}），但两端并非如此：{ends}。"},
    "cli.diag.gap.tends_to_shrink": {
        "en": "The train–validation gap tends to shrink with flexibility (Spearman ρ {rho} against the parameter count), "
              "though not at the ends: {ends}.",
        "zh": "训练损失与验证损失之差大体随模型弹性缩小（与参数个数的 Spearman ρ 为 {rho}），但两端并非如此：{ends}。"},
    "cli.diag.gap.no_trend": {
        "en": "The train–validation gap shows no steady trend with flexibility (Spearman ρ {rho} against the parameter "
              "count): {ends}.",
        "zh": "训练损失与验证损失之差与模型弹性没有稳定的趋势（与参数个数的 Spearman ρ 为 {rho}）：{ends}。"},
    "cli.diag.shift.falls": {"en": "the mean falls from {a} to {b}", "zh": "均值从 {a} 降到 {b}"},
    "cli.diag.shift.rises": {"en": "the mean rises from {a} to {b}", "zh": "均值从 {a} 升到 {b}"},
    "cli.diag.shift.stays": {"en": "the mean stays at {a}", "zh": "均值保持在 {a}"},
    "cli.diag.shift.ks": {"en": "KS {ks}, block-permutation p = {p} with {days}-day blocks",
                          "zh": "KS {ks}，以 {days} 天为一块的块置换检验 p = {p}"},
    "cli.diag.shift.w": {"en": "Wasserstein {w} views, p = {p}", "zh": "Wasserstein 距离 {w} 次，p = {p}"},
    "cli.diag.shift.ks_name": {"en": "the KS test", "zh": "KS 检验"},
    "cli.diag.shift.w_name": {"en": "the Wasserstein distance", "zh": "Wasserstein 距离"},
    "cli.diag.shift.both": {"en": "The test period's views differ from the training period's ({ks}; {w}); {mean}.",
                            "zh": "测试期的观看次数与训练期的不同（{ks}；{w}）；{mean}。"},
    "cli.diag.shift.one": {
        "en": "The test period's views differ from the training period's by {yes} ({yes_numbers}) but not clearly by "
              "{no} ({no_numbers}); {mean}.",
        "zh": "按 {yes}，测试期的观看次数与训练期的不同（{yes_numbers}），按 {no}则不明显（{no_numbers}）；{mean}。"},
    "cli.diag.shift.none_1": {
        "en": "These tests do not show the test period's views to differ from the training period's ({ks}; {w}), "
              "though {mean}: with {blocks} test block they can miss a difference.",
        "zh": "这些检验没有显示测试期的观看次数与训练期的不同（{ks}；{w}），尽管{mean}：测试期只有 {blocks} 块，"
              "检验可能漏掉差异。"},
    "cli.diag.shift.none": {
        "en": "These tests do not show the test period's views to differ from the training period's ({ks}; {w}), "
              "though {mean}: with {blocks} test blocks they can miss a difference.",
        "zh": "这些检验没有显示测试期的观看次数与训练期的不同（{ks}；{w}），尽管{mean}：测试期只有 {blocks} 块，"
              "检验可能漏掉差异。"},
    "cli.diag.shift.none_same": {
        "en": "These tests do not show the test period's views to differ from the training period's ({ks}; {w}); {mean}.",
        "zh": "这些检验没有显示测试期的观看次数与训练期的不同（{ks}；{w}）；{mean}。"},
    "cli.diag.overall.shows": {"en": "Overall: validation would choose {model}, which shows {verdicts}",
                               "zh": "总体：验证会选出 {model}，其诊断为 {verdicts}"},
    "cli.diag.overall.passes": {"en": "Overall: validation would choose {model}, which passes the chapter-2 checks",
                                "zh": "总体：验证会选出 {model}，它通过了第 2 章的各项检查"},
    "cli.diag.overall.ok": {"en": " (ok, {confidence})", "zh": "（正常，{confidence}）"},
    "cli.diag.overall.shared": {
        "en": "; {n} of {total} models show a [bold]{verdict}[/] ({confidence}): the test days differ from the days "
              "validation saw",
        "zh": "；{total} 个模型中有 {n} 个出现[bold]{verdict}[/]（{confidence}）：测试数据与验证所见的数据不同"},
    "cli.diag.worst.title_all": {"en": "test days every model missed by more than {factor}× its validation MAE",
                                 "zh": "所有模型的误差都超过其验证误差 {factor} 倍的测试日"},
    "cli.diag.worst.title_judged": {
        "en": "test days every model without bias or an optimization issue missed by more than {factor}× its "
              "validation MAE",
        "zh": "所有没有模型偏差或优化问题的模型，误差都超过其验证误差 {factor} 倍的测试日"},
    "cli.diag.worst.caption": {
        "en": "predictions of the {k} best-validated of them; all {n} models' in the JSON output",
        "zh": "其中验证最好的 {k} 个模型的预测；全部 {n} 个模型的预测见 JSON 输出"},
    "cli.diag.worst.col.date": {"en": "date", "zh": "日期"},
    "cli.diag.worst.col.day": {"en": "day", "zh": "星期"},
    "cli.diag.worst.col.actual": {"en": "actual", "zh": "实际"},
    "cli.diag.worst.col.usual": {"en": "usual that weekday", "zh": "同星期 均值"},
    "cli.diag.worst.col.times": {"en": "× val MAE (min)", "zh": "× 验证 MAE（最小）"},
    "cli.diag.worst.none": {
        "en": "No test day was missed by every judged model by more than {factor}× its validation MAE.",
        "zh": "没有哪个测试日让所有参与判断的模型的误差都超过其验证误差的 {factor} 倍。"},
    "cli.diag.warn.random": {
        "en": "random validation: validation days are drawn at random, so the model sees days after them; "
              "for a time series this leaks the future: prefer holdout or timeseries",
        "zh": "随机验证：验证日是随机抽取的，模型会看到它们之后的日子；对时间序列来说这泄露了未来：请改用 holdout 或 timeseries"},

    # ------------------------------------------------------------ verdicts (diagnose/verdicts.py)
    "cli.verdict.optimization": {"en": "Optimization issue: {parts}.", "zh": "优化问题：{parts}。"},
    "cli.verdict.optimization.sep": {"en": "; ", "zh": "；"},
    "cli.verdict.diverged": {"en": "training diverged (the loss became infinite)", "zh": "训练发散了（损失变成无穷大）"},
    "cli.verdict.exact_gap": {
        "en": "gradient descent stopped {gap}% above the exact optimum of the same model (more than {limit}%)",
        "zh": "梯度下降停在比同一模型的精确最优解高 {gap}% 的地方（超过 {limit}%）"},
    "cli.verdict.contained": {
        "en": "it fits its training days worse ({L}) than {model} ({Lc}), a function it contains",
        "zh": "它在训练数据上的拟合（{L}）反而不如它所包含的函数 {model}（{Lc}）"},
    "cli.verdict.still_falling": {
        "en": "its training loss was still falling ({drop}% over the last 10% of updates)",
        "zh": "它的训练损失仍在下降（最后 10% 的更新中下降了 {drop}%）"},
    "cli.verdict.stalled": {
        "en": "its loss stopped falling while the gradient stayed large (η too large to settle)",
        "zh": "损失不再下降而梯度仍然很大（学习率 η 太大，停不下来）"},
    "cli.verdict.vanishing": {
        "en": "the first layer's gradient is {ratio}× smaller than the output layer's: vanishing gradients",
        "zh": "第一层的梯度比输出层的小 {ratio} 倍：梯度消失"},
    "cli.verdict.vanishing_sigmoid": {
        "en": "the first layer's gradient is {ratio}× smaller than the output layer's: vanishing gradients "
              "(sigmoids under plain gradient descent)",
        "zh": "第一层的梯度比输出层的小 {ratio} 倍：梯度消失（S型函数配普通梯度下降）"},
    "cli.verdict.model_bias": {
        "en": "Model bias: at best it fits the training days at {L}, while {model} predicts the held-out validation "
              "days at {val}: a better function exists and this model's function set lacks it.",
        "zh": "模型偏差：它在训练数据上最好也只能拟合到 {L}，而 {model} 在未参与训练的验证数据上的预测误差是 {val}："
              "存在更好的函数，而这个模型的函数集合里没有它。"},
    "cli.verdict.model_bias_contained": {
        "en": "Model bias: at best {contained}, a function it contains, fits the training days at {L}, while {model} "
              "predicts the held-out validation days at {val}: a better function exists and this model's function set "
              "lacks it.",
        "zh": "模型偏差：它所包含的最好的函数 {contained} 在训练数据上也只能拟合到 {L}，而 {model} 在未参与训练的验证数据上"
              "的预测误差是 {val}：存在更好的函数，而这个模型的函数集合里没有它。"},
    "cli.verdict.overfitting": {
        "en": "Overfitting: training loss {train} but validation loss {val} ({pct}% of the validation error is on days "
              "it did not see)",
        "zh": "过拟合：训练损失 {train}，验证损失却是 {val}（验证误差的 {pct}% 出现在它没见过的日子上）"},
    "cli.verdict.overfitting_simpler": {
        "en": "; {model}, which it contains, validates better ({val}): the extra flexibility hurts",
        "zh": "；它所包含的 {model} 验证损失更低（{val}）：多出来的弹性反而有害"},
    "cli.verdict.mismatch": {
        "en": "Mismatch: test loss {test} is {ratio}× the validation loss {val}, and the test errors are larger than "
              "the validation errors beyond chance (block-permutation p = {p} < {alpha}).",
        "zh": "不匹配：测试损失 {test} 是验证损失 {val} 的 {ratio} 倍，且测试误差大于验证误差并非偶然"
              "（块置换检验 p = {p} < {alpha}）。"},
    "cli.verdict.ok": {"en": "OK: training {train}, validation {val}, test {test}; none of the chapter-2 checks fired",
                       "zh": "正常：训练 {train}，验证 {val}，测试 {test}；第 2 章的各项检查都没有触发"},
    "cli.verdict.ok_not_mismatch": {
        "en": " — its test loss is {ratio}× its validation loss, but the test errors are not larger than the "
              "validation errors beyond chance (block-permutation p = {p} ≥ {alpha}), so no mismatch is claimed.",
        "zh": "——它的测试损失是验证损失的 {ratio} 倍，但测试误差大于验证误差可能只是偶然（块置换检验 p = {p} ≥ {alpha}），"
              "所以不判为不匹配。"},
    "cli.next.model_bias": {
        "en": "Make the model more flexible: give it more features (a longer window, more days of input) "
              "or more units and layers — the function set does not contain a good function.",
        "zh": "增加模型的弹性：给它更多特征（更长的窗口、输入更多天），或更多神经元和层——它的函数集合里没有好的函数。"},
    "cli.next.optimization": {
        "en": "The model contains a better function that gradient descent did not find: try another optimizer "
              "(Adam), another learning rate, normalized inputs, more updates, or a shallower (or residual) net; "
              "start from the simpler model's training loss.",
        "zh": "模型里有更好的函数，只是梯度下降没找到：换一个优化器（Adam）、换学习率、把输入标准化、增加更新次数，"
              "或用更浅（或带残差连接）的网络；以较简单模型的训练损失为起点。"},
    "cli.next.overfitting": {
        "en": "More training data, data augmentation, early stopping, weight decay, dropout, or a model with fewer "
              "parameters (more constraints) — and choose by validation, not by the test set.",
        "zh": "更多训练数据、数据增强、早停、权重衰减、丢弃法（dropout），或参数更少（限制更多）的模型——"
              "并且用验证来选模型，而不是用测试集。"},
    "cli.next.mismatch": {
        "en": "Look at the data: the test days differ from the training days (spikes, a level shift, a new regime); "
              "more training data or a more flexible model will not fix it.",
        "zh": "看看数据：测试数据与训练数据不同（突增、水平移动、新的规律）；更多训练数据或更有弹性的模型都解决不了。"},
    "cli.next.ok": {"en": "Nothing to fix here by the chapter-2 checks; compare it with the others by validation loss.",
                    "zh": "按第 2 章的检查这里没有要修的；用验证损失与其他模型比较。"},
}
