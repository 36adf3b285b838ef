"""Editorial demo pages under the home page: the trading guide, the valuation rules, the
inspection and remanufacturing certification rules, and a news section with three articles.

Called by ``manage.py seed_demo``. Pages are found by slug under their parent, so a second
run creates nothing and never overwrites an editor's changes. Each page also gets its English
translation (texts in ``cms.demo_en``) in the English locale, linked to the Chinese page by
Wagtail's translation key, with the same slug: one URL serves the page in the language the
visitor chose. The rules sections of the guide and the specifications are rules blocks, which
render the figures the services apply (``cms.rules``). The texts explain how the
platform works; wherever they mention figures from the platform, those are simulated.
"""

import datetime as dt
import logging
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page

from cms import demo_en as en
from cms.models import HomePage, NewsIndexPage, NewsPage, StandardPage

DEMO_NOTICE = (
    "<p><b>演示说明：</b>本站为演示站点，站内的设备、挂牌、成交记录、机构和价格均为模拟数据，"
    "不代表真实行情；规则和流程按平台的实际设计编写。</p>"
)

TRADING_GUIDE = """
<h2>平台能做什么</h2>
<p>Ironloop 面向长株潭及湖南省的工程机械后市场，把二手设备交易、残值评估、融资租赁、
检测与再制造认证、
回收处置放在同一个平台上，形成"交易＋金融＋数据"的闭环：每一笔成交都回到估值模型的训练数据中，
估值又决定融资额度和拍卖底价。</p>
<h2>买家：从找车到过户</h2>
<ol>
<li><b>注册与实名认证。</b>以机构身份注册，提交18位统一社会信用代码和营业执照，
平台审核通过后才能出价、下单和申请融资。</li>
<li><b>搜索与筛选。</b>按类别和吨位级别、品牌型号、出厂年份、小时数、价格、城市和距离、成色等级、
是否检测或再制造、销售方式、是否可融资筛选。</li>
<li><b>看懂设备档案。</b>每台设备有自己的档案：小时表读数及其来源（卖家申报、检测核实、远程监控、
保养记录）、保养维修记录、检测报告、再制造证书、
所有权变更，以及融资租赁或抵押登记。读数倒退或增长超出日历时间的设备会被标记"小时数异常"。</li>
<li><b>参考估值。</b>挂牌页显示平台估值、80%区间和可比成交，报价高于或低于市场多少一目了然。</li>
<li><b>选择交易方式。</b>一口价直接购买；议价可出价、接受还价或拒绝，报价到期自动失效；
限时拍卖按下文规则进行。</li>
<li><b>确认全价后再下单。</b>订单页在付款前列出成交价、按公布档位计算的买方佣金、增值税、
已缴保证金抵扣、应付金额和付款期限。</li>
<li><b>付款。</b>大额设备使用对公银行转账，由平台核对到账；银行卡支付有单笔上限。
逾期未付按公布规则处理违约，保证金可能被扣除，设备重新上架。</li>
<li><b>交付与过户。</b>付款确认后放行设备，记录卖家结算和所有权变更，并生成成交记录。</li>
</ol>
<p>以下各节的费用、拍卖、付款、挂牌和融资租赁规则直接取自系统执行的规则配置。</p>
"""

TRADING_GUIDE_SELLERS = """
<h2>卖家：发布一台设备</h2>
<ol>
<li>建立设备档案：品牌型号、出厂编号（同一品牌下唯一）、出厂年份、排放标准（国三/国四）、
所在城市、当前小时数。</li>
<li>上传照片：至少包括四个侧面、底盘或轮胎、驾驶室、小时表和已知损伤部位；照片按内容校验格式，
并自动去除 EXIF 信息。</li>
<li>选择一口价、议价或限时拍卖，参考平台估值定价，说明能否开具发票和随机附件。</li>
<li>提交审核。平台审核通过后发布（平台认定的信誉卖家可直接发布）；挂牌有效期见下文挂牌规则。</li>
<li>有融资租赁或抵押登记的设备，在出租人登记解除前不能过户。</li>
</ol>
"""

