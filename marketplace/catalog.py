"""The reference catalogue: category tree with size classes, makers and their models.

This is reference data, not user content: :func:`catalog_sync` creates or updates it
idempotently (keyed by category slug, brand slug and ``(brand, model name)``), so it can run
on every ``seed_demo`` and on production to pick up new models. New prices are approximate
list prices in CNY for the Chinese market, good enough to anchor depreciation curves; they
are not quotes.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from marketplace.models import Brand, Category, EquipmentModel, SizeUnit

# --- categories ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryDef:
    slug: str
    name: str
    name_en: str
    size_unit: str = ""
    size_min: Decimal | None = None
    size_max: Decimal | None = None
    children: tuple["CategoryDef", ...] = ()


def _d(value: float | int | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _leaf(slug: str, name: str, name_en: str, unit: str, low=None, high=None) -> CategoryDef:
    return CategoryDef(slug, name, name_en, unit, _d(low), _d(high))


T, KW, LIFT, M, M3 = (
    SizeUnit.TONNES,
    SizeUnit.KILOWATTS,
    SizeUnit.LIFT_TONNES,
    SizeUnit.METRES,
    SizeUnit.CUBIC_METRES,
)

CATEGORY_TREE: tuple[CategoryDef, ...] = (
    CategoryDef(
        "excavator",
        "挖掘机",
        "Excavators",
        T,
        children=(
            _leaf("excavator-mini", "微型挖掘机（6吨以下）", "Mini excavators (<6 t)", T, 0, 6),
            _leaf("excavator-small", "小型挖掘机（6–13吨）", "Small excavators (6–13 t)", T, 6, 13),
            _leaf(
                "excavator-medium",
                "中型挖掘机（13–30吨）",
                "Medium excavators (13–30 t)",
                T,
                13,
                30,
            ),
            _leaf("excavator-large", "大型挖掘机（30吨以上）", "Large excavators (>30 t)", T, 30),
        ),
    ),
    CategoryDef(
        "wheel-loader",
        "装载机",
        "Wheel loaders",
        T,
        children=(
            _leaf(
                "wheel-loader-small",
                "小型装载机（12吨以下）",
                "Small wheel loaders (<12 t)",
                T,
                0,
                12,
            ),
            _leaf(
                "wheel-loader-medium",
                "中型装载机（12–20吨）",
                "Medium wheel loaders (12–20 t)",
                T,
                12,
                20,
            ),
            _leaf(
                "wheel-loader-large", "大型装载机（20吨以上）", "Large wheel loaders (>20 t)", T, 20
            ),
        ),
    ),
    CategoryDef(
        "dozer",
        "推土机",
        "Dozers",
        KW,
        children=(
            _leaf("dozer-small", "小型推土机（120kW以下）", "Small dozers (<120 kW)", KW, 0, 120),
            _leaf(
                "dozer-medium",
                "中型推土机（120–200kW）",
                "Medium dozers (120–200 kW)",
                KW,
                120,
                200,
            ),
            _leaf("dozer-large", "大型推土机（200kW以上）", "Large dozers (>200 kW)", KW, 200),
        ),
    ),
    CategoryDef(
        "crane",
        "起重机",
        "Cranes",
        LIFT,
        children=(
            _leaf("crane-truck", "汽车起重机", "Truck cranes", LIFT),
            _leaf("crane-crawler", "履带起重机", "Crawler cranes", LIFT),
            _leaf("crane-all-terrain", "全地面起重机", "All-terrain cranes", LIFT),
        ),
    ),
    CategoryDef(
        "concrete-pump-truck",
        "混凝土泵车",
        "Concrete pump trucks",
        M,
        children=(
            _leaf("pump-truck-mid", "泵车（臂长45米以下）", "Pump trucks (<45 m boom)", M, 0, 45),
            _leaf("pump-truck-long", "泵车（臂长45米及以上）", "Pump trucks (≥45 m boom)", M, 45),
        ),
    ),
    CategoryDef("mixer-truck", "混凝土搅拌车", "Concrete mixer trucks", M3),
    CategoryDef("roller", "压路机", "Rollers", T),
    CategoryDef("grader", "平地机", "Motor graders", KW),
    CategoryDef("rotary-drilling-rig", "旋挖钻机", "Rotary drilling rigs", T),
    CategoryDef(
        "forklift",
        "叉车",
        "Forklifts",
        LIFT,
        children=(
            _leaf("forklift-light", "叉车（3.5吨以下）", "Forklifts (<3.5 t)", LIFT, 0, 3.5),
            _leaf("forklift-heavy", "叉车（3.5吨及以上）", "Forklifts (≥3.5 t)", LIFT, 3.5),
        ),
    ),
    CategoryDef(
        "aerial-work-platform",
        "高空作业平台",
        "Aerial work platforms",
        M,
        children=(
            _leaf("awp-scissor", "剪叉式高空作业平台", "Scissor lifts", M),
            _leaf("awp-boom", "臂式高空作业平台", "Boom lifts", M),
        ),
    ),
    CategoryDef("backhoe-loader", "挖掘装载机", "Backhoe loaders", T),
    CategoryDef("skid-steer", "滑移装载机", "Skid steer loaders", T),
)


def iter_categories() -> list[tuple[CategoryDef, CategoryDef | None]]:
    """Every category with its parent, parents first."""
    out: list[tuple[CategoryDef, CategoryDef | None]] = []
    for root in CATEGORY_TREE:
        out.append((root, None))
        out.extend((child, root) for child in root.children)
    return out


CATEGORIES_BY_SLUG = {node.slug: node for node, _parent in iter_categories()}
ROOT_OF = {node.slug: (parent or node).slug for node, parent in iter_categories()}


# --- brands ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BrandDef:
    slug: str
    name: str
    name_en: str
    country: str
    is_domestic: bool
    # Log-price retention relative to the market average: premium makers hold value better.
    retention: float
    # Card colour for generated demo photos.
    color: tuple[int, int, int]


BRANDS: tuple[BrandDef, ...] = (
    BrandDef("sany", "三一", "SANY", "中国", True, 0.02, (220, 100, 20)),
    BrandDef("xcmg", "徐工", "XCMG", "中国", True, 0.0, (230, 170, 20)),
    BrandDef("zoomlion", "中联重科", "Zoomlion", "中国", True, 0.0, (60, 130, 90)),
    BrandDef("liugong", "柳工", "LiuGong", "中国", True, -0.04, (30, 90, 170)),
    BrandDef("shantui", "山推", "Shantui", "中国", True, -0.05, (210, 160, 30)),
    BrandDef("sdlg", "临工", "SDLG", "中国", True, -0.05, (200, 150, 40)),
    BrandDef("sunward", "山河智能", "Sunward", "中国", True, -0.06, (190, 60, 40)),
    BrandDef("crchi", "铁建重工", "CRCHI", "中国", True, -0.06, (180, 40, 50)),
    BrandDef("caterpillar", "卡特彼勒", "Caterpillar", "美国", False, 0.10, (240, 190, 0)),
    BrandDef("komatsu", "小松", "Komatsu", "日本", False, 0.10, (220, 180, 60)),
    BrandDef("hitachi", "日立", "Hitachi", "日本", False, 0.09, (230, 120, 40)),
    BrandDef("volvo", "沃尔沃", "Volvo CE", "瑞典", False, 0.06, (210, 170, 30)),
    BrandDef("develon", "迪万伦（斗山）", "Develon (Doosan)", "韩国", False, 0.0, (60, 70, 90)),
    BrandDef("kobelco", "神钢", "Kobelco", "日本", False, 0.06, (50, 120, 180)),
    BrandDef("hyundai", "现代", "HD Hyundai", "韩国", False, -0.02, (240, 200, 40)),
    BrandDef("liebherr", "利勃海尔", "Liebherr", "德国", False, 0.08, (230, 190, 30)),
    BrandDef("heli", "合力", "Heli", "中国", True, -0.04, (220, 60, 40)),
    BrandDef("hangcha", "杭叉", "Hangcha", "中国", True, -0.04, (240, 120, 0)),
    BrandDef("dingli", "鼎力", "Dingli", "中国", True, -0.03, (60, 110, 200)),
    BrandDef("jcb", "杰西博", "JCB", "英国", False, 0.03, (240, 180, 0)),
    BrandDef("bobcat", "山猫", "Bobcat", "美国", False, 0.02, (240, 130, 20)),
)
BRANDS_BY_SLUG = {brand.slug: brand for brand in BRANDS}


# --- models ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelDef:
    brand: str
    root: str
    name: str
    base_model: str
    weight_t: float | None
    power_kw: float | None
    bucket_m3: float | None = None
    lift_t: float | None = None
    price_wan: float = 0.0  # approximate new price in units of 10,000 CNY (万元)
    extra: dict = field(default_factory=dict)  # size facts without a typed column

    @property
    def new_price(self) -> Decimal:
        return (Decimal(str(self.price_wan)) * 10000).quantize(Decimal("0.01"))

    @property
    def category_slug(self) -> str:
        return leaf_category_for(self)


def _models(brand: str, root: str, rows: list[tuple]) -> list[ModelDef]:
    """Rows: (name, base, weight t, kW, bucket m³, lift t, new price 万元[, extra])."""
    return [ModelDef(brand, root, *row) for row in rows]


EX, WL, DZ, CR, PT, MX, RO, GR, RD, FL, AW, BH, SK = (
    "excavator",
    "wheel-loader",
    "dozer",
    "crane",
    "concrete-pump-truck",
    "mixer-truck",
    "roller",
    "grader",
    "rotary-drilling-rig",
    "forklift",
    "aerial-work-platform",
    "backhoe-loader",
    "skid-steer",
)


def _crane(kind: str, boom_m: float) -> dict:
    return {"crane_type": kind, "boom_m": boom_m}


MODELS: tuple[ModelDef, ...] = (
    *_models(
        "sany",
        EX,
        [
            ("SY16C", "SY16", 1.8, 14.6, 0.04, None, 15.5),
            ("SY35U", "SY35", 3.8, 21.6, 0.11, None, 27.0),
            ("SY60C", "SY60", 5.8, 36.2, 0.23, None, 33.0),
            ("SY75C", "SY75", 7.3, 42.4, 0.28, None, 38.0),
            ("SY135C", "SY135", 13.5, 86.0, 0.6, None, 62.0),
            ("SY215C", "SY215", 21.9, 118.0, 1.1, None, 86.0),
            ("SY245H", "SY245", 24.5, 128.0, 1.3, None, 99.0),
            ("SY365H", "SY365", 36.0, 212.0, 1.8, None, 150.0),
            ("SY500H", "SY500", 49.5, 280.0, 2.8, None, 245.0),
        ],
    ),
    *_models("sany", WL, [("SW956E", "SW956", 17.3, 162.0, 3.0, 5.0, 36.0)]),
    *_models(
        "sany",
        CR,
        [
            ("STC250C", "STC250", 33.0, 247.0, None, 25.0, 118.0, _crane("truck", 44.5)),
            ("STC550", "STC550", 42.0, 276.0, None, 55.0, 240.0, _crane("truck", 58.0)),
            ("SCC550E", "SCC550", 52.0, 213.0, None, 55.0, 320.0, _crane("crawler", 52.0)),
            (
                "SAC1300S",
                "SAC1300",
                60.0,
                390.0,
                None,
                130.0,
                780.0,
                _crane("all_terrain", 70.0),
            ),
        ],
    ),
    *_models(
        "sany",
        PT,
        [
            ("SYM5350THB 49C-10", "49C", 35.0, 294.0, None, None, 320.0, {"boom_m": 49}),
            ("SYM5440THB 62C-10", "62C", 44.0, 317.0, None, None, 520.0, {"boom_m": 62}),
            ("SYM5230THB 37C-10", "37C", 23.0, 247.0, None, None, 210.0, {"boom_m": 37}),
        ],
    ),
    *_models("sany", MX, [("SY412C-8S", "SY412", 16.0, 247.0, None, None, 42.0, {"drum_m3": 12})]),
    *_models("sany", RO, [("SSR220C-8", "SSR220", 22.0, 140.0, None, None, 48.0)]),
    *_models("sany", GR, [("STG190C-8S", "STG190", 16.5, 140.0, None, None, 70.0)]),
    *_models(
        "sany",
        RD,
        [
            ("SR235-C10", "SR235", 72.0, 298.0, None, None, 360.0, {"torque_knm": 235}),
            ("SR405R-H10", "SR405", 130.0, 402.0, None, None, 760.0, {"torque_knm": 405}),
        ],
    ),
    *_models(
        "xcmg",
        EX,
        [
            ("XE35U", "XE35", 4.2, 21.6, 0.12, None, 26.0),
            ("XE60DA", "XE60", 5.9, 36.2, 0.23, None, 32.0),
            ("XE75DA", "XE75", 7.5, 42.0, 0.3, None, 36.0),
            ("XE135D", "XE135", 13.5, 86.0, 0.6, None, 58.0),
            ("XE215DA", "XE215", 21.5, 118.0, 1.0, None, 80.0),
            ("XE370DK", "XE370", 36.5, 212.0, 1.8, None, 145.0),
            ("XE490DK", "XE490", 49.0, 270.0, 2.5, None, 230.0),
        ],
    ),
    *_models(
        "xcmg",
        WL,
        [
            ("LW300KV", "LW300", 10.5, 92.0, 1.8, 3.0, 21.0),
            ("LW500FV", "LW500", 17.5, 162.0, 3.0, 5.0, 38.0),
            ("LW600KV", "LW600", 20.5, 175.0, 3.5, 6.0, 48.0),
        ],
    ),
    *_models(
        "xcmg",
        CR,
        [
            ("XCT25L5", "XCT25", 32.5, 247.0, None, 25.0, 112.0, _crane("truck", 41.0)),
            ("XCT75", "XCT75", 44.0, 316.0, None, 75.0, 320.0, _crane("truck", 64.0)),
            ("XGC55", "XGC55", 50.0, 194.0, None, 55.0, 300.0, _crane("crawler", 52.0)),
            ("XCA130", "XCA130", 60.0, 400.0, None, 130.0, 760.0, _crane("all_terrain", 72.0)),
        ],
    ),
    *_models("xcmg", PT, [("HB52V", "HB52", 39.0, 316.0, None, None, 410.0, {"boom_m": 52})]),
    *_models("xcmg", MX, [("G10K", "G10", 15.5, 247.0, None, None, 38.0, {"drum_m3": 10})]),
    *_models("xcmg", RO, [("XS223J", "XS223", 22.0, 140.0, None, None, 45.0)]),
    *_models("xcmg", GR, [("GR1805", "GR1805", 15.4, 140.0, None, None, 68.0)]),
    *_models(
        "xcmg", RD, [("XR240E", "XR240", 73.0, 298.0, None, None, 350.0, {"torque_knm": 240})]
    ),
    *_models("xcmg", FL, [("XCB-D30", "XCB30", 4.3, 36.8, None, 3.0, 8.5)]),
    *_models(
        "xcmg",
        AW,
        [
            (
                "XG1212DC",
                "XG1212",
                3.0,
                None,
                None,
                0.32,
                9.5,
                {"awp_type": "scissor", "height_m": 14},
            ),
            (
                "XGS22",
                "XGS22",
                14.5,
                36.0,
                None,
                0.25,
                68.0,
                {"awp_type": "boom", "height_m": 22},
            ),
        ],
    ),
    *_models(
        "zoomlion",
        EX,
        [
            ("ZE60E-10", "ZE60", 5.9, 36.2, 0.22, None, 30.0),
            ("ZE135E-10", "ZE135", 13.5, 86.0, 0.6, None, 57.0),
            ("ZE215E", "ZE215", 21.8, 118.0, 1.05, None, 78.0),
            ("ZE375E", "ZE375", 37.0, 212.0, 1.8, None, 142.0),
        ],
    ),
    *_models(
        "zoomlion",
        CR,
        [
            ("ZTC250V", "ZTC250", 33.0, 247.0, None, 25.0, 115.0, _crane("truck", 43.0)),
            ("ZTC550V", "ZTC550", 42.0, 276.0, None, 55.0, 235.0, _crane("truck", 60.0)),
            ("ZCC550H", "ZCC550", 50.0, 213.0, None, 55.0, 310.0, _crane("crawler", 52.0)),
            (
                "ZAT1300V",
                "ZAT1300",
                60.0,
                390.0,
                None,
                130.0,
                760.0,
                _crane("all_terrain", 72.0),
            ),
        ],
    ),
    *_models(
        "zoomlion",
        PT,
        [
            ("56X-6RZ", "56X", 41.0, 316.0, None, None, 460.0, {"boom_m": 56}),
            ("49X-6RZ", "49X", 35.0, 294.0, None, None, 310.0, {"boom_m": 49}),
            ("38X-5RZ", "38X", 24.0, 247.0, None, None, 205.0, {"boom_m": 38}),
        ],
    ),
    *_models(
        "zoomlion",
        MX,
        [("ZLJ5310GJB", "ZLJ5310", 15.5, 247.0, None, None, 40.0, {"drum_m3": 12})],
    ),
    *_models(
        "zoomlion",
        RD,
        [("ZR280C", "ZR280", 80.0, 298.0, None, None, 420.0, {"torque_knm": 280})],
    ),
    *_models("zoomlion", FL, [("FD30", "FD30", 4.4, 36.8, None, 3.0, 8.0)]),
    *_models(
        "zoomlion",
        AW,
        [
            (
                "ZS0808AC",
                "ZS0808",
                2.3,
                None,
                None,
                0.23,
                7.5,
                {"awp_type": "scissor", "height_m": 10},
            ),
            (
                "ZT22J",
                "ZT22",
                13.8,
                36.0,
                None,
                0.3,
                70.0,
                {"awp_type": "boom", "height_m": 22},
            ),
        ],
    ),
    *_models(
        "liugong",
        EX,
        [
            ("915E", "915", 14.8, 86.0, 0.65, None, 56.0),
            ("922F", "922", 22.0, 124.0, 1.05, None, 75.0),
            ("936E", "936", 35.6, 212.0, 1.7, None, 128.0),
        ],
    ),
    *_models(
        "liugong",
        WL,
        [
            ("CLG835H", "CLG835", 10.8, 92.0, 1.8, 3.0, 19.0),
            ("CLG856H", "CLG856", 17.3, 162.0, 3.0, 5.0, 36.0),
            ("CLG862H", "CLG862", 20.5, 175.0, 3.5, 6.0, 45.0),
        ],
    ),
    *_models("liugong", DZ, [("B160C", "B160", 17.5, 131.0, None, None, 62.0)]),
    *_models("liugong", GR, [("CLG4180D", "CLG4180", 15.5, 140.0, None, None, 62.0)]),
    *_models("liugong", RO, [("CLG6626E", "CLG6626", 26.0, 140.0, None, None, 47.0)]),
    *_models("liugong", BH, [("CLG777A", "CLG777", 7.6, 70.0, 1.0, None, 42.0)]),
    *_models("liugong", SK, [("385B", "385", 3.8, 55.0, 0.45, None, 22.0)]),
    *_models("shantui", EX, [("SE215W", "SE215", 21.5, 118.0, 1.0, None, 70.0)]),
    *_models(
        "shantui",
        DZ,
        [
            ("SD13", "SD13", 14.0, 97.0, None, None, 48.0),
            ("SD16", "SD16", 17.0, 131.0, None, None, 60.0),
            ("SD22", "SD22", 23.4, 175.0, None, None, 90.0),
            ("SD32", "SD32", 37.0, 235.0, None, None, 150.0),
        ],
    ),
    *_models("shantui", WL, [("L55-C3", "L55", 17.0, 162.0, 3.0, 5.0, 33.0)]),
    *_models("shantui", RO, [("SR20M-3", "SR20", 20.0, 133.0, None, None, 40.0)]),
    *_models("shantui", GR, [("SG21-3", "SG21", 16.5, 160.0, None, None, 66.0)]),
    *_models(
        "sdlg",
        WL,
        [
            ("LG936L", "LG936", 10.9, 92.0, 1.8, 3.0, 18.0),
            ("LG956L", "LG956", 17.0, 162.0, 3.0, 5.0, 33.0),
            ("L968F", "L968", 20.0, 178.0, 3.5, 6.0, 42.0),
        ],
    ),
    *_models(
        "sdlg",
        EX,
        [
            ("E660F", "E660", 6.0, 36.2, 0.23, None, 28.0),
            ("E6150F", "E6150", 15.0, 86.0, 0.65, None, 52.0),
            ("E6210F", "E6210", 21.5, 118.0, 1.0, None, 68.0),
        ],
    ),
    *_models("sdlg", GR, [("G9190", "G9190", 15.7, 140.0, None, None, 58.0)]),
    *_models("sdlg", RO, [("RS8200", "RS8200", 20.0, 133.0, None, None, 38.0)]),
    *_models("sdlg", BH, [("B877F", "B877", 8.0, 70.0, 1.0, None, 40.0)]),
    *_models(
        "sunward",
        EX,
        [
            ("SWE18UF", "SWE18", 1.8, 14.7, 0.04, None, 15.0),
            ("SWE60E", "SWE60", 5.9, 36.2, 0.21, None, 29.0),
            ("SWE80E9", "SWE80", 8.0, 42.0, 0.32, None, 35.0),
            ("SWE215E", "SWE215", 21.5, 118.0, 1.0, None, 70.0),
        ],
    ),
    *_models(
        "sunward",
        RD,
        [
            ("SWDM200", "SWDM200", 60.0, 250.0, None, None, 290.0, {"torque_knm": 200}),
            ("SWDM280", "SWDM280", 82.0, 298.0, None, None, 400.0, {"torque_knm": 280}),
        ],
    ),
    *_models("sunward", SK, [("SWL3220", "SWL3220", 3.2, 55.0, 0.4, None, 20.0)]),
    *_models(
        "crchi",
        RD,
        [
            ("ZJD260", "ZJD260", 75.0, 298.0, None, None, 380.0, {"torque_knm": 260}),
            ("ZJD360", "ZJD360", 105.0, 380.0, None, None, 560.0, {"torque_knm": 360}),
        ],
    ),
    *_models(
        "caterpillar",
        EX,
        [
            ("305.5E2", "305.5", 5.5, 33.0, 0.2, None, 48.0),
            ("307.5", "307.5", 7.9, 48.0, 0.33, None, 58.0),
            ("313GC", "313", 13.5, 75.0, 0.6, None, 85.0),
            ("320GC", "320", 20.6, 110.0, 1.0, None, 105.0),
            ("323", "323", 23.5, 121.0, 1.2, None, 125.0),
            ("336GC", "336", 36.0, 204.0, 1.9, None, 205.0),
            ("349", "349", 49.0, 311.0, 2.9, None, 330.0),
        ],
    ),
    *_models("caterpillar", WL, [("950GC", "950", 18.7, 168.0, 3.1, 5.0, 95.0)]),
    *_models(
        "caterpillar",
        DZ,
        [
            ("D6", "D6", 22.0, 161.0, None, None, 260.0),
            ("D8R", "D8", 38.0, 231.0, None, None, 420.0),
        ],
    ),
    *_models("caterpillar", GR, [("140K", "140", 15.6, 137.0, None, None, 150.0)]),
    *_models("caterpillar", RO, [("CS11GC", "CS11", 11.0, 98.0, None, None, 70.0)]),
    *_models("caterpillar", BH, [("416", "416", 7.9, 70.0, 1.0, None, 75.0)]),
    *_models("caterpillar", SK, [("242D3", "242", 3.5, 55.0, 0.45, None, 38.0)]),
    *_models(
        "komatsu",
        EX,
        [
            ("PC56-7", "PC56", 5.6, 29.1, 0.18, None, 45.0),
            ("PC70-8", "PC70", 7.0, 48.5, 0.32, None, 55.0),
            ("PC130-8", "PC130", 12.9, 73.0, 0.5, None, 78.0),
            ("PC200-8M0", "PC200", 20.0, 110.0, 0.93, None, 98.0),
            ("PC210-10M0", "PC210", 21.5, 123.0, 1.05, None, 110.0),
            ("PC360-8M0", "PC360", 35.5, 202.0, 1.6, None, 190.0),
            ("PC450-8", "PC450", 45.0, 257.0, 2.1, None, 280.0),
        ],
    ),
    *_models("komatsu", WL, [("WA380-6", "WA380", 17.6, 142.0, 3.0, 5.0, 90.0)]),
    *_models(
        "komatsu",
        DZ,
        [
            ("D65EX-18", "D65", 21.0, 164.0, None, None, 240.0),
            ("D155AX-8", "D155", 40.0, 264.0, None, None, 450.0),
        ],
    ),
    *_models(
        "hitachi",
        EX,
        [
            ("ZX60-5A", "ZX60", 5.9, 34.1, 0.22, None, 46.0),
            ("ZX70-5A", "ZX70", 7.1, 40.5, 0.3, None, 54.0),
            ("ZX130-5A", "ZX130", 12.9, 69.0, 0.5, None, 76.0),
            ("ZX200-5A", "ZX200", 20.0, 122.0, 0.91, None, 96.0),
            ("ZX250H-5A", "ZX250", 25.0, 140.0, 1.2, None, 125.0),
            ("ZX350H-5A", "ZX350", 35.0, 202.0, 1.6, None, 185.0),
            ("ZX490LCH-5A", "ZX490", 49.0, 270.0, 2.5, None, 300.0),
        ],
    ),
    *_models(
        "volvo",
        EX,
        [
            ("EC55D", "EC55", 5.5, 34.0, 0.2, None, 42.0),
            ("EC140D", "EC140", 14.5, 86.0, 0.65, None, 80.0),
            ("EC200D", "EC200", 20.3, 112.0, 0.93, None, 90.0),
            ("EC210D", "EC210", 21.5, 124.0, 1.05, None, 100.0),
            ("EC380D", "EC380", 38.0, 220.0, 1.9, None, 210.0),
            ("EC480D", "EC480", 48.0, 280.0, 2.5, None, 300.0),
        ],
    ),
    *_models("volvo", WL, [("L120H", "L120", 20.5, 200.0, 3.6, 6.0, 120.0)]),
    *_models("volvo", RO, [("SD110C", "SD110", 11.0, 98.0, None, None, 68.0)]),
    *_models(
        "develon",
        EX,
        [
            ("DX60-9C", "DX60", 5.8, 35.0, 0.21, None, 36.0),
            ("DX75-9C", "DX75", 7.5, 45.0, 0.3, None, 43.0),
            ("DX150LC-9C", "DX150", 15.0, 86.0, 0.65, None, 66.0),
            ("DX215-9C", "DX215", 21.5, 118.0, 1.05, None, 82.0),
            ("DX300LC-9C", "DX300", 30.5, 178.0, 1.4, None, 125.0),
            ("DX380LC-9C", "DX380", 38.0, 212.0, 1.8, None, 160.0),
        ],
    ),
    *_models(
        "kobelco",
        EX,
        [
            ("SK55SR-6", "SK55", 5.5, 29.0, 0.18, None, 40.0),
            ("SK75-8", "SK75", 7.6, 40.5, 0.32, None, 50.0),
            ("SK140LC-10", "SK140", 14.5, 74.0, 0.6, None, 78.0),
            ("SK200-10", "SK200", 20.0, 114.0, 0.93, None, 92.0),
            ("SK260LC-10", "SK260", 26.0, 140.0, 1.2, None, 120.0),
            ("SK350LC-10", "SK350", 35.0, 209.0, 1.6, None, 175.0),
            ("SK500LC-10", "SK500", 50.0, 270.0, 2.6, None, 290.0),
        ],
    ),
    *_models(
        "hyundai",
        EX,
        [
            ("R60VS", "R60", 5.9, 36.0, 0.22, None, 33.0),
            ("R80VS", "R80", 8.0, 42.0, 0.32, None, 40.0),
            ("R150VS", "R150", 15.0, 86.0, 0.65, None, 63.0),
            ("R215VS", "R215", 21.5, 118.0, 1.05, None, 78.0),
            ("R335VS", "R335", 33.5, 202.0, 1.6, None, 130.0),
            ("R485VS", "R485", 48.5, 270.0, 2.5, None, 210.0),
        ],
    ),
    *_models("hyundai", WL, [("HL960", "HL960", 18.5, 164.0, 3.2, 5.0, 60.0)]),
    *_models(
        "liebherr",
        EX,
        [
            ("R 926", "R926", 26.0, 150.0, 1.3, None, 160.0),
            ("R 945", "R945", 45.0, 250.0, 2.3, None, 320.0),
            ("R 956", "R956", 56.0, 310.0, 3.0, None, 420.0),
        ],
    ),
    *_models("liebherr", WL, [("L 550", "L550", 17.0, 140.0, 3.2, 5.0, 130.0)]),
    *_models("liebherr", DZ, [("PR 736", "PR736", 24.0, 185.0, None, None, 330.0)]),
    *_models(
        "liebherr",
        CR,
        [
            (
                "LTM 1100-5.2",
                "LTM1100",
                60.0,
                400.0,
                None,
                100.0,
                950.0,
                _crane("all_terrain", 52.0),
            ),
            ("LR 1300", "LR1300", 160.0, 270.0, None, 300.0, 1800.0, _crane("crawler", 84.0)),
        ],
    ),
    *_models(
        "liebherr", RD, [("LB 28", "LB28", 92.0, 400.0, None, None, 900.0, {"torque_knm": 280})]
    ),
    *_models(
        "heli",
        FL,
        [
            ("CPCD30-Q", "CPCD30", 4.3, 36.8, None, 3.0, 7.5),
            ("CPCD50", "CPCD50", 7.5, 60.0, None, 5.0, 14.0),
            ("CPD20", "CPD20", 3.4, 11.0, None, 2.0, 9.0),
        ],
    ),
    *_models(
        "hangcha",
        FL,
        [
            ("CPCD30-XH", "CPCD30", 4.2, 36.8, None, 3.0, 7.2),
            ("CPCD70", "CPCD70", 9.8, 82.0, None, 7.0, 22.0),
            ("CPD25-XD4", "CPD25", 3.8, 14.0, None, 2.5, 10.0),
        ],
    ),
    *_models(
        "dingli",
        AW,
        [
            (
                "JCPT1212DC",
                "JCPT1212",
                3.0,
                None,
                None,
                0.32,
                9.0,
                {"awp_type": "scissor", "height_m": 14},
            ),
            (
                "JCPT0808DC",
                "JCPT0808",
                2.2,
                None,
                None,
                0.23,
                6.5,
                {"awp_type": "scissor", "height_m": 10},
            ),
            (
                "GTBZ22S",
                "GTBZ22",
                14.0,
                36.0,
                None,
                0.25,
                65.0,
                {"awp_type": "boom", "height_m": 22},
            ),
            (
                "GTBZ16AE",
                "GTBZ16",
                7.0,
                None,
                None,
                0.23,
                45.0,
                {"awp_type": "boom", "height_m": 16},
            ),
        ],
    ),
    *_models(
        "jcb",
        BH,
        [
            ("3CX", "3CX", 8.2, 68.0, 1.0, None, 62.0),
            ("4CX", "4CX", 8.9, 81.0, 1.1, None, 80.0),
        ],
    ),
    *_models("jcb", EX, [("JS205", "JS205", 21.0, 129.0, 1.0, None, 90.0)]),
    *_models("jcb", SK, [("175", "175", 3.3, 55.0, 0.4, None, 32.0)]),
    *_models(
        "bobcat",
        SK,
        [
            ("S450", "S450", 2.6, 36.0, 0.3, None, 26.0),
            ("S570", "S570", 3.0, 45.0, 0.35, None, 32.0),
            ("S650", "S650", 3.7, 55.0, 0.4, None, 38.0),
        ],
    ),
    *_models("bobcat", EX, [("E35", "E35", 3.5, 18.0, 0.1, None, 32.0)]),
)


# --- size classes ----------------------------------------------------------------------------


def _in_range(node: CategoryDef, value: float | None) -> bool:
    if value is None:
        return False
    low = float(node.size_min) if node.size_min is not None else float("-inf")
    high = float(node.size_max) if node.size_max is not None else float("inf")
    return low <= value < high


_SIZE_OF: dict[str, Callable[[ModelDef], float | None]] = {
    "excavator": lambda m: m.weight_t,
    "wheel-loader": lambda m: m.weight_t,
    "dozer": lambda m: m.power_kw,
    "concrete-pump-truck": lambda m: m.extra.get("boom_m"),
    "forklift": lambda m: m.lift_t,
}
_TYPE_LEAF = {
    ("crane", "truck"): "crane-truck",
    ("crane", "crawler"): "crane-crawler",
    ("crane", "all_terrain"): "crane-all-terrain",
    ("aerial-work-platform", "scissor"): "awp-scissor",
    ("aerial-work-platform", "boom"): "awp-boom",
}


def leaf_category_for(model: ModelDef) -> str:
    """The size-class leaf a model belongs to (e.g. a 21.9 t excavator → excavator-medium).

    Lower bounds are inclusive: a 13.0 t excavator is medium, a 12.9 t one is small.
    """
    root = CATEGORIES_BY_SLUG[model.root]
    if not root.children:
        return root.slug
    kind = model.extra.get("crane_type") or model.extra.get("awp_type")
    if kind:
        return _TYPE_LEAF[(root.slug, kind)]
    size = _SIZE_OF[root.slug](model)
    for child in root.children:
        if _in_range(child, size):
            return child.slug
    raise ValueError(f"{model.brand} {model.name}: size {size} fits no class of {root.slug}")


# --- synchronisation -------------------------------------------------------------------------


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0


def _sync_rows(model_class, wanted: dict, existing: dict, result: SyncResult) -> dict:
    """Create the missing rows in one insert; save only the fields that differ on the others.

    ``wanted`` maps a natural key to the row's field values (including the key's own fields).
    """
    missing = [model_class(**values) for key, values in wanted.items() if key not in existing]
    for key, values in wanted.items():
        obj = existing.get(key)
        if obj is None:
            continue
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        for name in changed:
            setattr(obj, name, values[name])
        if changed:
            obj.save(update_fields=changed)
            result.updated += 1
    model_class.objects.bulk_create(missing)
    result.created += len(missing)
    return existing


def _sync_categories(result: SyncResult) -> dict[str, Category]:
    """Parents first, one level at a time, so children can point at saved parents."""
    categories = {c.slug: c for c in Category.objects.select_related("parent")}
    positions = {node.slug: position for position, (node, _p) in enumerate(iter_categories())}
    for level in (CATEGORY_TREE, tuple(c for root in CATEGORY_TREE for c in root.children)):
        wanted = {
            node.slug: {
                "slug": node.slug,
                "name": node.name,
                "name_en": node.name_en,
                "parent": categories[ROOT_OF[node.slug]]
                if node.slug != ROOT_OF[node.slug]
                else None,
                "size_unit": node.size_unit,
                "size_min": node.size_min,
                "size_max": node.size_max,
                "position": positions[node.slug],
            }
            for node in level
        }
        _sync_rows(Category, wanted, categories, result)
        categories = {c.slug: c for c in Category.objects.select_related("parent")}
    return categories


@transaction.atomic
def catalog_sync() -> dict[str, SyncResult]:
    """Create or update categories, brands and models; never deletes (machines refer to them).

    Returns per-table counts of created and updated rows; a second run reports zeros.
    """
    results = {"categories": SyncResult(), "brands": SyncResult(), "models": SyncResult()}
    categories = _sync_categories(results["categories"])
    brand_rows = {
        spec.slug: {
            "slug": spec.slug,
            "name": spec.name,
            "name_en": spec.name_en,
            "country": spec.country,
            "is_domestic": spec.is_domestic,
        }
        for spec in BRANDS
    }
    _sync_rows(Brand, brand_rows, {b.slug: b for b in Brand.objects.all()}, results["brands"])
    brands = {b.slug: b for b in Brand.objects.all()}
    model_rows = {
        (spec.brand, spec.name): {
            "brand": brands[spec.brand],
            "name": spec.name,
            "category": categories[spec.category_slug],
            "base_model": spec.base_model,
            "operating_weight_t": _q(spec.weight_t, "0.01"),
            "engine_power_kw": _q(spec.power_kw, "0.1"),
            "bucket_capacity_m3": _q(spec.bucket_m3, "0.01"),
            "lifting_capacity_t": _q(spec.lift_t, "0.1"),
            "new_price": spec.new_price,
        }
        for spec in MODELS
    }
    existing = {
        (m.brand.slug, m.name): m
        for m in EquipmentModel.objects.select_related("brand", "category")
    }
    _sync_rows(EquipmentModel, model_rows, existing, results["models"])
    return results


def _q(value: float | None, places: str) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal(places))


def model_specs_by_key() -> dict[tuple[str, str], ModelDef]:
    """Catalogue entries keyed by (brand slug, model name), for the demo data generator."""
    return {(spec.brand, spec.name): spec for spec in MODELS}
