"""Hand-written news texts and an Article factory for the archive, dedupe and pipeline tests.

The texts are written for these tests in the style of regional portals (lengths of
real articles: 600-1,000 characters), not taken from any site.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from newsarchive.dedupe import content_hash, simhash
from newsarchive.items import Article

if TYPE_CHECKING:
    from newsarchive.archive import Archive

# Boilerplate a CMS template puts around every article of a site.
TEMPLATE_HEAD = ("本网讯",)
TEMPLATE_TAIL = (
    "欢迎扫描下方二维码关注“科尔沁融媒”微信公众号，获取更多本地新闻资讯。",
    "本网站所刊登的各种新闻、信息和各种专题专栏资料，均为本网版权所有，未经协议授权，禁止下载使用。",
    "联系电话：0475-8221234 邮箱：krqnews@163.com 地址：通辽市科尔沁区和平路66号",
)

TEXTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "renovation": (
        "科尔沁区今年完成老旧小区改造128个 惠及居民1.3万户",
        (
            (
                "11月4日，记者从科尔沁区住房和城乡建设局获悉，今年以来，该区持续推进城镇老旧小区改造工程，"
                "共完成改造小区128个，涉及楼栋412栋，惠及居民1.3万户，总投资约4.6亿元。"
            ),
            (
                "在明仁街道福康小区，记者看到，新铺设的沥青路面平整宽阔，楼体外墙加装了保温层，"
                "单元门口设置了无障碍坡道，小区内还新建了健身广场和电动自行车充电棚。"
            ),
            (
                "“以前一到冬天屋里就冷，墙角还返潮，现在外墙保温做好了，室温能达到二十二三度。”"
                "居民王秀兰老人告诉记者，改造前，施工方挨家挨户征求意见，大家提出的问题基本都解决了。"
            ),
            (
                "据了解，今年的改造工作坚持“先地下、后地上”的原则，优先解决供水、供热、燃气等管网老化问题，"
                "累计更换各类管网86公里，改造供热入户管线9200余户，有效减少了跑冒滴漏现象。"
            ),
            (
                "为保证工程质量，科尔沁区建立了区、街道、社区三级监督机制，聘请居民代表担任义务监督员，"
                "对施工进度和材料质量进行全程监督，发现问题第一时间整改。"
            ),
            (
                "区住建局相关负责人表示，下一步将总结今年改造经验，探索引入社会资本参与小区运营管理，"
                "同步完善物业服务，推动老旧小区从“一时新”向“长久新”转变。"
            ),
            "据悉，明年科尔沁区计划再改造老旧小区96个，目前已完成项目摸底和初步设计，将于明年4月陆续开工。",
            "改造过程中，各街道还同步开展了“美好环境与幸福生活共同缔造”活动，组织居民参与方案讨论、施工监督和后期管护，不少小区成立了居民自治小组，定期清理楼道杂物、维护公共绿地。",
            "居民们纷纷表示，小区变美了，邻里之间的关系也更近了，大家都愿意一起把自己的家园维护好。",
        ),
    ),
    "harvest": (
        "开鲁县玉米喜获丰收 秋收进度已达九成",
        (
            (
                "眼下正值秋收关键时期，在开鲁县东风镇的万亩玉米种植基地，大型收割机来回穿梭，"
                "脱粒、装车一气呵成，到处是一派繁忙的丰收景象。"
            ),
            (
                "“今年雨水好，加上用了新品种和滴灌技术，亩产能达到1800斤左右，比去年多了两百来斤。”"
                "种植大户李振国一边查看刚刚脱下的玉米粒，一边笑着说。他今年流转土地600亩，全部种植玉米。"
            ),
            (
                "据开鲁县农牧局统计，全县今年玉米播种面积达到210万亩，预计总产量可达36亿斤。"
                "截至目前，全县秋收进度已达九成，预计11月中旬全面完成秋收工作。"
            ),
            (
                "为确保颗粒归仓，开鲁县组织农机合作社开展跨区作业服务，投入各类收获机械4300余台，"
                "同时开通农机作业绿色通道，协调解决燃油供应和机械维修等问题。"
            ),
            (
                "在粮食收购方面，县里引导各收购企业敞开收购，合理定价，并加强对收购市场的监督检查，"
                "严厉打击压级压价、短斤少两等坑农害农行为，切实保护种粮农民利益。"
            ),
            (
                "开鲁县农牧局副局长张海军介绍，下一步将抓紧做好秸秆综合利用和秋翻整地工作，"
                "为明年春耕生产打好基础，持续推动粮食生产稳定增长。"
            ),
            "在东风镇的粮食烘干塔前，前来售粮的车辆排起了长队。烘干企业负责人介绍，今年新增了两座烘干塔，日处理能力达到1200吨，基本满足周边农户的烘干需求，农户卖粮不用再等。",
            "近年来，开鲁县大力推广玉米密植高产精准调控技术，建设高标准农田示范区，通过良种良法配套、农机农艺融合，带动全县玉米单产稳步提高，农民种粮收益持续增加。",
            "不少种植户已经开始盘算明年的打算。李振国说，明年准备再多流转一些土地，试种大豆玉米带状复合种植。",
        ),
    ),
    "school": (
        "通辽市第五中学新教学楼投入使用 新增学位1200个",
        (
            (
                "11月1日，通辽市第五中学新建教学楼正式投入使用，全校2000余名师生搬进了宽敞明亮的新教室。"
                "新教学楼的启用，将为学校新增学位1200个，有效缓解城区学位紧张的状况。"
            ),
            (
                "新教学楼建筑面积1.8万平方米，共五层，设有普通教室48间，物理、化学、生物实验室各4间，"
                "另有图书阅览室、音乐教室、美术教室和心理咨询室等功能用房。"
            ),
            (
                "记者在新教室里看到，每间教室都配备了智慧黑板、护眼灯和新风系统，课桌椅可根据学生身高调节。"
                "初二学生刘思雨说：“新教室特别亮，上课的时候感觉精神都好了很多。”"
            ),
            (
                "据介绍，该项目于去年5月开工建设，总投资9800万元，被列为市级重点民生工程。"
                "施工期间，建设单位合理安排工期，确保了新学期按时交付使用。"
            ),
            (
                "学校校长陈建华表示，学校将以新教学楼投入使用为契机，进一步推进课堂教学改革，"
                "加强信息技术与学科教学的深度融合，努力办好人民满意的教育。"
            ),
            "据了解，近三年来，通辽市累计投入资金5.2亿元，新建、改扩建中小学校21所，新增学位1.1万个，城区“大班额”问题得到有效化解，义务教育阶段学校办学条件全面达标。",
            "为保障学生安全，新教学楼的每个楼层都设置了两部疏散楼梯，走廊和楼梯间安装了应急照明和监控设备，学校还组织师生开展了消防疏散演练，确保每名学生熟悉逃生路线。",
            "家长们对学校的新变化也十分满意。学生家长孙立国说，孩子回家后一直说新教室好，学习劲头也足了。",
        ),
    ),
    "festival": (
        "第三届科尔沁文化旅游节开幕 为期十天活动精彩纷呈",
        (
            (
                "10月28日晚，第三届科尔沁文化旅游节在孝庄河畔开幕。开幕式以“游科尔沁、品草原风情”为主题，"
                "通过歌舞、马术和非遗展演等形式，展现了科尔沁地区独特的民族文化魅力。"
            ),
            (
                "本届旅游节为期十天，期间将举办安代舞大赛、乌力格尔说唱展演、蒙古族服饰展、特色美食节等"
                "二十余项活动，邀请区内外文艺团体和民间艺人参与演出。"
            ),
            (
                "在非遗展示区，刺绣、皮雕、马头琴制作等传统技艺吸引了众多游客驻足观看。"
                "来自沈阳的游客赵女士说：“第一次看到这么多草原文化的东西，带孩子来长长见识，很值得。”"
            ),
            (
                "为方便游客出行，活动期间市区开通了三条旅游专线公交，各景区也推出了门票优惠措施，"
                "部分酒店推出了“住宿加景区”联票套餐。"
            ),
            (
                "市文化旅游局负责人表示，希望借助旅游节进一步擦亮科尔沁文化品牌，"
                "推动文化和旅游深度融合，带动餐饮、住宿、交通等相关产业发展。"
            ),
            "据统计，开幕当晚，现场观众超过两万人次，各大网络平台同步直播，累计观看量突破150万人次。节日期间，全市重点景区预计接待游客将达到30万人次。",
            "旅游节期间，主办方还在孝庄河沿岸设置了文创市集，集中展示销售奶制品、牛肉干、荞麦制品等本地特色农畜产品和手工艺品，不少摊位前排起了长队。",
            "参展商户白音说，这几天每天能卖出两千多元的奶食品，比平时多了好几倍，希望这样的活动能多办一些。",
        ),
    ),
}

SITE = "www.krqnews.example.cn"


def make_article(
    slug: str = "renovation",
    *,
    path: str | None = None,
    site: str = SITE,
    view_count: int | None = 100,
    fetched_at: str = "2021-11-05T02:00:00+00:00",
    **changes: object,
) -> Article:
    """Return an Article with one of TEXTS, fingerprints filled, at ``http://<site>/<path>``."""
    title, paragraphs = TEXTS[slug]
    url = f"http://{site}/{path or f'news/{slug}.html'}"
    article = Article(
        url=url,
        canonical_url=url,
        site=site,
        title=title,
        published_at="2021-11-04T10:30:00+08:00",
        view_count=view_count,
        paragraphs=paragraphs,
        author="张明",
        source="通辽日报",
        section="本地新闻",
        listing_url=f"http://{site}/news/list_1.html",
        fetched_at=fetched_at,
    )
    article = dataclasses.replace(article, **changes)  # type: ignore[arg-type]
    return refingerprint(article)


