"""Demo organizations and logins: one user per role with a fixed username, plus several
dozen simulated dealers who own the demo machines and a few simulated buyers.

Organizations are found again by their credit code, which is derived from a fixed key, so
every run finds what an earlier run created.
"""

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import (
    KycStatus,
    Membership,
    Organization,
    OrganizationKind,
    Role,
    SellerType,
    User,
)
from accounts.validators import CREDIT_CODE_ALPHABET, credit_code_check_character
from core.geo import CITIES, CITIES_BY_NAME
from marketplace.demo.pricing import rng_for

DEMO_PASSWORD = "ironloop-demo"  # noqa: S105 - documented demo credential, simulated data only

# Administrative division codes (GB/T 2260) of the cities in core.geo.
REGION_CODES = {
    "长沙市": "430100",
    "株洲市": "430200",
    "湘潭市": "430300",
    "衡阳市": "430400",
    "邵阳市": "430500",
    "岳阳市": "430600",
    "常德市": "430700",
    "张家界市": "430800",
    "益阳市": "430900",
    "郴州市": "431000",
    "永州市": "431100",
    "怀化市": "431200",
    "娄底市": "431300",
    "吉首市": "433101",
}


def demo_credit_code(key: str, city: str) -> str:
    """A valid, deterministic unified social credit code for a simulated organization."""
    digest = hashlib.sha256(f"ironloop-demo:{key}".encode()).digest()
    body = "".join(CREDIT_CODE_ALPHABET[b % len(CREDIT_CODE_ALPHABET)] for b in digest[:9])
    first17 = "91" + REGION_CODES.get(city, "430100") + body
    return first17 + credit_code_check_character(first17)


@dataclass(frozen=True)
class DemoOrg:
    key: str
    name: str
    kind: str
    city: str
    seller_type: str = SellerType.DEALER
    description: str = ""


@dataclass(frozen=True)
class DemoLogin:
    username: str
    display_name: str
    org_key: str
    role: str
    is_staff: bool = False


DEMO_ORGS: tuple[DemoOrg, ...] = (
    DemoOrg("dealer", "长沙湘联工程机械有限公司（演示）", OrganizationKind.DEALER, "长沙市"),
    DemoOrg("dealer2", "株洲株江设备贸易有限公司（演示）", OrganizationKind.DEALER, "株洲市"),
    DemoOrg(
        "buyer",
        "湘潭路桥建设有限公司（演示）",
        OrganizationKind.BUYER,
        "湘潭市",
        SellerType.PRIVATE,
    ),
    DemoOrg("lessor", "湘江融资租赁有限公司（演示）", OrganizationKind.LESSOR, "长沙市"),
    DemoOrg("certifier", "长沙工程机械检测认证中心（演示）", OrganizationKind.CERTIFIER, "长沙市"),
    DemoOrg("recycler", "湖南循环再生资源有限公司（演示）", OrganizationKind.RECYCLER, "娄底市"),
    DemoOrg("platform", "Ironloop 铁环平台运营（演示）", OrganizationKind.PLATFORM, "长沙市"),
)

DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("dealer", "张经理（经销商）", "dealer", Role.OWNER),
    DemoLogin("dealer2", "李经理（经销商二）", "dealer2", Role.OWNER),
    DemoLogin("buyer", "王工（买家）", "buyer", Role.BUYER),
    DemoLogin("lessor", "赵专员（融资租赁）", "lessor", Role.FINANCE),
    DemoLogin("inspector", "刘工（检测师）", "certifier", Role.INSPECTOR),
    DemoLogin("recycler", "陈经理（回收拆解）", "recycler", Role.OWNER),
    DemoLogin("staff", "平台运营", "platform", Role.ADMIN, is_staff=True),
)

# fmt: off
_TRADE_NAMES = (
    "鑫达", "宏远", "恒通", "华盛", "瑞丰", "顺通", "金马", "远航", "天宇", "永盛", "力拓", "众合",
    "兴旺", "长泰", "德润", "新湘", "湘达", "博远", "嘉禾", "联创", "路鑫", "通衢", "铁骑", "巨力",
    "凯达", "汇通", "昊天", "盛世", "宏基", "中湘", "楚天", "潇湘", "星城", "麓山", "岳麓", "湘江",
    "莲城", "韶峰", "衡岳", "洞庭", "沅澧", "雪峰", "南岭", "梅山", "资江", "芙蓉", "金霞", "鸿运",
)
# fmt: on
_SUFFIXES = {
    SellerType.DEALER: ("工程机械有限公司", "机械设备销售有限公司", "二手工程机械贸易有限公司"),
    SellerType.RENTAL: ("设备租赁有限公司", "机械租赁有限公司"),
    SellerType.PRIVATE: ("建设工程有限公司", "土石方工程有限公司", "路桥工程有限公司"),
    SellerType.OEM: ("重工二手设备中心",),
}
_SELLER_TYPE_WEIGHTS = (
    (SellerType.DEALER, 0.6),
    (SellerType.RENTAL, 0.2),
    (SellerType.PRIVATE, 0.15),
    (SellerType.OEM, 0.05),
)
# Where sellers sit: the Changsha–Zhuzhou–Xiangtan core first.
CITY_WEIGHTS = {
    "长沙市": 0.34,
    "株洲市": 0.14,
    "湘潭市": 0.12,
    "衡阳市": 0.06,
    "岳阳市": 0.06,
    "常德市": 0.05,
    "益阳市": 0.04,
    "娄底市": 0.04,
    "郴州市": 0.03,
    "永州市": 0.03,
    "怀化市": 0.03,
    "邵阳市": 0.03,
    "张家界市": 0.015,
    "吉首市": 0.015,
}
SIMULATED_DEALERS = 48
SIMULATED_BUYERS = 12


