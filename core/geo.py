"""Cities the platform serves first, with coordinates for distance filters (WGS-84)."""

import math
from dataclasses import dataclass

from django.utils.translation import get_language


@dataclass(frozen=True)
class City:
    name: str
    name_en: str
    province: str
    district_examples: tuple[str, ...]
    latitude: float
    longitude: float


HUNAN = "湖南省"
# English names of the provinces and districts the platform stores (cities carry their own).
PROVINCES_EN = {
    HUNAN: "Hunan",
    "湖北省": "Hubei",
    "广东省": "Guangdong",
    "江西省": "Jiangxi",
    "贵州省": "Guizhou",
    "广西壮族自治区": "Guangxi",
    "重庆市": "Chongqing",
    "四川省": "Sichuan",
    "河南省": "Henan",
    "安徽省": "Anhui",
    "浙江省": "Zhejiang",
    "江苏省": "Jiangsu",
    "福建省": "Fujian",
    "山东省": "Shandong",
    "河北省": "Hebei",
    "北京市": "Beijing",
    "上海市": "Shanghai",
}
# Cities outside the served ones that sale records name (the demo's out-of-province sales,
# imported records): English names only, no coordinates.
OTHER_CITIES_EN = {
    "武汉市": "Wuhan",
    "广州市": "Guangzhou",
    "南昌市": "Nanchang",
    "贵阳市": "Guiyang",
    "深圳市": "Shenzhen",
    "重庆市": "Chongqing",
    "成都市": "Chengdu",
    "郑州市": "Zhengzhou",
    "合肥市": "Hefei",
    "南宁市": "Nanning",
    "杭州市": "Hangzhou",
    "南京市": "Nanjing",
    "北京市": "Beijing",
    "上海市": "Shanghai",
}
DISTRICTS_EN = {
    "雨花区": "Yuhua District",
    "岳麓区": "Yuelu District",
    "长沙县": "Changsha County",
    "望城区": "Wangcheng District",
    "天元区": "Tianyuan District",
    "石峰区": "Shifeng District",
    "荷塘区": "Hetang District",
    "岳塘区": "Yuetang District",
    "雨湖区": "Yuhu District",
    "湘潭县": "Xiangtan County",
    "蒸湘区": "Zhengxiang District",
    "珠晖区": "Zhuhui District",
    "岳阳楼区": "Yueyanglou District",
    "云溪区": "Yunxi District",
    "武陵区": "Wuling District",
    "鼎城区": "Dingcheng District",
    "赫山区": "Heshan District",
    "资阳区": "Ziyang District",
    "娄星区": "Louxing District",
    "北湖区": "Beihu District",
    "苏仙区": "Suxian District",
    "冷水滩区": "Lengshuitan District",
    "零陵区": "Lingling District",
    "鹤城区": "Hecheng District",
    "双清区": "Shuangqing District",
    "大祥区": "Daxiang District",
    "永定区": "Yongding District",
    "乾州街道": "Qianzhou Subdistrict",
}

CITIES: tuple[City, ...] = (
    City("长沙市", "Changsha", HUNAN, ("雨花区", "岳麓区", "长沙县", "望城区"), 28.2282, 112.9388),
    City("株洲市", "Zhuzhou", HUNAN, ("天元区", "石峰区", "荷塘区"), 27.8274, 113.1340),
    City("湘潭市", "Xiangtan", HUNAN, ("岳塘区", "雨湖区", "湘潭县"), 27.8297, 112.9441),
    City("衡阳市", "Hengyang", HUNAN, ("蒸湘区", "珠晖区"), 26.8934, 112.5720),
    City("岳阳市", "Yueyang", HUNAN, ("岳阳楼区", "云溪区"), 29.3570, 113.1289),
    City("常德市", "Changde", HUNAN, ("武陵区", "鼎城区"), 29.0317, 111.6985),
    City("益阳市", "Yiyang", HUNAN, ("赫山区", "资阳区"), 28.5539, 112.3550),
    City("娄底市", "Loudi", HUNAN, ("娄星区",), 27.7002, 111.9938),
    City("郴州市", "Chenzhou", HUNAN, ("北湖区", "苏仙区"), 25.7706, 113.0147),
    City("永州市", "Yongzhou", HUNAN, ("冷水滩区", "零陵区"), 26.4204, 111.6131),
    City("怀化市", "Huaihua", HUNAN, ("鹤城区",), 27.5694, 110.0016),
    City("邵阳市", "Shaoyang", HUNAN, ("双清区", "大祥区"), 27.2389, 111.4677),
    City("张家界市", "Zhangjiajie", HUNAN, ("永定区",), 29.1170, 110.4792),
    City("吉首市", "Jishou", HUNAN, ("乾州街道",), 28.3119, 109.7389),
)
CITIES_BY_NAME = {city.name: city for city in CITIES}
CITIES_BY_NAME.update({city.name_en.lower(): city for city in CITIES})

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = math.radians(lat2 - lat1)
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def find_city(name: str) -> City | None:
    key = (name or "").strip()
    return (
        CITIES_BY_NAME.get(key) or CITIES_BY_NAME.get(key.lower()) or CITIES_BY_NAME.get(key + "市")
    )


def place_name(name: str, language: str | None = None) -> str:
    """A stored city, province or district name in ``language`` (default: the active one):
    the English name in English when the place is known, else the name as stored."""
    language = language or get_language() or ""
    if not name or not language.startswith("en"):
        return name
    key = name.strip()
    city = find_city(key)
    if city is not None:
        return city.name_en
    return (
        OTHER_CITIES_EN.get(key)
        or OTHER_CITIES_EN.get(key + "市")
        or PROVINCES_EN.get(key)
        or PROVINCES_EN.get(key + "省")
        or DISTRICTS_EN.get(key)
        or name
    )