TRADING_GUIDE_RISKS = """
<h2>常见风险与平台做法</h2>
<ul>
<li><b>小时表被回拨或更换：</b>平台保存每一次读数和来源，检测时核实读数并标记异常。</li>
<li><b>翻新掩盖缺陷：</b>建议成交前委托第三方检测，检测报告有唯一编号，可在线核验。</li>
<li><b>设备带着融资租赁或抵押：</b>融资租赁和抵押在中国人民银行动产融资统一登记公示系统（中登网）
登记；平台记录登记号，设备档案显示"存在登记"。</li>
<li><b>预付款诈骗和场外交易：</b>请只在平台内付款；平台不会要求向个人账户转账。</li>
<li><b>费用后出现：</b>所有费用在下单前列明，平台展示的规则就是系统执行的规则。</li>
</ul>
"""

VALUATION_RULES = """
<h2>估值口径</h2>
<p>平台估值给出的是<b>公平市场价值</b>（有意愿的买卖双方在正常交易中的成交价）。
拍卖成交通常接近<b>强制清算价值</b>，
有序清算价值大致介于两者之间。估值随附80%区间，表示在当前数据下，约八成同类成交价落在区间内。</p>
<h2>影响残值的因素</h2>
<ul>
<li>机龄、累计小时数和年均小时数；</li>
<li>类别和吨位级别、品牌、型号及配置；</li>
<li>成色等级（A–E）、是否再制造、事故记录（火烧、水淹、结构性事故）；</li>
<li>排放标准（国三、国四）、能否提供发票；</li>
<li>地区、成交渠道（一口价、议价、拍卖）、季节和行业周期。</li>
</ul>
<h2>模型与数据</h2>
<ul>
<li>训练数据是成交记录：平台上每一笔完成的交易，加上导入的外部成交数据。
每条记录保存成交当时的设备属性，之后修改设备信息不会改写历史。</li>
<li>模型为梯度提升树（LightGBM），以对数价格为目标；设有单调约束：在其他条件相同时，
小时数或机龄增加不会使估值上升。</li>
<li>只按时间切分验证，从不随机切分，以免用"未来"的数据评价"过去"。</li>
<li>80%区间在更晚的时间窗口上校准（分裂共形方法），平台公布实际覆盖率。</li>
<li>每次显示的估值都记录产生它的模型版本；训练数据不变时不会重新训练，新模型可一键回滚。</li>
</ul>
<h2>估值面板上的内容</h2>
<ul>
<li>估值和80%区间，以及挂牌价相对市场的高低；</li>
<li>最相近的已成交设备（成交日期、小时数、年份、城市、价格）及其权重；</li>
<li>折旧曲线：按该设备的年均小时数，预测今天以及12、24、36、48、60个月后的价值和区间；</li>
<li>对本次估值影响最大的几个因素。</li>
</ul>
<p>输入不常见时（稀有型号、小时数远超数据范围），面板会明确提示估值不确定性较高，
而不是给出看似精确的数字。</p>
<h2>与融资租赁的关系</h2>
<p>融资额不超过租赁产品规定的估值比例；担保余值或尾款不超过模型对租期结束时价值预测的下限。
受到这些限制时，报价页会说明原因。</p>
<h2>回测</h2>
<p>平台按月公布回测：对每个月完成的成交，比较当时在用模型的预测与实际成交价，
报告误差中位数和落在±10%、±20%以内的比例。</p>
"""

