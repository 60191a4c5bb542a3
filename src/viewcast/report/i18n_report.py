"""The report's and the figures' messages (`viewcast report`, `viewcast surface`'s picture), merged
into the one catalogue `i18n.MESSAGES`; kept in their own file so that i18n.py stays readable in one
sitting. Same rules as there: one key, one text per language, the same {fields} in each.
"""
from __future__ import annotations

# The error surface's picture (report/surface_fig.py), PNG and HTML alike.
FIGURE: dict[str, dict[str, str]] = {
    "fig.surface.title3d": {"en": "{loss} error surface of linear:1", "zh": "linear:1 的{loss}误差表面"},
    "fig.surface.contours": {"en": "{loss}: contours and gradient descent from ({w}, {b})",
                             "zh": "{loss}：等高线与从 ({w}, {b}) 出发的梯度下降"},
    "fig.surface.steps": {"en": "the learning rate η is a hyperparameter", "zh": "学习率 η 是超参数"},
    "fig.surface.w": {"en": "w", "zh": "权重 w"},
    "fig.surface.b_views": {"en": "b (views)", "zh": "偏置 b（次）"},
    "fig.surface.w_std": {"en": "w (standard units)", "zh": "权重 w（标准化单位）"},
    "fig.surface.b_std": {"en": "b (standard units)", "zh": "偏置 b（标准化单位）"},
    "fig.surface.lr": {"en": "η={lr}: {status}", "zh": "学习率 η={lr}：{status}"},
    "fig.surface.lr_std": {"en": "η={lr} (standard units): {status}", "zh": "η={lr}（标准化单位）：{status}"},
    "fig.surface.outcome.within": {"en": "within 1% at update {t}", "zh": "第 {t} 次更新到达最优解的 1% 以内"},
    "fig.surface.outcome.diverged": {"en": "diverged at update {t}", "zh": "第 {t} 次更新时发散"},
    "fig.surface.outcome.oscillates": {"en": "oscillates, never within 1%", "zh": "来回振荡，始终未到 1% 以内"},
    "fig.surface.outcome.too_slow": {"en": "too slow, never within 1%", "zh": "太慢，始终未到 1% 以内"},
    "fig.surface.exact": {"en": "exact optimum w*={w}, b*={b}, L={L}", "zh": "精确最优解 w*={w}，b*={b}，L={L}"},
    "fig.surface.grid_min": {"en": "grid minimum", "zh": "网格上的最小值"},
    "fig.surface.book": {"en": "the book's (0.97, 0.1k)", "zh": "书中的 (0.97, 0.1k)"},
    "fig.surface.optimum": {"en": "exact optimum", "zh": "精确最优解"},
    "fig.surface.within": {"en": "optimum + 1%", "zh": "最优解 + 1%"},
    "fig.surface.update": {"en": "update", "zh": "更新次数"},
    "fig.surface.colorbar": {"en": "L ({unit}); levels at quantiles", "zh": "L（{unit}）；等高线取分位数"},
    "fig.surface.html_title": {"en": "viewcast surface — hover shows w, b, L; drag the 3-D plot to rotate",
                               "zh": "viewcast 误差表面——悬停显示 w、b、L；拖动三维图可旋转"},
}

