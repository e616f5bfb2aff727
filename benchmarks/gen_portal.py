"""Generate a large synthetic Chinese news portal for crawl benchmarks.

The site looks like a regional portal built on the usual Chinese CMSes: several
sections, each with paginated listings (``index_2.html`` / ``list_3_2.html`` /
TRS's ``index_1.html``, always with a ``下一页`` link) whose items give the
article's date, and 30–60 KB article pages wrapped in the boilerplate real
templates carry (top bar, navigation, breadcrumb, sidebars of hot links,
footer with friendly links and the ICP licence). Some sections are GBK with
``<meta charset="gbk">``; the UTF-8 ones are also announced in the HTTP header
by the generated nginx configuration. About 1% of articles are reprinted in a
second section (same text, other URL), as portals do.

Output is deterministic for a given ``--articles`` and ``--seed``::

    python benchmarks/gen_portal.py --articles 10000
    # -> benchmarks/out/portal-10000/www/...  pages.txt  manifest.json

A folder that already holds the same site (same manifest) is left as it is.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

__all__ = ["SECTIONS", "Section", "generate_portal", "portal_dir"]

GENERATOR_VERSION = 1
OUT_ROOT = Path(__file__).resolve().parent / "out"
PER_LISTING = 20
SITE_NAME = "北疆融媒"
BASE_TIME = datetime(2024, 6, 30, 18, 0)
SPAN_DAYS = 730


@dataclass(frozen=True, slots=True)
class Section:
    """One channel of the portal: URL *slug*, Chinese *name*, page *encoding*, CMS *style*."""

    slug: str
    name: str
    encoding: str
    style: str  # dede | empire | trs | hanweb | phpcms
    tid: int


SECTIONS: tuple[Section, ...] = (
    Section("news", "要闻", "utf-8", "dede", 1),
    Section("local", "本地", "gbk", "empire", 2),
    Section("society", "社会", "utf-8", "trs", 3),
    Section("finance", "财经", "gbk", "dede", 4),
    Section("culture", "文化", "utf-8", "hanweb", 5),
    Section("sports", "体育", "utf-8", "phpcms", 6),
)

# Words of regional news prose, all encodable in GBK.
_WORDS = ["记者", "近日", "我市", "我区", "全市", "全旗", "全县", "召开", "举行", "开展", "推进", "落实", "部署", "加快", "深化", "持续", "全面", "进一步", "高质量发展", "乡村振兴", "营商环境", "生态保护", "民生工程", "基础设施", "重点项目", "产业园区", "现代农业", "畜牧业", "文化旅游", "疫情防控", "安全生产", "森林草原", "防火", "防汛", "抗旱", "城市更新", "老旧小区", "改造", "棚户区", "供热", "管网", "公路", "铁路", "机场", "高速", "桥梁", "学校", "医院", "社区", "嘎查村", "街道", "苏木镇", "乡镇", "企业", "合作社", "农牧民", "群众", "干部", "党员", "志愿者", "专家", "学生", "教师", "医生", "游客", "居民", "代表", "委员", "负责人", "工作人员", "会议", "座谈会", "培训班", "推介会", "展览", "比赛", "活动", "仪式", "调研", "检查", "督导", "考核", "验收", "签约", "开工", "竣工", "投产", "增长", "同比", "环比", "亿元", "万元", "万吨", "公里", "平方米", "百分点", "累计", "完成", "实现", "突破", "达到", "超过", "要求", "强调", "指出", "表示", "认为", "介绍", "据悉", "据了解", "截至目前", "与此同时", "下一步", "今年以来", "坚持", "围绕", "聚焦", "紧盯", "立足", "发挥", "优势", "作用", "水平", "能力", "质量", "效益", "机制", "体系", "制度", "政策", "措施", "服务", "保障", "监管", "治理", "改革", "创新", "开放", "合作", "协调", "绿色", "共享", "数字化", "智慧", "平台", "数据", "春耕", "备耕", "秋收", "冬储", "牛羊", "玉米", "水稻", "大豆", "马铃薯", "奶业", "肉类", "粮食", "种子", "化肥", "农机", "草原", "湿地", "沙地", "湖泊", "河流", "水库", "林地", "耕地", "黑土地", "风电", "光伏", "煤炭", "电网", "储能", "新能源", "博物馆", "图书馆", "非遗", "民族", "传统", "那达慕", "马头琴", "长调", "刺绣", "剪纸", "书法", "摄影", "演出", "电影", "足球", "篮球", "排球", "马拉松", "冰雪", "滑雪", "冰球", "运动员", "教练员", "冠军", "金牌", "赛事", "联赛", "全运会", "消费", "市场", "价格", "超市", "商场", "物流", "快递", "电商", "直播", "品牌", "农产品", "特色", "产品", "销售", "订单", "就业", "创业", "社保", "医保", "养老", "托育", "教育", "住房", "交通", "出行", "公交", "停车", "垃圾分类", "环境", "卫生", "警方", "派出所", "法院", "检察院", "案件", "嫌疑人", "诈骗", "提醒", "广大", "市民", "注意", "安全", "天气", "降温", "大风", "降雪", "一是", "二是", "三是", "同时", "此外", "其中", "目前", "今后", "全力", "扎实", "有序", "有力", "有效", "稳步", "不断", "积极", "主动", "科尔沁", "通辽", "赤峰", "呼伦贝尔", "锡林郭勒", "兴安盟", "开鲁", "奈曼", "库伦", "扎鲁特", "霍林郭勒", "的", "了", "在", "和", "与", "及", "对", "为", "将", "把", "从", "向", "以", "等", "中", "上", "后", "前", "是", "有", "这", "一", "个", "项", "次", "名", "家", "工作", "建设", "发展", "项目", "经济", "社会", "文化", "安全", "问题", "情况", "任务", "目标", "方面", "领域", "环节", "过程"]
_PLACES = ["科尔沁区", "开鲁县", "奈曼旗", "库伦旗", "扎鲁特旗", "霍林郭勒市", "科左中旗", "科左后旗", "经济技术开发区", "主城区"]
_NAMES = ["王磊", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "黄鑫", "周杰", "吴婷", "包金山", "乌云", "那仁", "其其格", "巴特尔"]
_SOURCES = ["通辽日报", "科尔沁都市报", "北疆融媒", "新华社", "内蒙古日报", "人民网", "本网"]
_EXTERNAL = (
    ("中国政府网", "http://www.gov.cn/"), ("新华网", "http://www.xinhuanet.com/"),
    ("人民网", "http://www.people.com.cn/"), ("央视网", "http://www.cctv.com/"),
    ("中国新闻网", "http://www.chinanews.com.cn/"), ("内蒙古新闻网", "http://www.nmgnews.com.cn/"),
    ("正北方网", "http://www.northnews.cn/"), ("中国文明网", "http://www.wenming.cn/"),
    ("中国网信网", "http://www.cac.gov.cn/"), ("12377举报", "http://www.12377.cn/"),
    ("内蒙古自治区政府", "http://www.nmg.gov.cn/"), ("通辽市政府", "http://www.tongliao.gov.cn/"),
    ("光明网", "http://www.gmw.cn/"), ("中国经济网", "http://www.ce.cn/"),
    ("中国青年网", "http://www.youth.cn/"), ("国际在线", "http://www.cri.cn/"),
)


@dataclass(slots=True)
class _Art:
    aid: int
    section: Section
    when: datetime
    title: str
    paragraphs: list[str]
    author: str
    source: str
    views: int
    path: str = ""
    reprint_of: int | None = None


def portal_dir(articles: int, seed: int = 1) -> Path:
    """Return the output folder for a portal of *articles* articles and *seed*."""
    suffix = "" if seed == 1 else f"-s{seed}"
    return OUT_ROOT / f"portal-{articles}{suffix}"


def _article_path(sec: Section, aid: int, when: datetime) -> str:
    d = when
    if sec.style == "dede":
        return f"/{sec.slug}/{d:%Y}/{d:%m%d}/{aid}.html"
    if sec.style == "empire":
        return f"/{sec.slug}/{d:%Y-%m-%d}/{aid}.html"
    if sec.style == "trs":
        return f"/{sec.slug}/{d:%Y%m}/t{d:%Y%m%d}_{aid}.html"
    if sec.style == "hanweb":
        return f"/{sec.slug}/art/{d.year}/{d.month}/{d.day}/art_{sec.tid}_{aid}.html"
    return f"/{sec.slug}/{d:%Y}/{d:%m%d}/{aid}.html"  # phpcms static html


def _listing_path(sec: Section, page: int) -> str:
    """Return the path of listing page *page* (1-based) of *sec*."""
    if page == 1:
        return f"/{sec.slug}/"
    if sec.style == "dede":
        return f"/{sec.slug}/list_{sec.tid}_{page}.html"
    if sec.style == "trs":
        return f"/{sec.slug}/index_{page - 1}.html"
    return f"/{sec.slug}/index_{page}.html"


def _file_of(path: str) -> str:
    return path + "index.html" if path.endswith("/") else path


class _Writer:
    """Builds page text from seeded randomness."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.sentences = [self._sentence() for _ in range(6000)]
        self.css = self._css()
        self.js = self._js()

    def _sentence(self) -> str:
        rng = self.rng
        words = rng.choices(_WORDS, k=rng.randint(6, 18))
        if rng.random() < 0.35:
            words.insert(rng.randint(0, len(words)), rng.choice(_PLACES))
        if rng.random() < 0.3:
            words.insert(rng.randint(0, len(words)), f"{rng.randint(2, 980)}{rng.choice(('万元', '个', '户', '人次', '公里'))}")
        cut = rng.randint(2, max(2, len(words) - 2))
        return "".join(words[:cut]) + "，" + "".join(words[cut:]) + rng.choice("。。。；！")[0]

    def _css(self) -> str:
        rng = self.rng
        rules = []
        for i in range(120):
            cls = f".{rng.choice(('m', 'box', 'list', 'nav', 'side', 'ft', 'hd', 'bd'))}{i}"
            rules.append(
                f"{cls}{{margin:{rng.randint(0, 20)}px {rng.randint(0, 20)}px;"
                f"padding:{rng.randint(0, 12)}px;color:#{rng.randint(0, 0xFFFFFF):06x};"
                f"font-size:{rng.randint(12, 18)}px;line-height:{rng.randint(18, 30)}px}}"
            )
        return "\n".join(rules)

    def _js(self) -> str:
        slots = ",".join(
            f'{{"id":"ad{i}","w":{300 + i},"h":{90 + i},"src":"/d/js/acmsd/thea{i}.js"}}'
            for i in range(40)
        )
        return (
            "var _hmt = _hmt || [];(function(){var hm=document.createElement('script');"
            "hm.src='https://hm.baidu.com/hm.js?3f1b2c4d5e6f7a8b9c0d1e2f3a4b5c6d';"
            "var s=document.getElementsByTagName('script')[0];s.parentNode.insertBefore(hm,s);})();\n"
            f"var AD_SLOTS=[{slots}];\n"
            "function showTab(n,m){for(var i=1;i<=m;i++){var t=document.getElementById('tab_'+i);"
            "if(t){t.className=(i==n)?'on':'';}}}"
        )

    def paragraphs(self) -> list[str]:
        rng = self.rng
        return [
            "".join(rng.choices(self.sentences, k=rng.randint(2, 6)))
            for _ in range(rng.randint(6, 22))
        ]

    def title(self) -> str:
        rng = self.rng
        head = rng.choice(_PLACES) if rng.random() < 0.6 else ""
        return head + "".join(rng.choices(_WORDS[:230], k=rng.randint(3, 6)))