def refingerprint(article: Article) -> Article:
    """Return *article* with content_hash and simhash recomputed from its text."""
    return dataclasses.replace(
        article,
        content_hash=content_hash(article.title, article.paragraphs),
        simhash=simhash(article.title, article.paragraphs),
    )


def latest(archive: Archive, canonical_url: str) -> Article | None:
    """Return the latest version of the archived article at *canonical_url*, or None."""
    return next((a for a in archive.iter_articles() if a.canonical_url == canonical_url), None)


#: Publish times an analyst meets, with the local day each one must give: a minute and a
#: second with the +08:00 offset, a date only, no date at all, and 00:30 Beijing time
#: (16:30 UTC the day before: what ``date(published_at)`` in SQLite got wrong).
DATED: tuple[tuple[str, str | None, str | None, str | None], ...] = (
    # (slug, published_at, published_date, published_precision)
    ("renovation", "2021-11-04T10:30:00+08:00", "2021-11-04", "minute"),
    ("harvest", "2021-11-05T00:30:00+08:00", "2021-11-05", "minute"),
    ("school", "2021-11-03", "2021-11-03", "day"),
    ("festival", "2021-11-06T23:59:30+08:00", "2021-11-06", "second"),
    ("renovation-undated", None, None, None),
)


def dated_articles(*, only: tuple[str, ...] = ()) -> list[Article]:
    """Return one Article per row of DATED (those whose precision is in *only*, when given),
    view counts 0, 12000, None, ... so the integer column has nulls."""
    counts = (0, 12000, None, 7, None)
    out = []
    for (slug, published_at, _, precision), count in zip(DATED, counts, strict=True):
        if only and precision not in only:
            continue
        text = slug.split("-")[0]
        out.append(
            make_article(text, path=f"news/{slug}.html", published_at=published_at, view_count=count)
        )
    return out
