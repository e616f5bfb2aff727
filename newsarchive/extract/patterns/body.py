"""The body pass's tables: class/id hints, boilerplate lines, meta lines, credits.

Data only, compiled once; each table names what it matches and a real sample.
The numbers that go with them (how short a line must be for a rule to apply)
live beside the rules that read them, in newsarchive.extract.body.
"""

from __future__ import annotations

import re

__all__ = [
    "BOILERPLATE_START", "BOILERPLATE_WORDS", "BYLINE", "CHROME_HINT", "CJK_CHAR", "CREDIT",
    "EDITOR_LINE", "END_MARKER", "ENGLISH_META", "FOOTER_WORDS", "HEADLINE_TAG", "HIDDEN_STYLE", "META_DATE",
    "META_LABEL", "POSITIVE_HINT", "PUNCT", "SENTENCE_END", "STRONG_NEGATIVE_HINT", "TOOLBAR",
    "WEAK_NEGATIVE_ANCHOR_HINT", "WEAK_NEGATIVE_HINT",
]
# Punctuation that marks running prose: "据了解，该项目总投资12亿元。" / "He said, however."
PUNCT = re.compile(r"[，。、；！？：,;!?]|\.(?=\s|$)")

# class / id hints that the element holds the article:
#   <div class="TRS_Editor">, <div class="Custom_UnionStyle">, <div id="zoom">,
#   <div class="article-content">, <td class="t_f" id="postmessage_1">, <div id="artibody">,
#   <div class="entry-content">, <div id="articalContent"> (Sina blog), <div class="con_txt">
POSITIVE_HINT = re.compile(
    r"trs_editor|custom_unionstyle|content|article|artical|artibody|zoom|detail|"
    r"(?:^|[\s_-])(?:con|txt|text|main|body|post|entry|story|news_?txt|cont)(?:$|[\s_-])|"
    r"postmessage|t_f\b|t_msgfont|tpc_content|read_tpc|bbs_?content|maintext|mainbody|"
    r"newstext|news_?con|textbox|wenzhang|zhengwen|neirong|vsbcontent",
    re.IGNORECASE,
)

# class / id hints that the element is chrome around the article, in two strengths.
# Strong: never article text, even beside a positive word (<div class="article-share">):
#   <div class="nav">, <div class="sidebar">, <div id="footer">, <div class="comment-list">,
#   <div class="bdsharebuttonbox"> (分享到), <div class="related-news">, <div class="recommend">,
#   <div class="copyright">, <div class="breadcrumb">, <div class="ad-box">, <div id="jiathis">,
#   <div class="zan-i">+1</div> (a like button), <i class="pstatus"> (Discuz edit note)
#   <div class="article-body__marketing"> / <div class="contributions-epic"> (sign-up and
#   donation asks inside English articles)
STRONG_NEGATIVE_HINT = re.compile(
    r"nav|sidebar|side_?bar|footer|comment(?!ary)|comm(?:$|[\s_-]|list|box)|share|related|relate|"
    r"recommend|copyright|liuyan|"
    r"breadcrumb|crumb|banner|menu|toolbar|pager|pagination|paging|advert|"
    r"(?:^|[\s_-])(?:ad|ads|adv|gg|foot|print|reply|replies|dianzan|fenxiang|xgxw|xgwz|xglj|"
    r"tuijian|pinglun|remen|login|search|zan|like|likes|digg|vote|pstatus|"
    r"promo|epic|marketing|paywall|signup|donate)(?:$|[\s_-])|"
    r"bdshare|jiathis|social|subscribe|newsletter|widget|popup|modal|qrcode|erweima|"
    r"disclaimer|statement|shengming|mianze",
    re.IGNORECASE,
)
# Weak: chrome unless a positive word says otherwise (<div class="content-left"> is the body):
#   <div class="hot">, <div class="rank">, <div class="right">, <ul class="list">, <div class="tags">,
#   <div class="hidden"> (a hidden duplicate or a popup's text)
_WEAK_WORDS = (
    "hot|rank|side|right|left|tags?|tool|header|top|bottom|list|more|next|prev|weixin|wechat|"
    "hidden|hide"
)
WEAK_NEGATIVE_HINT = re.compile(rf"(?:^|[\s_-])(?:{_WEAK_WORDS}|link|links)(?:$|[\s_-])", re.IGNORECASE)
# The same words minus link/links, for an <a>: its being a link says nothing.
WEAK_NEGATIVE_ANCHOR_HINT = re.compile(rf"(?:^|[\s_-])(?:{_WEAK_WORDS})(?:$|[\s_-])", re.IGNORECASE)