def _head(sec_name: str, title: str, encoding: str, w: _Writer, extra: str = "") -> str:
    charset = "gbk" if encoding == "gbk" else "utf-8"
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n"
        f'<meta charset="{charset}">\n'
        '<meta http-equiv="X-UA-Compatible" content="IE=edge">\n'
        f"<title>{title}_{sec_name}_{SITE_NAME}</title>\n"
        f'<meta name="keywords" content="{title},{sec_name},{SITE_NAME},通辽">\n'
        f'<meta name="description" content="{title}">\n{extra}'
        '<link rel="stylesheet" type="text/css" href="/templets/default/style/dedecms.css">\n'
        f"<style type=\"text/css\">\n{w.css}\n</style>\n"
        '<script type="text/javascript" src="/templets/default/js/jquery.min.js"></script>\n'
        "</head>\n"
    )


def _top(active: str) -> str:
    nav = ['<li><a href="/">首页</a></li>']
    for s in SECTIONS:
        cls = ' class="on"' if s.slug == active else ""
        nav.append(f'<li{cls}><a href="/{s.slug}/">{s.name}</a></li>')
    ext = "".join(f'<li><a href="{u}" target="_blank">{n}</a></li>' for n, u in _EXTERNAL[:8])
    return (
        '<body>\n<div class="topbar"><div class="w1000">'
        '<span class="date" id="today"></span><span class="weather">通辽 晴 -3℃~12℃</span>'
        '<a href="javascript:void(0)" onclick="SetHome(this)">设为首页</a> '
        '<a href="javascript:void(0)" onclick="AddFavorite()">加入收藏</a> '
        '<a href="/member/login.php" rel="nofollow">登录</a> <a href="/member/reg.php" rel="nofollow">注册</a>'
        "</div></div>\n"
        f'<div class="header"><div class="logo"><a href="/"><img src="/images/logo.png" alt="{SITE_NAME}"></a></div>'
        '<form class="search" action="/plus/search.php" method="get"><input name="q" type="text">'
        '<input type="submit" value="搜索"></form></div>\n'
        f'<div class="nav"><ul>{"".join(nav)}</ul><ul class="subnav">{ext}</ul></div>\n'
    )