# `viewcast report` (report/page.py, sections*.py, charts.py).
REPORT: dict[str, dict[str, str]] = {
    "report.title": {"en": "viewcast report: {name}", "zh": "viewcast 报告：{name}"},
    "report.subtitle": {
        "en": "Chapters 1–2 of Hung-yi Lee's Deep Learning Tutorial on this series: {parts} of {total} parts. "
              "MAE in views per day unless said otherwise.",
        "zh": "在这组数据上重走李宏毅《深度学习教程》第 1–2 章：共 {total} 部分，本页包含 {parts} 部分。"
              "除特别说明外，损失均为平均绝对误差，单位为每天的观看次数。"},
    "report.weekdays": {"en": "Mon,Tue,Wed,Thu,Fri,Sat,Sun", "zh": "周一,周二,周三,周四,周五,周六,周日"},
    "report.part.series": {"en": "The series", "zh": "数据"},
    "report.part.steps": {"en": "The three steps of machine learning", "zh": "机器学习的三个步骤"},
    "report.part.ladder": {"en": "The ladder of models: tables A, B, C", "zh": "模型的阶梯：表 A、B、C"},
    "report.part.predictions": {"en": "Predictions on the test days", "zh": "测试数据上的预测"},
    "report.part.surface": {"en": "The error surface and gradient descent", "zh": "误差表面与梯度下降"},
    "report.part.curves": {"en": "Learning and validation curves", "zh": "学习曲线与验证曲线"},
    "report.part.diagnosis": {"en": "Chapter 2: why is a model bad?", "zh": "第 2 章：模型为什么不好？"},
    "report.part.forecast": {"en": "The forecast of the next days", "zh": "未来几天的预测"},
    "report.part.rungs": {"en": "Rungs of the ladder", "zh": "阶梯上的部分模型"},
    "report.left.title": {"en": "Left out of this page, and why", "zh": "本页未包含的内容及原因"},
    "report.left.item": {"en": "{part}: {why}", "zh": "“{part}”部分：{why}"},
    "report.left.window": {
        "en": "{models} left out: the training period has {have} days, and the shortest of their windows needs at "
              "least {need} (its days of input, then enough training days to fit a linear model on them twice over).",
        "zh": "未包含 {models}：训练期只有 {have} 天，而其中输入最短的模型也至少需要 {need} 天"
              "（输入的天数，再加上足以把其线性模型拟合两遍的训练天数）。"},
    "report.left.error": {"en": "left out; the library says: {detail}", "zh": "未包含；程序给出的原因：{detail}"},
    "report.left.needs": {"en": "left out, because {part} is.", "zh": "未包含，因为“{part}”未包含。"},
    "report.series.summary": {
        "en": "{name}: {n} days from {start} to {end}; on average {mean} views a day (lowest {min}, highest {max}).",
        "zh": "{name}：从 {start} 到 {end} 共 {n} 天；平均每天 {mean} 次观看（最少 {min}，最多 {max}）。"},
    "report.series.split": {
        "en": "The models learn from the training days {train} (their loss is L) and are scored on the test days "
              "{test} (L′), which they never see while training.",
        "zh": "模型从训练数据 {train} 中学习（其损失记为 L），在训练时从未见过的测试数据 {test} 上评分（L′）。"},
    "report.series.weekday": {
        "en": "By weekday: on the training days {low} is the lowest on average ({lowv}) and {high} the highest "
              "({highv}), {pct}% apart. The book's channel has a weekly cycle: Fridays and Saturdays are low.",
        "zh": "按星期几：训练数据中平均最低的是{low}（{lowv}），最高的是{high}（{highv}），相差 {pct}%。"
              "书中的频道有每周的周期：周五和周六较低。"},
    "report.steps.intro": {
        "en": "Machine learning is finding a function. Here the function predicts tomorrow's views from the previous "
              "days' views, found in three steps:",
        "zh": "机器学习就是找一个函数。这里的函数由前几天的观看次数预测明天的观看次数，分三个步骤找出来："},
    "report.steps.1": {
        "en": "A function with unknown parameters (the model): x₁ is yesterday's views (the feature), w the weight "
              "and b the bias.",
        "zh": "写出带有未知参数的函数（模型）：x₁ 是前一天的观看次数（特征），w 是权重，b 是偏置。"},
    "report.steps.2": {
        "en": "A loss from the training data: how far the predictions ŷ are from the true views y, averaged over "
              "the N training days.",
        "zh": "从训练数据定义损失：预测值 ŷ 与真实观看次数 y 相差多少，在 N 个训练日上取平均。"},
    "report.steps.3": {
        "en": "Optimization: the parameters θ* = (w*, b*) with the lowest loss, found by gradient descent with "
              "the learning rate η (a hyperparameter).",
        "zh": "最优化：找出损失最低的参数 θ* = (w*, b*)，方法是梯度下降，学习率 η 是超参数。"},
    "report.steps.numbers": {
        "en": "On {name}, the exact optimum of the MAE is w* = {w}, b* = {b}, L = {L} views a day; the book's channel "
              "had w* ≈ {bw}, b* ≈ {bb}, L = {bL}.",
        "zh": "在 {name} 上，平均绝对误差的精确最优解是 w* = {w}、b* = {b}，L = 每天 {L} 次；"
              "书中的频道是 w* ≈ {bw}、b* ≈ {bb}，L = {bL}。"},
    "report.ladder.intro": {
        "en": "Climbing the book's ladder: more days of input (table A), then sums of sigmoids, hard sigmoids and "
              "ReLUs — piecewise-linear curves that can bend where a line cannot (table B), then layers of them "
              "(table C). Every model is trained once on the training days.",
        "zh": "沿着书中的阶梯往上爬：先输入更多天（表 A），再用 Sigmoid、硬S型函数和 ReLU 之和——"
              "能在直线弯不了的地方弯折的分段线性曲线（表 B），然后把它们叠成多层（表 C）。每个模型都只在训练数据上训练一次。"},
    "report.ladder.layers": {
        "en": "Deeper: the outputs of one layer of ReLUs are the inputs of the next (relu:k×H×layers).",
        "zh": "更深：一层 ReLU 的输出作为下一层的输入（relu:k×H×层数）。"},
    "report.ladder.days": {
        "en": "Linear models: from {first} to {last}, L goes {L0} → {L1} and L′ {Lp0} → {Lp1}.",
        "zh": "线性模型：从 {first} 到 {last}，L 由 {L0} 变为 {L1}，L′ 由 {Lp0} 变为 {Lp1}。"},
    "report.ladder.best": {
        "en": "Lowest training loss: {mL} (L = {L}); lowest test loss: {mLp} (L′ = {Lp}). The test days are used "
              "here only to compare with the book; chapter 2 chooses a model by validation.",
        "zh": "训练损失最低的是 {mL}（L = {L}）；测试损失最低的是 {mLp}（L′ = {Lp}）。"
              "这里用测试数据只是为了与书中对照；第 2 章用验证来选模型。"},
    "report.ladder.book": {
        "en": "The book's numbers are for its private channel (thousands of views there, shown here in views): "
              "compare the pattern, not the values.",
        "zh": "书中的数字来自其未公开的频道（原书以千次为单位，这里换算成次）：可比的是趋势，而不是数值本身。"},
    "report.table.A": {"en": "A: linear, more days of input", "zh": "表 A：线性模型，输入更多天"},
    "report.table.B": {"en": "B: 56 days, more units", "zh": "表 B：56 天输入，更多神经元"},
    "report.table.C": {"en": "C: 100 ReLUs, more layers", "zh": "表 C：100 个 ReLU，更多层"},
    "report.col.params": {"en": "parameters", "zh": "参数个数"},
    "report.col.book_L": {"en": "book's L", "zh": "书中 L"},
    "report.col.book_Lp": {"en": "book's L′", "zh": "书中 L′"},
    "report.col.verdict": {"en": "verdict (confidence)", "zh": "诊断（置信度）"},
    "report.col.date": {"en": "date", "zh": "日期"},
    "report.col.weekday": {"en": "day", "zh": "星期"},
    "report.col.actual": {"en": "actual", "zh": "实际"},
    "report.col.usual": {"en": "usual that weekday", "zh": "该星期几的常见值"},
    "report.col.pred_of": {"en": "{model} predicted", "zh": "{model} 的预测"},
    "report.col.times_val": {"en": "× validation MAE (min)", "zh": "相当于验证误差的倍数（最小）"},
    "report.col.forecast": {"en": "forecast (views)", "zh": "预测（次）"},
    "report.col.interval": {"en": "{level}% interval", "zh": "{level}% 区间"},
    "report.pred.intro": {
        "en": "The truth (blue) and the predictions (red) on the {n} test days, for {models}.",
        "zh": "{n} 个测试日上的真实值（蓝）与预测值（红），模型为 {models}。"},
    "report.pred.lag": {
        "en": "linear:1 predicts tomorrow from today, so its red curve trails the blue one by a day: its predictions "
              "correlate {before} with the previous day's views and {same} with the day's own.",
        "zh": "linear:1 用今天预测明天，所以红色曲线比蓝色曲线晚一天：它的预测与前一天观看次数的相关系数为 {before}，"
              "与当天的只有 {same}。"},
    "report.pred.no_net": {"en": "No network is shown: none was trained and validated on this series.",
                           "zh": "没有显示神经网络：这组数据上没有训练并验证过的网络。"},
    "report.surface.intro": {
        "en": "L(b, w) of the one-day model y = b + w·x₁ over a grid of w and b, in views, with gradient descent "
              "from (0, 0) for three learning rates η: one too small, one that reaches the minimum, one too large.",
        "zh": "一天模型 y = b + w·x₁ 的损失 L(b, w) 在 w、b 网格上的取值（以次为单位），以及从 (0, 0) 出发、"
              "用三种学习率 η 的梯度下降：一个太小，一个能到达最低点，一个太大。"},
    "report.surface.exact": {"en": "{loss}: exact optimum w* = {w}, b* = {b}, L = {L}.",
                             "zh": "{loss}：精确最优解 w* = {w}，b* = {b}，L = {L}。"},
    "report.surface.path": {"en": "{loss}, η = {lr}, {steps} updates: {status}.",
                            "zh": "{loss}，η = {lr}，{steps} 次更新：{status}。"},
    "report.surface.within": {"en": "reaches within 1% of the optimum's loss at update {t}",
                              "zh": "第 {t} 次更新时到达最优解损失的 1% 以内"},
    "report.surface.diverged": {"en": "too large: diverges at update {t}", "zh": "太大：第 {t} 次更新时发散"},
    "report.surface.oscillates": {"en": "too large: oscillates across the valley, {gap} above the optimum at the end",
                                  "zh": "太大：在山谷两侧来回跳，最后仍比最优解高 {gap}"},
    "report.surface.too_slow": {"en": "too small: still {gap} above the optimum at the end",
                                "zh": "太小：最后仍比最优解高 {gap}"},
    "report.surface.standard": {
        "en": "Gradient descent steps in standard units, (views − mean) / std of the training days, and is drawn in "
              "views: in raw views the MSE bowl is {cond} times longer than wide, and no η reaches the minimum in "
              "these few updates (viewcast surface --lr runs plain gradient descent on raw views).",
        "zh": "梯度下降在标准化单位上进行，即（观看次数 − 均值）/ 标准差（取自训练数据），画在以次为单位的图上："
              "若用原始观看次数，均方误差的碗长宽之比达 {cond} 倍，任何学习率都无法在这么少的更新内到达最低点"
              "（viewcast surface --lr 可在原始观看次数上运行普通梯度下降）。"},
    "report.curves.learning": {
        "en": "Training and validation loss after each update for {models}; the validation days are held out of the "
              "training days ({scheme}).",
        "zh": "{models} 每次更新后的训练损失与验证损失；验证数据取自训练数据且不参与训练（{scheme}）。"},
    "report.curves.validation": {
        "en": "Across the ladder: validation prefers {best} (validation loss {val}). The gap between validation and "
              "training loss is {gap0} for the smallest model, {small}, and {gap1} for the largest, {big}.",
        "zh": "整个阶梯上：验证损失最低的是 {best}（{val}）。验证损失与训练损失之差，最小的模型 {small} 为 {gap0}，"
              "最大的模型 {big} 为 {gap1}。"},
    "report.diag.intro": {
        "en": "Each model trained on the training days less a validation part ({scheme}), then judged by chapter 2's "
              "rules from its training, validation and test losses: model bias, optimization issue, overfitting or "
              "mismatch.",
        "zh": "每个模型在扣除验证部分（{scheme}）的训练数据上训练，再按第 2 章的规则，根据训练、验证和测试损失诊断："
              "模型偏差、优化问题、过拟合还是不匹配。"},
    "report.diag.caption": {"en": "{loss} in views per day", "zh": "{loss}，单位为每天的观看次数"},
    "report.diag.overall": {"en": "The model validation would choose, {model}: {verdicts}.",
                            "zh": "验证会选出的模型 {model}：{verdicts}。"},
    "report.diag.next": {"en": "{verdict} ({models}) → {step}", "zh": "{verdict}（{models}）→ 下一步：{step}"},
    "report.verdict.ok": {"en": "ok", "zh": "正常"},
    "report.next.model_bias": {
        "en": "make the model more flexible: more days of input, more units, more layers.",
        "zh": "增加模型的弹性：输入更多天、更多神经元、更多层。"},
    "report.next.optimization": {
        "en": "the optimization fell short (a bigger model fits the training days worse than one it contains): "
              "another optimizer, learning rate or more updates.",
        "zh": "优化没做好（较大的模型在训练数据上反而不如它所包含的较小模型）：换优化器、调学习率或增加更新次数。"},
    "report.next.overfitting": {
        "en": "more training data or data augmentation, a less flexible model, early stopping, regularization, dropout.",
        "zh": "更多训练数据或数据增强、降低模型弹性、早停、正则化、丢弃法（dropout）。"},
    "report.next.mismatch": {
        "en": "the test days differ from the training days: a better model does not help; know the data.",
        "zh": "测试数据与训练数据的分布不同：换更好的模型也无济于事，需要了解数据本身。"},
    "report.diag.worst": {
        "en": "Test days that all {models} judged models missed by more than {factor}× their validation error ({n}; "
              "the book's 2021-02-26: a Friday, usually low, was the year's highest day):",
        "zh": "以下 {n} 个测试日，所有 {models} 个参与判断的模型的误差都超过其验证误差的 {factor} 倍"
              "（如书中的 2021-02-26：一个通常较低的周五，却是当年观看最多的一天）："},
    "report.diag.no_worst": {"en": "No test day was missed by every judged model by more than {factor}× its validation error.",
                             "zh": "没有哪个测试日让所有参与判断的模型的误差都超过其验证误差的 {factor} 倍。"},
    "report.fc.intro": {
        "en": "The next {days} days after {end}: {model}, chosen among {n} candidates by validation on the most recent "
              "days ({scheme}, validation MAE {val}), then refit on every day of the series ({updates} updates).",
        "zh": "{end} 之后 {days} 天的预测：模型 {model}，在 {n} 个候选中按最近几天的验证（{scheme}，验证误差 {val}）选出，"
              "再用整组数据的所有天重新训练（{updates} 次更新）。"},
    "report.fc.intro_mean": {
        "en": "The next {days} days after {end}: the mean of {model}, which validation on the most recent days "
              "({scheme}) could not tell apart among {n} candidates (validation MAE of the best {val}); each refit "
              "on every day of the series ({updates} updates, {members} members each).",
        "zh": "{end} 之后 {days} 天的预测：{model} 的平均——在 {n} 个候选中，最近几天的验证（{scheme}）分不出它们的高下"
              "（最好者的验证误差 {val}）；每个都用整组数据的所有天重新训练（{updates} 次更新，各 {members} 个成员）。"},
    "report.fc.intro_weighted": {
        "en": "The next {days} days after {end}: a weighted mean of {model}. Of the {n} candidates, one that "
              "validation on the most recent days ({scheme}) finds worse than the best (validation MAE {val}) weighs "
              "less; one weighing under 1% of the best is left out. Each is refit on every day of the series "
              "({updates} updates, {members} members each).",
        "zh": "{end} 之后 {days} 天的预测：{model} 的加权平均。{n} 个候选中，最近几天的验证（{scheme}）认为"
              "不如最好者（验证误差 {val}）的候选权重较小；权重不足最好者 1% 的不计入。每个都用整组数据的所有天"
              "重新训练（{updates} 次更新，各 {members} 个成员）。"},
    "report.fc.intervals": {
        "en": "Intervals: split conformal, from rolling-origin forecasts over the last {days} days ({refits} refits), "
              "on the {scale}.",
        "zh": "区间：分割共形预测，由最近 {days} 天的滚动起点预测（{refits} 次重新训练）校准，在{scale}上计算。"},
    "report.fc.log": {"en": "log scale", "zh": "对数尺度"},
    "report.fc.views": {"en": "scale of views", "zh": "观看次数尺度"},
    "report.fig.series_title": {"en": "The series", "zh": "数据"},
    "report.fig.series": {"en": "{name}: views per day", "zh": "{name}：每天的观看次数"},
    "report.fig.train_start": {"en": "training starts", "zh": "训练数据开始"},
    "report.fig.test_start": {"en": "test starts", "zh": "测试数据开始"},
    "report.fig.weekday_title": {"en": "The weekly cycle", "zh": "每周的周期"},
    "report.fig.weekday": {"en": "mean views by weekday (training days)", "zh": "按星期几的平均观看次数（训练数据）"},
    "report.fig.mean_views": {"en": "mean views", "zh": "平均观看次数"},
    "report.fig.ladder_title": {"en": "The ladder beside the book: L and L′ (MAE, views)",
                                "zh": "阶梯与书中对照：L 与 L′（平均绝对误差，次）"},
    "report.fig.book_L": {"en": "book's L", "zh": "书中 L"},
    "report.fig.book_Lp": {"en": "book's L′", "zh": "书中 L′"},
    "report.fig.pred_title": {"en": "Predictions (red) against the truth (blue) on the test days",
                              "zh": "测试数据上的预测（红）与真实值（蓝）"},
    "report.fig.pred_panel": {"en": "{model}: L′ = {Lp}", "zh": "{model}：测试损失 L′ = {Lp}"},
    "report.fig.truth": {"en": "truth", "zh": "真实值"},
    "report.fig.prediction": {"en": "prediction", "zh": "预测值"},
    "report.fig.prediction_of": {"en": "{model}'s prediction", "zh": "{model} 的预测"},
    "report.fig.learning_title": {"en": "Learning curves: loss after each update",
                                  "zh": "学习曲线：每次更新后的损失"},
    "report.fig.validation_title": {"en": "Validation curve across the ladder", "zh": "整个阶梯上的验证曲线"},
    "report.fig.validation": {"en": "training, validation and test loss by model", "zh": "各模型的训练、验证与测试损失"},
    "report.fig.worst_title": {"en": "The days every model missed", "zh": "所有模型都预测失误的日子"},
    "report.fig.chosen_title": {"en": "The test days and the model validation would choose",
                                "zh": "测试数据与验证会选出的模型"},
    "report.fig.worst_panel": {"en": "test days", "zh": "测试数据"},
    "report.fig.worst": {"en": "missed by every model", "zh": "所有模型都失误"},
    "report.fig.forecast_title": {"en": "The forecast with its intervals", "zh": "预测及其区间"},
    "report.fig.forecast_panel": {"en": "{model}, trained through {end}", "zh": "{model}，训练至 {end}"},
    "report.fig.history": {"en": "views (history)", "zh": "观看次数（历史）"},
    "report.fig.interval": {"en": "{level}% interval", "zh": "{level}% 区间"},
    "report.fig.forecast": {"en": "forecast", "zh": "预测"},
    "report.axis.views_per_day": {"en": "views per day", "zh": "每天观看次数"},
    "report.axis.mae": {"en": "MAE (views)", "zh": "平均绝对误差（次）"},
    "report.axis.update": {"en": "update", "zh": "更新次数"},
    "report.png.no_cjk_font": {
        "en": "no font with Chinese glyphs was found for the PNGs (install fonts-noto-cjk or fonts-wqy-microhei)",
        "zh": "没有找到含中文字形的字体来绘制 PNG（请安装 fonts-noto-cjk 或 fonts-wqy-microhei）"},
    "report.written": {
        "en": "wrote {file} ({mb} MB; {parts} of {total} parts; {png} PNG files) in {seconds} s; open it in a browser, offline",
        "zh": "已写入 {file}（{mb} MB；{total} 部分中的 {parts} 部分；{png} 个 PNG 文件），用时 {seconds} 秒；可离线用浏览器打开"},
    "report.index.title": {"en": "viewcast reports: {n} series", "zh": "viewcast 报告：{n} 组数据"},
    "report.index.intro": {"en": "One page per series; each opens offline.", "zh": "每组数据一页，均可离线打开。"},
    "report.index.series": {"en": "series", "zh": "数据"},
    "report.index.days": {"en": "days", "zh": "天数"},
    "report.index.parts": {"en": "parts", "zh": "部分"},
    "report.index.tomorrow": {"en": "next day's forecast", "zh": "下一天的预测"},
    "report.index.skipped": {"en": "Skipped: {name}: {why}", "zh": "已跳过：{name}：{why}"},
    "report.index.written": {
        "en": "wrote {n} pages and {file} in {seconds} s ({skipped} series skipped); open the index in a browser, offline",
        "zh": "已写入 {n} 个页面和 {file}，用时 {seconds} 秒（跳过 {skipped} 组数据）；可离线用浏览器打开索引页"},
    "report.footer": {
        "en": "Made by viewcast {version} in {seconds} s. One file: plotly.js is inside it, so it opens offline.",
        "zh": "由 viewcast {version} 生成，用时 {seconds} 秒。单个文件：已内嵌 plotly.js，离线即可打开。"},
}