CERTIFICATION_RULES = """
<h2>依据</h2>
<ul>
<li>T/CSCMA 0004-2023（长沙市工程机械行业协会）二手设备鉴定评估流程；
ISO 10987-3:2017 二手机器状况评价；SB/T 10529-2009 旧设备流通通则；</li>
<li>GB/T 28618-2012 再制造通用技术要求；GB/T 28619-2012 再制造术语；
GB/T 27611-2011 再制造产品标识；GB/T 28620-2012 再制造率计算方法；</li>
<li>GB/T 41101.2-2021（ISO 10987-2:2017）再制造零部件的识别与标识；
ISO 16714:2008 土方机械可回收利用率。</li>
</ul>
<h2>检测流程</h2>
<ol>
<li><b>委托：</b>设备所有人或经销商在平台发起检测申请，认证检测机构接受委托。</li>
<li><b>设备核验：</b>核对铭牌、出厂编号，拍摄小时表；
检测时记录的读数作为"检测核实"读数进入设备档案。</li>
<li><b>重大事故排查：</b>火烧、水淹、结构性损伤。</li>
<li><b>分系统评价：</b>发动机、液压系统、底盘或轮胎（记录磨损百分比）、结构件和工作装置、电气、
驾驶室、属具，逐项评级、说明并附照片。</li>
<li><b>冷启动与功能测试、油液取样。</b>检测不包括负载试验和潜在缺陷。</li>
<li><b>定级与出具报告：</b>按下列规则计算总评等级，报告编号、存档，可在线核验。
提交后的报告不可修改，更正以新版本发布。</li>
</ol>
"""

CERTIFICATION_RULES_REMAN = """
<h2>再制造认证</h2>
<ul>
<li>证书记录旧件（再制造毛坯）识别信息，评估、拆解、清洗、修复、装配、检测各工序及结果，
更换件和再利用件及其质量。</li>
<li>再制造率按 GB/T 28620-2012，以再利用部分的质量占比计算。</li>
<li>声明再制造产品的性能达到或超过原型新品（GB/T 27611-2011），并载明标识信息、质保条款和有效期。
再制造产品应提供与新品相当的质保。</li>
</ul>
<h2>独立性与核验</h2>
<ul>
<li>只有认证检测机构中具有检测师角色的人员可以填写报告、签发证书；
检测机构不得认证本机构拥有或销售的设备。</li>
<li>每份报告和证书有唯一编号和公开核验页（链接或二维码）。核验码由证书内容和平台密钥计算得出，
被改动或伪造的证书无法通过核验。</li>
<li>证书可以撤销并注明原因，核验页随即显示"已撤销"。</li>
</ul>
<h2>报废与回收</h2>
<p>设备所有人申请报废，回收拆解企业报价；处置完成后出具回收证书，
载明按 ISO 16714 方法计算的可回收利用率。报废设备不能再挂牌。</p>
"""

NEWS = (
    (
        "ironloop-demo-launch",
        "Ironloop 铁环平台演示版上线",
        dt.date(2026, 9, 15),
        "交易、估值、融资租赁、检测认证和回收处置在同一平台演示。",
        """
<p>面向长株潭工程机械后市场的 Ironloop 平台演示版今天上线。演示站点包含二手设备挂牌与搜索、
一口价、议价和限时拍卖，
基于成交记录训练的残值估值，融资租赁报价与申请，检测评级和再制造证书的在线核验，以及设备报废回收。
</p>
<p>演示使用的两千余台设备和两万余条历史成交均为模拟数据，分布在长沙、株洲、湘潭等湖南城市，
用于展示功能，不代表真实行情。</p>
<p>演示账号覆盖经销商、买家、融资租赁公司、检测机构、回收企业和平台运营，登录信息见项目说明。</p>
""",
    ),
    (
        "aftermarket-reform-priorities",
        "长株潭工程机械后市场：一个平台，三条主线",
        dt.date(2026, 10, 20),
        "统一交易平台、残值评估与再制造认证、融资租赁，构成\u201c交易＋金融＋数据\u201d闭环。",
        """
<p>长株潭地区（2025—2027年）的改革方案提出建设统一的工程机械后市场交易平台，覆盖集中采购、
二手设备估值、融资租赁、
运营维护、再制造认证和回收处置，形成"交易＋金融＋数据"的闭环；
方案提到的成果包括《先进制造业后市场交易指南》
和《残值评估与再制造认证规范》。</p>
<p>国内二手工程机械交易多数在私下完成，设备没有权属登记，购机发票是常用的权属凭证，
而融资租赁和抵押在中登网登记，
登记机构不做实质审查。买家最常遇到的问题是小时表被回拨、翻新掩盖缺陷、设备带着未解除的登记，
以及费用在成交后才出现。</p>
<p>平台的做法是：为每台设备建立可携带的档案，记录读数来源、保养、检测、再制造、租赁和回收；
用公开回测的估值模型给出带区间的价格；
在出价时就给出包含全部费用的真实融资成本。</p>
""",
    ),
    (
        "how-to-read-hour-meters",
        "买二手设备，怎样看懂小时数",
        dt.date(2026, 11, 10),
        "读数来源、年均小时数和异常标记，三步判断小时数是否可信。",
        """
<p><b>第一步，看来源。</b>平台上的每条小时表读数都注明来源：卖家申报、检测核实、远程监控（车联网）
或保养记录。
检测核实和远程监控的读数比单独的卖家申报更可靠。</p>
<p><b>第二步，算年均小时数。</b>挖掘机、装载机一年通常工作一千到两千小时，
小型设备和高空作业平台更少。
年均小时数明显偏低的设备，要结合保养记录判断是否停放过，还是读数有问题。</p>
<p><b>第三步，看异常标记。</b>如果读数出现倒退，
或者两次读数之间增长的小时数超过了日历时间允许的范围，设备档案和挂牌页会显示"小时数异常"。
遇到这种情况，建议在成交前委托检测。</p>
<p>本文示例中的平台数据均为模拟数据。</p>
""",
    ),
)