# class / id of an ancestor that makes everything inside it chrome:
#   <div class="footer"><div class="txt">版权所有…</div></div>, <div id="comment_list">,
#   <div class="allComm"> (Sina blog comments), <div class="related-posts">
CHROME_HINT = re.compile(
    r"footer|(?:^|[\s_-])foot(?:$|[\s_-])|comment(?!ary)|comm(?:$|[\s_-]|list|box)|sidebar|side_?bar|"
    r"copyright|statement|disclaimer|related|recommend|pinglun|liuyan",
    re.IGNORECASE,
)

# Words of site-wide legal text: 本站郑重声明：所载文章仅供参考 / 未经许可不得转载 /
# 违法和不良信息举报电话 / 客服电话 / Copyright © 2019 / 蒙ICP备05001234号
FOOTER_WORDS = (
    "版权", "ICP", "不得转载", "禁止转载", "违法和不良信息", "郑重声明", "免责声明", "客服电话",
    "联系我们", "Copyright", "copyright", "All rights reserved", "All Rights Reserved",
)

# Inline style that hides an element: <div style="display:none">.
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

# Lines that are page furniture, not article text. Three tables, cheapest test first.
# Start of line:  责任编辑：张三 / (责任编辑：李四) / 编辑 王五 / 上一篇：… / 下一篇：… /
#   分享到： / 扫一扫在手机打开当前页 / 点击进入专题： / 展开全文 / 免责声明：本文仅代表作者观点 /
#   本帖最后由 阳光妈妈 于 2015-5-10 21:40 编辑 (Discuz) / 当前位置：首页 > 侨乡侨社 (a breadcrumb) /
#   Copyright © 2020 / Share this article /
#   Story continues below advertisement / Continue reading the main story
BOILERPLATE_START = re.compile(
    r"[\[【(（]?\s*(?:责任编辑|责编|编辑|审核|校对|终审|监制|值班编辑|本文编辑|网络编辑|编审|"
    r"责任校对|审校)\s*[:：]|"
    r"[\[【(（]?\s*(?:编辑|责编|编审)\s*[:：]?\s*[\u4e00-\u9fa5]{2,4}\s*[\]】)）]?$|"
    r"[【\[]?\s*(?:上一篇|下一篇|上一条|下一条|上一页|下一页|上篇|下篇)|"
    r"(?:分享到|分享至|扫一扫|微信扫一扫|手机扫一扫|扫描二维码|用微信扫描|点击进入专题|返回搜狐|"
    r"返回首页|返回顶部|打印本页|关闭窗口|我要纠错|【纠错】|展开全文|阅读原文|查看原文|阅读全文|"
    r"本帖最后由|本[贴帖]由[^\s于]{1,20}于|[【\[]?(?:免责声明|特别声明|版权声明|声明)\s*[:：】\]])|"
    r"(?:当前位置|您的位置|您现在的位置|你现在的位置|你的位置|所在位置|现在位置)\s*[:：]|"
    r"(?:copyright|©|\(c\)\s*\d)|share (?:this|on)|advertisement$|follow us|sign up for|"
    r"subscribe to|print this|continue reading|story continues|listen to this article|"
    r"skip advertisement|read (?:the )?full (?:article|story)|image caption|media caption|image source",
    re.IGNORECASE,
)
# Anywhere in a short line: 版权所有 © 2021 通辽日报社 / 蒙ICP备05001234号 / 京公网安备 110… /
#   违法和不良信息举报电话 / All rights reserved / 设为首页 | 加入收藏
BOILERPLATE_WORDS = (
    "版权所有", "版权声明", "ICP备", "ICP证", "公网安备", "违法和不良信息举报", "收藏本页",
    "加入收藏", "设为首页", "打印本页", "关闭窗口", "All rights reserved", "All Rights Reserved",
)
# Tool bars: 【打印】【关闭】 / [ 打印 ] / 【字体：大 中 小】 / 字号：T|T
TOOLBAR = re.compile(
    r"[【\[]\s*(?:打印|关闭|打印此页|关闭本页|收藏|返回)\s*[】\]]|"
    r"字[体号]\s*[:：]?\s*[【\[]?\s*(?:大|T|放大)"
)