def _sidebar(w: _Writer, pool: list[_Art], n_hot: int) -> str:
    rng = w.rng
    hot = rng.sample(pool, min(n_hot, len(pool)))
    pics = rng.sample(pool, min(6, len(pool)))
    li = "".join(
        f'<li><span class="num n{i + 1}">{i + 1}</span><a href="{a.path}" title="{a.title}">{a.title}</a></li>'
        for i, a in enumerate(hot)
    )
    pi = "".join(
        f'<li><a href="{a.path}"><img src="/uploads/allimg/{a.when:%y%m%d}/{a.aid}-1.jpg" alt="{a.title}"></a>'
        f'<p><a href="{a.path}">{a.title}</a></p></li>'
        for a in pics
    )
    return (
        '<div class="right">\n'
        f'<div class="box hot"><div class="hd"><h3>热点排行</h3></div><div class="bd"><ul>{li}</ul></div></div>\n'
        f'<div class="box pic"><div class="hd"><h3>图片新闻</h3></div><div class="bd"><ul>{pi}</ul></div></div>\n'
        '<div class="box ad"><script type="text/javascript" src="/d/js/acmsd/thea7.js"></script></div>\n'
        "</div>\n"
    )


def _footer(w: _Writer) -> str:
    links = "".join(f'<a href="{u}" target="_blank">{n}</a> | ' for n, u in _EXTERNAL)
    return (
        '<div class="footer">\n'
        f'<div class="flink"><strong>友情链接：</strong>{links}</div>\n'
        '<p><a href="/about.html">关于我们</a> | <a href="/contact.html">联系我们</a> | '
        '<a href="/copyright.html">版权声明</a> | <a href="/about.html#ads">广告服务</a></p>\n'
        f"<p>Copyright &copy; 2008-2024 {SITE_NAME} All Rights Reserved 版权所有 未经授权禁止转载</p>\n"
        '<p><a href="https://beian.miit.gov.cn/" target="_blank">蒙ICP备09002614号-1</a> '
        "蒙公网安备 15050202000123号 互联网新闻信息服务许可证：15120170004</p>\n"
        "<p>违法和不良信息举报电话：0475-8888888 举报邮箱：jubao@example.cn</p>\n"
        "</div>\n"
        f'<script type="text/javascript">\n{w.js}\n</script>\n</body>\n</html>\n'
    )