# A body is a sequence of blocks: ("text", html) or ("rules", section of cms.rules).
Body = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class PageSpec:
    slug: str
    title: str
    intro: str
    body: Body
    body_en: Body


STANDARD_PAGES = (
    PageSpec(
        "trading-guide",
        "交易指南",
        "买家和卖家在平台上完成一笔二手工程机械交易的步骤、拍卖规则和风险提示。",
        (
            ("text", DEMO_NOTICE + TRADING_GUIDE),
            ("rules", "fees"),
            ("rules", "auction"),
            ("rules", "payment"),
            ("text", TRADING_GUIDE_SELLERS),
            ("rules", "listing"),
            ("rules", "leasing"),
            ("rules", "procurement"),
            ("text", TRADING_GUIDE_RISKS),
        ),
        (
            ("text", en.DEMO_NOTICE + en.TRADING_GUIDE),
            ("rules", "fees"),
            ("rules", "auction"),
            ("rules", "payment"),
            ("text", en.TRADING_GUIDE_SELLERS),
            ("rules", "listing"),
            ("rules", "leasing"),
            ("rules", "procurement"),
            ("text", en.TRADING_GUIDE_RISKS),
        ),
    ),
    PageSpec(
        "valuation-rules",
        "残值评估规则",
        "平台估值的口径、影响因素、模型方法、区间校准和回测。",
        (("text", DEMO_NOTICE + VALUATION_RULES),),
        (("text", en.DEMO_NOTICE + en.VALUATION_RULES),),
    ),
    PageSpec(
        "certification-rules",
        "检测与再制造认证规范",
        "检测流程、成色等级、再制造认证、证书核验和报废回收的规则。",
        (
            ("text", DEMO_NOTICE + CERTIFICATION_RULES),
            ("rules", "grades"),
            ("text", CERTIFICATION_RULES_REMAN),
        ),
        (
            ("text", en.DEMO_NOTICE + en.CERTIFICATION_RULES),
            ("rules", "grades"),
            ("text", en.CERTIFICATION_RULES_REMAN),
        ),
    ),
)


def _compact(html: str) -> str:
    """Join the source lines: a line break between Chinese characters would render as a space."""
    return "".join(line.strip() for line in html.strip().splitlines())


def _compact_en(html: str) -> str:
    """English keeps a space where a source line breaks."""
    return " ".join(line.strip() for line in html.strip().splitlines() if line.strip())


def _stream(body: Body, compact: Callable[[str], str]) -> list[dict]:
    return [
        {"type": "text", "value": compact(value)}
        if kind == "text"
        else {"type": "rules", "value": {"section": value}}
        for kind, value in body
    ]