# An English byline on its own line: "By Sian Jones, BBC Wales" (a sentence such as
# "By Tuesday, it was over." ends with a full stop and is kept).
BYLINE = re.compile(r"By\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}(?:\s*(?:,|and|$))")

# The editor's line, which ends an article: 责任编辑：张三 / 【责任编辑：李四】 / (编辑 王五)
EDITOR_LINE = re.compile(r"[\[【(（]?\s*(?:责任编辑|责编|编辑|值班编辑|本文编辑)\s*[:：\s]")

# Headings after which nothing belongs to the article (the rest of the container is
# lists, comments, navigation): 相关新闻 / 相关阅读 / 推荐阅读 / 网友评论 / Related articles.
END_MARKER = re.compile(
    r"^[\[【]?\s*(?:相关新闻|相关阅读|相关文章|相关链接|相关报道|推荐阅读|延伸阅读|热门推荐|"
    r"热点推荐|猜你喜欢|为你推荐|精彩推荐|网友评论|发表评论|我要评论|最新评论|热门评论|"
    r"相关推荐|更多阅读|往期回顾|related (?:articles|stories|news|content)|"
    r"read more|more stories|you may also like|comments|related topics|more on this story|"
    r"explore more on these topics|most read|most viewed|top stories)\s*[\]】]?\s*[:：>»]?$",
    re.IGNORECASE,
)

# Meta lines that a CMS prints inside the body container:
#   "发布时间：2021-11-05 来源：通辽日报 作者：张三 浏览次数：123"
#   "索引号：11330521002608286F/2021-00123 发布机构：德清县发改局" (政府信息公开)
#   "Published: 14 March 2022" / "Updated 3:45 PM ET, Mon March 14, 2022"
# Strong labels name the page's metadata; weak ones (时间：, 阅读：) also start article
# lines such as "时间：9月20日 地点：人民广场", so they count only beside a strong one.
META_LABEL = re.compile(
    r"(?:(?P<strong>发布时间|发布日期|发表时间|更新时间|来源|作者|编辑|责编|点击数|点击量|浏览次数|"
    r"浏览量|阅读数|阅读量|访问量|文章来源|信息来源|稿源|供稿|索引号|发布机构|发文机关|主题分类|"
    r"发文字号|文号|成文日期|生成日期|公开方式|公开范围|所属主题)|时间|日期|点击|浏览|阅读|字体)"
    r"\s*[:：]"
)
ENGLISH_META = re.compile(
    r"(?:published|updated|posted|last updated|first published)\b[\s:]", re.IGNORECASE
)
# A date or time in a meta line: 2021-11-05 / 2021/11/05 / 2021年11月5日 / 10:30 / 2022
META_DATE = re.compile(
    r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}|\b\d{1,2}:\d\d\b|\b(?:19|20)\d\d\b"
)

# Image credits kept out of the body: 图片来源：视觉中国 / （图源：新华社） / 摄影：王五
# / 图/IC photo / Photo: Getty Images / Photograph: Jane Doe/Reuters / Image source, PA Media.
CREDIT = re.compile(
    r"^[(（\[【]?\s*(?:图片来源|图片来自|图源|来源图片|摄影|摄|图片|图|供图|配图|photo|photograph|"
    r"image|image source|illustration|credit)\s*[:：/|,]|"
    r"^[(（]?\s*(?:getty images|视觉中国|图虫创意|东方ic)\s*[)）]?$",
    re.IGNORECASE,
)
# What a CMS appends to a headline it repeats atop the body: （图） / [组图] / (附视频) / 。
HEADLINE_TAG = re.compile(r"\s*(?:[(（\[【]\s*(?:组?图|图文|多图|视频|附?全文|附视频|附图)\s*[)）\]】]|[。.!！])\s*")
# Characters that end a sentence: a line ending in none of them is a label ("BBC News").
SENTENCE_END = frozenset(".!?\"'”’)…:;")
# A Chinese character: "18 February 2022" has none, "2022年2月18日" has.
CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
