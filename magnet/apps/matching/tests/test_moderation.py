"""The discrimination detector: wording 就业促进法 and 妇女权益保障法 forbid is found and named by category;
the harmless phrases that look alike ("男女不限", "协助办理本市户口", "年满18周岁") are not."""

import pytest

from magnet.apps.matching.moderation import detect

POSITIVES = [
    ("限男性，能适应出差", "gender", "限男性"),
    ("仅限女性", "gender", "限女性"),
    ("男性优先", "gender", "男性优先"),
    ("女士优先考虑", "gender", "女士优先"),
    ("性别：男", "gender", "性别：男"),
    ("招男工3名", "gender", "招男工3名"),
    ("只招男生", "gender", "只招男生"),
    ("要求为女性", "gender", "要求为女性"),
    ("不招女性", "gender", "不招女性"),
    ("汉族，身体健康", "ethnicity", "汉族"),
    ("民族：汉", "ethnicity", "民族：汉"),
    ("少数民族勿扰", "ethnicity", "少数民族勿扰"),
    ("本地户口", "hukou", "本地户口"),
    ("本市户籍优先", "hukou", "本市户籍"),
    ("户籍：本市", "hukou", "户籍：本市"),
    ("本地人优先", "hukou", "本地人优先"),
    ("外地人勿扰", "hukou", "外地人勿扰"),
    ("河南人勿扰", "hukou", "河南人勿扰"),
    ("未婚", "marriage", "未婚"),
    ("已婚已育优先", "marriage", "已婚已育"),
    ("入职两年内不生育", "marriage", "两年内不生育"),
    ("要求单身", "marriage", "要求单身"),
    ("请注明婚育情况", "marriage", "婚育"),
    ("35岁以下", "age", "35岁以下"),
    ("年龄18-35周岁", "age", "年龄18-35周岁"),
    ("不超过40岁", "age", "不超过40岁"),
    ("90后优先", "age", "90后优先"),
    ("年满15周岁即可", "age", "年满15周岁"),
    ("年龄：年轻", "age", "年龄：年轻"),
    ("身高165cm以上", "appearance", "身高"),
    ("相貌端正", "appearance", "相貌"),
    ("五官端正", "appearance", "五官端正"),
    ("形象气质佳", "appearance", "形象气质佳"),
    ("乙肝携带者勿扰", "health", "乙肝"),
    ("不招残疾人", "health", "不招残疾人"),
    ("无宗教信仰", "religion", "无宗教信仰"),
]

NEGATIVES = [
    "男女不限",
    "性别不限",
    "不限男女",
    "性别：不限",
    "不限户籍",
    "户籍不限",
    "籍贯不限",
    "非本地户口也可",
    "协助办理本市户口",
    "可申请落户本市户籍",
    "年满18周岁",
    "年龄60岁以下",
    "年龄18-60周岁",
    "35岁以上",
    "不限年龄",
    "欢迎应届毕业生",
    "提供单身公寓",
    "汉语言文学专业",
    "女装设计经验",
    "男装品牌",
    "服务本地人才",
    "五险一金，生育保险",
    "身高体重不限",
    "乙肝携带者可",
    "熟悉后端开发",
    "2000年后成立",
    "3年以上工作经验",
    "工作满5年",
    "婚育不限",
    "各民族员工团结",
    "男女比例均衡",
    "2025年后投产",
]


@pytest.mark.parametrize(("text", "category", "words"), POSITIVES)
def test_discriminatory_wording_is_found_with_its_category(text, category, words):
    findings = detect(text)
    assert [(f.category, f.text) for f in findings] == [(category, words)]
    assert text[findings[0].start : findings[0].end] == words


@pytest.mark.parametrize("text", NEGATIVES)
def test_harmless_wording_is_not_flagged(text):
    assert detect(text) == []


def test_a_posting_with_several_problems_reports_each_once_in_order():
    text = "招聘焊工，限男性，35岁以下，本地户口优先，已婚已育，身高170以上。男女不限的岗位另见。"
    assert [f.category for f in detect(text)] == ["gender", "age", "hukou", "marriage", "appearance"]


def test_a_clean_realistic_posting_passes():
    text = (
        "负责船舶结构详细设计与生产设计出图，配合船级社审图。要求船舶与海洋工程相关专业本科及以上学历，"
        "熟练使用CAD，有3年以上工作经验者优先。五险一金，提供人才公寓，可协助申请本市人才政策。"
    )
    assert detect(text) == []
