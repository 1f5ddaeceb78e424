"""The brief's own words (headings, captions, column names) in each language.

The catalogue is keyed by the English text itself, so a template reads as it
prints (``{{ t("Executive summary") }}``), English output is exactly the text in
the template, and a label with no Japanese yet falls back to English rather than
to an empty cell. tests/test_japanese.py checks that every label the built-in
templates use has its Japanese.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from briefgen.language.formatting import current_language

JA: dict[str, str] = {
    # Markdown variants (brief.md.j2, memo.md.j2)
    "Ranking": "順位",
    "Weighted total (of 100)": "加重合計（100点満点）",
    "Total (of 100)": "合計（100点満点）",
    "(recommended)": "（推奨）",
    "(baseline)": "（基準）",
    "{total} of 100": "{total}点（100点満点）",
    "range {range}": "範囲 {range}",
    "rank {rank} of {count}": "{count}件中{rank}位",
    "made with {generator}": "{generator} で作成",
    "Scores, rationale, method and sources: the full comparison brief, {file}.":
        "評点・根拠・手法・出典は比較文書の全文（{file}）を参照。",
    # cover and page
    "Skip to content": "本文へ移動",
    "Options brief": "政策オプション比較",
    "Decision memo": "決定メモ",
    "Date": "日付",
    "From": "作成",
    "For": "宛先",
    "Options": "選択肢",
    "Status": "状態",
    "version": "版",
    "compared on": "件を比較、評価基準",
    "criteria": "件",
    "made with": "作成ツール",
    "Contents": "目次",
    # sections
    "Bottom line": "結論",
    "Decision required": "求められる決定",
    "Executive summary": "要旨",
    "Objectives": "目標",
    "Context": "背景",
    "Criteria and weights": "評価基準と重み",
    "Comparison matrix": "比較表",
    "How robust is the ranking": "順位の頑健性",
    "Costs, timing and risks": "費用・時期・リスク",
    "What would have to be true": "順位が入れ替わる条件",
    "The options": "各選択肢",
    "Method note": "手法の説明",
    "Sources": "出典",
    "Annex: Options considered and set aside": "付録：検討の上で除外した選択肢",
    "Annex: What changed since the previous version": "付録：前版からの変更",
    "Decision record": "決定記録",
    # summary
    "Ranking at a glance: weighted total out of 100, higher is better":
        "順位の概観：加重合計（100点満点、高いほど良い）",
    "Rank": "順位",
    "Option": "選択肢",
    "Weighted total": "加重合計",
    "Recommendation": "推奨",
    "Recommended": "推奨",
    "Baseline": "基準",
    "baseline": "基準",
    "Dissent": "異論",
    "How firm the ranking is": "順位の確かさ",
    "How firm is the ranking?": "順位はどの程度確かか",
    "points": "点",
    "ranks first with": "が首位、",
    "On the weights below,": "下記の重みでは、",
    "tied with": "同点：",
    "the baseline,": "基準の",
    "ranks": "の順位は",
    "of": "中",
    "The scores support the recommendation; they do not make it.":
        "評点は推奨を裏付けるものであり、推奨そのものではない。",
    # criteria and matrix
    "What the options are compared on; weights are normalised to 100 %":
        "選択肢の比較に用いる評価基準（重みは合計100%に正規化）",
    "Criterion": "評価基準",
    "What it measures": "測る内容",
    "Scale": "尺度",
    "Weight": "重み",
    "Comparison matrix (scrolls sideways)": "比較表（横にスクロール）",
    "Options in rank order. Scores as given on each criterion's scale, with the weight below "
    "each criterion; † lower is better. The weighted total is out of 100":
        "選択肢は順位順。評点は各評価基準の尺度による値で、重みを基準名の下に示す。"
        "†は低いほど良い。加重合計は100点満点",
    "; small figures show the range from the scores' low and high ends":
        "。小さな数字は評点の下限・上限による幅",
    "tied": "同順位",
    "conflicts with": "両立しない：",
    "depends on": "前提：",
    "n/s: not scored; the option gets no points on that criterion (see its section for why).":
        "n/s：未評価。その評価基準では0点となる（理由は各選択肢の節を参照）。",
    "Interactions between options": "選択肢間の関係",
    # option section
    "range": "幅",
    "rank": "順位",
    "Short list": "候補の区分",
    "Lead": "担当",
    "Counterparts": "相手方",
    "Cost": "費用",
    "Timeline": "時期",
    "Actions": "実施事項",
    "Expected benefits": "期待される効果",
    "Risks (likelihood and impact on five-point scales)": "リスク（発生可能性と影響、5段階）",
    "Risk": "リスク",
    "Likelihood": "発生可能性",
    "Impact": "影響",
    "Mitigation": "緩和策",
    "Relations to other options": "他の選択肢との関係",
    "Depends on": "前提とする選択肢：",
    "Conflicts with": "両立しない選択肢：",
    "not compared here": "本比較の対象外",
    "Scores and rationale": "評点と根拠",
    "Score": "評点",
    "Points": "得点",
    "Rationale": "根拠",
    "No rationale given.": "根拠の記載なし。",
    "Not scored": "未評価",
    "high": "高",
    "medium": "中",
    "low": "低",
    # costs
    "Option or package": "選択肢またはパッケージ",
    "As given": "記載額",
    "as given": "記載のとおり",
    "Exchange rates used": "使用した為替レート",
    "Currency": "通貨",
    "Rate": "レート",
    "Source": "出典",
    "Time to effect": "効果発現までの期間",
    "Risks": "リスク",
    "Costs as given": "記載どおりの費用",
    # packages
    "Packages ranked with the single options": "パッケージと単独の選択肢の順位",
    "Members": "構成",
    "Combined cost": "合計費用",
    "Package": "パッケージ",
    # robustness
    "Score ranges": "評点の幅",
    "Weight sensitivity": "重みの感度",
    "Rank acceptability": "順位受容性",
    "Stability intervals of the weights (switching values)": "重みの安定区間（切替値）",
    "Takes over below": "下回ると首位になる選択肢",
    "Takes over above": "上回ると首位になる選択肢",
    "Smallest change": "最小の変化",
    "flag": "要注意",
    "Flagged": "要注意",
    "Share of weightings in which each option takes each rank": "各選択肢が各順位となる重みの割合",
    "Confidence factor": "信頼係数",
    "Rank acceptability (scrolls sideways)": "順位受容性（横にスクロール）",
    "Central weights (scrolls sideways)": "中心重み（横にスクロール）",
    "Central weights: the average weights under which each option ranks first (– : never first)":
        "中心重み：各選択肢が首位となる場合の平均の重み（–：首位とならない）",
    # sources and record
    "No sources cited.": "出典なし。",
    "Versions of this brief": "本資料の版",
    "Version": "版",
    "What changed": "変更内容",
    "Decided by": "決定者",
    "Revisit by": "見直し期限",
    "No date set": "期限なし",
    "Approved": "承認",
    "Approved with changes": "修正の上承認",
    "Disapproved": "不承認",
    "Discuss": "要協議",
    "Comments": "所見",
    "Name": "氏名",
    "Signature": "署名",
    "Objectives by option (scrolls sideways)": "選択肢別の目標達成（横にスクロール）",
    "Expected contribution of each option to each objective; options in rank order":
        "各選択肢の各目標への寄与の見込み（選択肢は順位順）",
    "Objective and threshold": "目標と基準",
    "Threshold": "基準",
    "Every objective is met by at least one option.":
        "すべての目標が少なくとも一つの選択肢で達成される。",
    "No option meets this objective": "この目標を達成する選択肢はない",
    "No option meets these objectives": "これらの目標を達成する選択肢はない",
    "Positions of ministries, agencies and other stakeholders": "関係府省庁・機関等の立場",
    "Stakeholder": "関係者",
    "Position": "立場",
    "Note": "備考",
    "These options were considered and are not ranked or scored in this brief.":
        "以下の選択肢は検討したが、本資料では評価・順位付けの対象としていない。",
    "Reason for setting it aside": "除外の理由",
    "Reproducing these figures": "数値の再現",
    "Analysis seed": "分析のシード値",
    "Question": "問い",
    "Top risks": "主なリスク",
    "Total": "合計",
    "Summary": "概要",
    # words the view model builds sentences from (briefgen.present.brief)
    "higher is better": "高いほど良い",
    "lower is better": "低いほど良い",
    "not scored": "未評価",
    "one-off": "一時",
    "a year": "毎年",
    "Draft": "草案",
    "Proposed": "提案",
    "Agreed": "合意",
    "Rejected": "却下",
    "rare": "まれ",
    "unlikely": "低い",
    "possible": "あり得る",
    "likely": "高い",
    "almost certain": "ほぼ確実",
    "minimal": "極小",
    "minor": "小",
    "moderate": "中",
    "major": "大",
    "severe": "甚大",
}

JA.update({
    "{options} compared on {criteria} criteria": "選択肢{options}件、評価基準{criteria}件",
    "version {version}": "第{version}版",
    "Sources:": "出典：",
    "Recommendation:": "推奨：",
    "Not scored:": "未評価：",
    "Threshold:": "基準：",
    "Recommended:": "推奨：",
    "From {author}": "作成：{author}",
    "For {audience}": "宛先：{audience}",
    "Scores, rationale, method and sources are in the full comparison brief, {file}.":
        "評点、根拠、手法、出典は比較資料 {file} に記載。",
    "Options in rank order; weighted total out of 100 on {criteria} criteria":
        "選択肢は順位順。加重合計は評価基準{criteria}件による100点満点",
    "The gravest risks across the options (likelihood × impact)":
        "全選択肢を通じて最も重大なリスク（発生可能性×影響）",
    "{total} / 100, rank {rank} of {count}": "{total}点／100点、{count}件中{rank}位",
    "{total} / 100 (range {range}), rank {rank} of {count}":
        "{total}点／100点（幅 {range}）、{count}件中{rank}位",
    "Versions of this brief; this is version {version}": "本資料の版（本版は第{version}版）",
    "For {audience}. Tick one box, sign and date; return to {author}.":
        "{audience}へ。いずれか一つに印を付け、署名と日付を記入の上、{author}に返送のこと。",
    "Costs as given": "記載どおりの費用",
    " and in {currency}": "と{currency}換算",
    ", with the total over {horizon} (per-year cost × years + one-off cost)":
        "、{horizon}の合計（年額×年数＋一時費用）",
    "In {currency}": "{currency}換算",
    "Over {horizon}": "{horizon}の合計",
    "made with {generator}": "作成ツール {generator}",
    " tied": " 同順位",
    "A package is scored on each criterion by the rule in the method note and ranked on the "
    "same weights as the single options; its cost is the sum of its members' costs.":
        "パッケージは評価基準ごとに手法の説明に記す規則で評点を与え、単独の選択肢と同じ重みで"
        "順位を付ける。費用は構成する選択肢の費用の合計である。",
    # briefgen.present.findings: how a package is scored on a criterion
    "best member": "最良の構成要素",
    "worst member": "最悪の構成要素",
    "members added, capped": "構成要素の合計（上限あり）",
})

JA.update({  # briefgen.present.charts: axes and legends
    "Weighted total (0–100); whiskers: every score at its low or high end":
        "加重合計（0～100）。ひげ：全評点を下限または上限とした場合",
    "Weight of the criterion (%); ◆ stated weight; orange: under 10 points from a change of "
    "leader": "評価基準の重み（%）。◆：記載の重み、橙：首位交代まで10ポイント未満",
    "Share of weightings (%) in which the option takes each rank":
        "各順位となる重み付けの割合（%）",
    "no timeline given": "時期の記載なし",
    "Months from the start of work until the effect is felt": "着手から効果発現までの月数",
})

JA.update({  # briefgen.present.record
    "For consultation": "意見照会中",
    "Final": "確定",
    "Decided": "決定済み",
    "Superseded": "改訂済み",
    "Business as usual": "現状維持",
    "Do minimum": "最小限の対応",
    "Supports": "賛成",
    "Opposes": "反対",
    "Neutral": "中立",
    "Meets": "達成",
    "Partly": "一部達成",
    "Does not meet": "未達成",
    "Not assessed": "評価なし",
    "Deferred": "保留",
})

JA.update({  # briefgen.output.docx: Word has no template, so its sentences are labels
    "Page {page} of {pages}": "{page} / {pages} ページ",
    "On the weights below, {leader} ranks first with {total} points; the baseline, "
    "{baseline}, ranks {rank} of {count}. The scores support the recommendation; they do "
    "not make it.": "下記の重みでは{leader}が{total}点で首位、基準の{baseline}は{count}件中"
                     "{rank}位。評点は推奨を裏付けるが、推奨を決めるものではない。",
    "The method note, with every formula and a worked example, is in the PDF and HTML of "
    "this brief, {file}.": "全ての計算式と計算例を含む手法の説明は、本資料のPDF版・HTML版（{file}）"
                           "にある。",
})

CATALOGUES: dict[str, dict[str, str]] = {"en": {}, "ja": JA}


def label(text: str, lang: str | None = None) -> str:
    """``text`` (English) in ``lang``, or in the language being presented; English when the
    catalogue has no entry."""
    return CATALOGUES.get(lang or current_language(), {}).get(text, text)


def t(text: object, **values: object) -> Markup:
    """The templates' ``t``: a label in the language being rendered, as markup, since it is
    briefgen's own text; anything that is not a label in the catalogue is escaped like any
    other value. Keyword arguments fill ``{name}`` places in the label, each escaped:
    ``t("version {version}", version=v)``. A template global, so imported macros have it;
    the language comes from ``formatting.use_language`` around the render."""
    if not isinstance(text, str):
        return escape(text)
    known = CATALOGUES.get(current_language(), {})
    if text in known:
        found = Markup(known[text])
    elif text in JA:  # an English label: trusted, as written in the template
        found = Markup(text)
    else:
        return escape(text)
    return found.format(**values) if values else found