def _publish(parent: Page, page: Page, published_on: dt.date | None = None) -> Page:
    parent.add_child(instance=page)
    return _publish_revision(page, published_on)


def _publish_revision(page: Page, published_on: dt.date | None = None) -> Page:
    page.save_revision().publish()
    if published_on is not None:
        moment = timezone.make_aware(dt.datetime.combine(published_on, dt.time(9)))
        Page.objects.filter(pk=page.pk).update(first_published_at=moment, last_published_at=moment)
    return page


def _child(parent: Page, slug: str) -> Page | None:
    return parent.get_children().filter(slug=slug).first()


def _translate(page: Page, locale: Locale, published_on: dt.date | None = None, **fields):
    """The page's translation in ``locale``, created with ``fields`` and published if missing;
    None when it already existed (an editor's translation is never overwritten)."""
    if page.get_translation_or_none(locale) is not None:
        return None
    translation = page.specific.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save()
    return _publish_revision(translation, published_on)


def _untouched_seed_without_rules(page: StandardPage) -> bool:
    """True for a page that only the seeder ever saved (one revision, no user) and that has
    no rules block yet: the body the seeder wrote before rules sections became live tables."""
    revisions = list(page.revisions.all()[:2])
    seeded_only = len(revisions) == 1 and revisions[0].user_id is None
    return seeded_only and not any(block.block_type == "rules" for block in page.body)


@contextmanager
def _quiet_wagtail_log():
    """Wagtail logs every page creation and publication at INFO; the seed reports a count."""
    logger = logging.getLogger("wagtail")
    previous = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(previous)


def seed(*, log: Callable[[str], None]) -> int:
    """Create the missing demo pages and translations; returns how many were created."""
    with _quiet_wagtail_log(), transaction.atomic():
        return _seed_pages(log)


def _seed_pages(log: Callable[[str], None]) -> int:
    home = HomePage.objects.filter(locale__language_code="zh-hans").first()
    if home is None:
        home = HomePage.objects.first()
    if home is None:
        log("cms: no home page (run migrate first); demo pages skipped")
        return 0
    english, _created = Locale.objects.get_or_create(language_code="en")
    created = 0
    title, hero_title, hero_subtitle = en.HOME
    if _translate(home, english, title=title, hero_title=hero_title, hero_subtitle=hero_subtitle):
        created += 1
    for spec in STANDARD_PAGES:
        page = _child(home, spec.slug)
        if page is None:
            page = StandardPage(
                title=spec.title,
                slug=spec.slug,
                intro=spec.intro,
                body=_stream(spec.body, _compact),
            )
            _publish(home, page)
            created += 1
        elif any(kind == "rules" for kind, _value in spec.body) and _untouched_seed_without_rules(
            page.specific
        ):
            # Seeded before the rules sections were live tables (its text could state figures
            # the services no longer apply) and never edited since: reseed its body.
            page = page.specific
            page.body = _stream(spec.body, _compact)
            _publish_revision(page)
            log(f"cms: {spec.slug} body reseeded with live rules tables")
        title, intro = en.STANDARD_PAGES[spec.slug]
        if _translate(
            page, english, title=title, intro=intro, body=_stream(spec.body_en, _compact_en)
        ):
            created += 1
    news_index = _child(home, "news")
    if news_index is None:
        news_index = _publish(
            home, NewsIndexPage(title="新闻", slug="news", intro="平台动态与行业资讯。")
        )
        created += 1
    news_index = news_index.specific
    title, intro = en.NEWS_INDEX
    if _translate(news_index, english, title=title, intro=intro):
        created += 1
    for slug, title, date, intro, body in NEWS:
        article = _child(news_index, slug)
        if article is None:
            article = NewsPage(
                title=title, slug=slug, date=date, intro=intro, body=_compact(body + DEMO_NOTICE)
            )
            _publish(news_index, article, published_on=date)
            created += 1
        title, intro, body = en.NEWS[slug]
        body = _compact_en(body + en.DEMO_NOTICE)
        if _translate(article, english, date, title=title, intro=intro, body=body):
            created += 1
    log(f"cms: {created} demo pages created")
    return created