def _pad(html_parts: list[str], target: int, encoding: str, w: _Writer, pool: list[_Art]) -> str:
    """Join *html_parts*, adding realistic sidebar modules until the page weighs *target* bytes."""
    html = "".join(html_parts)
    size = len(html.encode(encoding))
    extra = []
    rng = w.rng
    while size < target:
        picks = rng.sample(pool, min(10, len(pool)))
        mod = (
            '<div class="box tj"><div class="hd"><h3>推荐阅读</h3></div><div class="bd"><ul>'
            + "".join(
                f'<li><a href="{a.path}" title="{a.title}">{a.title}</a><span>{a.when:%m-%d}</span></li>'
                for a in picks
            )
            + "</ul></div></div>\n"
        )
        extra.append(mod)
        size += len(mod.encode(encoding))
    # Extra modules sit before the footer, where templates put their recommendation blocks.
    return "".join(html_parts[:-1]) + "".join(extra) + html_parts[-1]


def _article_page(a: _Art, prev: _Art | None, nxt: _Art | None, related: list[_Art],
                  w: _Writer, pool: list[_Art], target: int) -> bytes:
    sec = a.section
    rng = w.rng
    body = "\n".join(f"<p>　　{p}</p>" for p in a.paragraphs)
    if rng.random() < 0.5:
        body += f'\n<p style="text-align:center"><img src="/uploads/allimg/{a.when:%y%m%d}/{a.aid}-1.jpg" alt=""></p>'
    rel = "".join(f'<li><a href="{r.path}">{r.title}</a><span>{r.when:%Y-%m-%d}</span></li>' for r in related)
    pn = (
        f'<li>上一篇：<a href="{prev.path}">{prev.title}</a></li>' if prev else "<li>上一篇：没有了</li>"
    ) + (f'<li>下一篇：<a href="{nxt.path}">{nxt.title}</a></li>' if nxt else "<li>下一篇：没有了</li>")
    main = (
        f'<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/{sec.slug}/">{sec.name}</a> &gt; 正文</div>\n'
        '<div class="main w1000"><div class="left">\n<div class="article">\n'
        f"<h1>{a.title}</h1>\n"
        f'<div class="info"><span>发布时间：{a.when:%Y-%m-%d %H:%M}</span> <span>来源：{a.source}</span> '
        f'<span>作者：{a.author}</span> <span>浏览：<em id="hits">{a.views}</em>次</span></div>\n'
        f'<div class="content" id="content">\n{body}\n</div>\n'
        f'<div class="editor">（责任编辑：{rng.choice(_NAMES)}）</div>\n'
        '<div class="share">分享到：<a class="weixin" href="javascript:;">微信</a> '
        '<a class="weibo" href="javascript:;">微博</a> <a class="qzone" href="javascript:;">QQ空间</a></div>\n'
        f'<div class="prenext"><ul>{pn}</ul></div>\n'
        f'<div class="related"><h3>相关阅读</h3><ul>{rel}</ul></div>\n'
        "</div></div>\n"
    )
    parts = [
        _head(sec.name, a.title, sec.encoding, w),
        _top(sec.slug),
        main,
        _sidebar(w, pool, 10),
        "</div>\n",
        _footer(w),
    ]
    return _pad(parts, target, sec.encoding, w, pool).encode(sec.encoding)