def weighted_city(rng: random.Random) -> str:
    names = list(CITY_WEIGHTS)
    return rng.choices(names, weights=[CITY_WEIGHTS[n] for n in names])[0]


def simulated_sellers(seed: int) -> list[DemoOrg]:
    rng = rng_for(seed, "sellers")
    names = rng.sample(_TRADE_NAMES, SIMULATED_DEALERS)
    # Cities in proportion to CITY_WEIGHTS (at least one seller each), not left to chance.
    cities = [c for c, w in CITY_WEIGHTS.items() for _ in range(max(1, round(w * len(names))))]
    rng.shuffle(cities)
    sellers = []
    for index, trade_name in enumerate(names):
        city = cities[index % len(cities)]
        types, weights = zip(*_SELLER_TYPE_WEIGHTS, strict=True)
        seller_type = rng.choices(types, weights=weights)[0]
        short = CITIES_BY_NAME[city].name.removesuffix("市")
        name = f"{short}{trade_name}{rng.choice(_SUFFIXES[seller_type])}"
        sellers.append(
            DemoOrg(
                f"seller-{index:03d}",
                name,
                OrganizationKind.DEALER,
                city,
                seller_type,
                "模拟数据：虚构的卖家机构，仅用于演示。",
            )
        )
    return sellers


def simulated_buyers(seed: int) -> list[DemoOrg]:
    rng = rng_for(seed, "buyers")
    names = rng.sample(_TRADE_NAMES, SIMULATED_BUYERS)
    return [
        DemoOrg(
            f"buyer-{index:03d}",
            f"{CITIES[index % len(CITIES)].name.removesuffix('市')}{name}建设工程有限公司",
            OrganizationKind.BUYER,
            CITIES[index % len(CITIES)].name,
            SellerType.PRIVATE,
            "模拟数据：虚构的买家机构，仅用于演示。",
        )
        for index, name in enumerate(names)
    ]


@dataclass
class DemoAccounts:
    orgs: dict[str, Organization]
    users: dict[str, User]
    sellers: list[Organization]
    buyers: list[Organization]
    created: int = 0


def _ensure_org(spec: DemoOrg) -> tuple[Organization, bool]:
    code = demo_credit_code(spec.key, spec.city)
    org = Organization.objects.filter(credit_code=code).first()
    if org is not None:
        return org, False
    org = Organization.objects.create(
        name=spec.name,
        kind=spec.kind,
        seller_type=spec.seller_type,
        credit_code=code,
        kyc_status=KycStatus.VERIFIED,
        kyc_note="模拟数据：演示机构自动通过认证。",
        kyc_reviewed_at=timezone.now(),
        province="湖南省",
        city=spec.city,
        phone="0731-8" + code[9:16].translate(_DIGITS),
        description=spec.description or "演示账号所属机构（模拟数据）。",
        is_simulated=True,
    )
    return org, True


_DIGITS = str.maketrans({c: str(i % 10) for i, c in enumerate(CREDIT_CODE_ALPHABET)})


def _ensure_login(spec: DemoLogin, org: Organization) -> tuple[User, bool]:
    user = User.objects.filter(username=spec.username).first()
    created = user is None
    if created:
        user = User(
            username=spec.username,
            email=f"{spec.username}@example.com",
            display_name=spec.display_name,
            is_staff=spec.is_staff,
            is_superuser=spec.is_staff,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    Membership.objects.get_or_create(user=user, organization=org, defaults={"role": spec.role})
    return user, created


@transaction.atomic
def demo_accounts_ensure(*, seed: int, log: Callable[[str], None]) -> DemoAccounts:
    """Create (or find) the demo organizations, role logins and simulated market players."""
    result = DemoAccounts(orgs={}, users={}, sellers=[], buyers=[])
    for spec in DEMO_ORGS:
        result.orgs[spec.key], created = _ensure_org(spec)
        result.created += created
    for login in DEMO_LOGINS:
        result.users[login.username], created = _ensure_login(login, result.orgs[login.org_key])
        result.created += created
    for spec in simulated_sellers(seed):
        org, created = _ensure_org(spec)
        result.sellers.append(org)
        result.created += created
    for spec in simulated_buyers(seed):
        org, created = _ensure_org(spec)
        result.buyers.append(org)
        result.created += created
    log(
        f"accounts: {len(result.orgs) + len(result.sellers) + len(result.buyers)} organizations, "
        f"{len(result.users)} logins ({result.created} new)"
    )
    return result