def _pager(sec: Section, page: int, pages: int) -> str:
    out = [f'<div class="pages"><ul><li><span class="pageinfo">共 <strong>{pages}</strong>页</span></li>']
    if page > 1:
        out.append(f'<li><a href="{_listing_path(sec, 1)}">首页</a></li>')
        out.append(f'<li><a href="{_listing_path(sec, page - 1)}">上一页</a></li>')
    lo, hi = max(1, page - 4), min(pages, page + 5)
    for n in range(lo, hi + 1):
        if n == page:
            out.append(f'<li class="thisclass">{n}</li>')
        else:
            out.append(f'<li><a href="{_listing_path(sec, n)}">{n}</a></li>')
    if page < pages:
        out.append(f'<li><a href="{_listing_path(sec, page + 1)}">下一页</a></li>')
        out.append(f'<li><a href="{_listing_path(sec, pages)}">末页</a></li>')
    out.append("</ul></div>\n")
    return "".join(out)


def _listing_page(sec: Section, page: int, pages: int, items: list[_Art], w: _Writer,
                  pool: list[_Art]) -> bytes:
    lis = "".join(
        f'<li><span class="date">{a.when:%Y-%m-%d}</span><a href="{a.path}" title="{a.title}" target="_blank">{a.title}</a>'
        f'<p class="intro">{a.paragraphs[0][:60]}…</p></li>\n'
        for a in items
    )
    title = sec.name if page == 1 else f"{sec.name}_第{page}页"
    main = (
        f'<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/{sec.slug}/">{sec.name}</a></div>\n'
        f'<div class="main w1000"><div class="left">\n<div class="listbox"><ul class="list">\n{lis}</ul>\n'
        f"{_pager(sec, page, pages)}</div></div>\n"
    )
    parts = [_head(sec.name, title, sec.encoding, w), _top(sec.slug), main, _sidebar(w, pool, 10),
             "</div>\n", _footer(w)]
    return "".join(parts).encode(sec.encoding)


def _home_page(by_section: dict[str, list[_Art]], w: _Writer, pool: list[_Art]) -> bytes:
    blocks = []
    for sec in SECTIONS:
        latest = by_section[sec.slug][:10]
        lis = "".join(f'<li><a href="{a.path}">{a.title}</a><span>{a.when:%m-%d}</span></li>' for a in latest)
        blocks.append(
            f'<div class="box"><div class="hd"><h3><a href="/{sec.slug}/">{sec.name}</a></h3>'
            f'<a class="more" href="/{sec.slug}/">更多&gt;&gt;</a></div><div class="bd"><ul>{lis}</ul></div></div>\n'
        )
    parts = [_head("首页", SITE_NAME, "utf-8", w), _top(""),
             '<div class="main w1000"><div class="left">\n' + "".join(blocks) + "</div>\n",
             _sidebar(w, pool, 10), "</div>\n", _footer(w)]
    return "".join(parts).encode("utf-8")


def _static_page(title: str, text: str, w: _Writer) -> bytes:
    parts = [_head(SITE_NAME, title, "utf-8", w), _top(""),
             f'<div class="main w1000"><div class="left"><h2>{title}</h2><p>{text}</p></div></div>\n',
             _footer(w)]
    return "".join(parts).encode("utf-8")


def generate_portal(articles: int, out: Path, *, seed: int = 1, force: bool = False) -> dict[str, object]:
    """Write a portal of *articles* articles under *out*/www and return its manifest.

    The manifest (also written to *out*/manifest.json) gives counts of pages,
    bytes and the start URLs' paths. *out*/pages.txt lists every page's path.
    """
    want = {"generator": GENERATOR_VERSION, "articles": articles, "seed": seed}
    manifest_path = out / "manifest.json"
    if not force and manifest_path.exists():
        old = json.loads(manifest_path.read_text("utf-8"))
        if {k: old.get(k) for k in want} == want:
            return old
    www = out / "www"
    if www.exists():
        shutil.rmtree(www)
    www.mkdir(parents=True)
    w = _Writer(seed)
    rng = w.rng
    weights = [3, 3, 2, 2, 1, 1]
    step = timedelta(days=SPAN_DAYS) / max(articles, 1)
    arts: list[_Art] = []
    for i in range(articles):
        aid = 1000 + i
        sec = rng.choices(SECTIONS, weights=weights)[0]
        when = BASE_TIME - step * (articles - i) + timedelta(minutes=rng.randint(0, 59))
        when = when.replace(second=0, microsecond=0)
        a = _Art(aid, sec, when, w.title(), w.paragraphs(), rng.choice(_NAMES), rng.choice(_SOURCES),
                 int(rng.paretovariate(1.2) * 40))
        a.path = _article_path(sec, aid, when)
        arts.append(a)
    # Reprints: ~1% of articles appear again in another section, same text, later id.
    n_reprints = articles // 100
    for j, orig in enumerate(rng.sample(arts, n_reprints)):
        sec = rng.choice([s for s in SECTIONS if s is not orig.section])
        aid = 1000 + articles + j
        when = orig.when + timedelta(hours=rng.randint(1, 30))
        a = _Art(aid, sec, when, orig.title, orig.paragraphs, orig.author, orig.source, orig.views // 2 + 1,
                 reprint_of=orig.aid)
        a.path = _article_path(sec, aid, when)
        arts.append(a)
    by_section: dict[str, list[_Art]] = {s.slug: [] for s in SECTIONS}
    for a in arts:
        by_section[a.section.slug].append(a)
    for lst in by_section.values():
        lst.sort(key=lambda a: a.when, reverse=True)

    paths: list[str] = []
    total = 0

    def put(path: str, data: bytes) -> None:
        nonlocal total
        f = www / _file_of(path).lstrip("/")
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_bytes(data)
        paths.append(path)
        total += len(data)

    put("/", _home_page(by_section, w, arts))
    for name, text in (("about", "关于我们"), ("contact", "联系我们"), ("copyright", "版权声明")):
        put(f"/{name}.html", _static_page(text, f"{SITE_NAME}{text}。地址：通辽市科尔沁区。", w))
    (www / "robots.txt").write_text("User-agent: *\nDisallow: /member/\nDisallow: /plus/\n", "ascii")
    listings = 0
    for sec in SECTIONS:
        lst = by_section[sec.slug]
        pages = max(1, -(-len(lst) // PER_LISTING))
        for p in range(1, pages + 1):
            put(_listing_path(sec, p), _listing_page(sec, p, pages, lst[(p - 1) * PER_LISTING:p * PER_LISTING], w, arts))
            listings += 1
        for k, a in enumerate(lst):
            nxt = lst[k - 1] if k > 0 else None
            prev = lst[k + 1] if k + 1 < len(lst) else None
            related = lst[k + 2:k + 8] if k + 8 < len(lst) else lst[max(0, k - 8):k]
            put(a.path, _article_page(a, prev, nxt, related, w, arts, rng.randint(30_000, 60_000)))
    (out / "pages.txt").write_text("\n".join(paths) + "\n", "utf-8")
    manifest: dict[str, object] = {
        **want,
        "reprints": n_reprints,
        "article_pages": len(arts),
        "listing_pages": listings,
        "other_pages": 4,
        "pages": len(paths),
        "bytes": total,
        "sections": [{"slug": s.slug, "name": s.name, "encoding": s.encoding, "style": s.style,
                      "articles": len(by_section[s.slug])} for s in SECTIONS],
        "start_paths": [f"/{s.slug}/" for s in SECTIONS],
    }
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    """Command line: generate one portal and print its manifest."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000, help="number of distinct articles (default 1000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, help="output folder (default benchmarks/out/portal-N)")
    ap.add_argument("--force", action="store_true", help="regenerate even if the folder is up to date")
    args = ap.parse_args(argv)
    out = args.out or portal_dir(args.articles, args.seed)
    t0 = time.perf_counter()
    m = generate_portal(args.articles, out, seed=args.seed, force=args.force)
    print(f"{out}: {m['pages']} pages, {int(m['bytes']) / 1e6:.1f} MB "
          f"({time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    print(json.dumps(m, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
