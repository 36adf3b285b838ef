"""The questions, worksheet checkpoints and photo angles of the inspection templates (data only).

Assembled into :class:`certification.inspection_templates.InspectionTemplate` objects there.
Keys are stored on reports (answers, defects, photo angles): rename a label freely, never a key.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Check:
    key: str
    label: str


HOUR_METER_LABEL = _("小时表")

# --- 1. tradeable-equipment check (可交易性核查) ---------------------------------------------

TRADEABLE_COMMON = (
    Check("nameplate", _("产品铭牌齐全、清晰，品牌型号与申报一致")),
    Check("engine_number", _("发动机号与随机文件一致")),
    Check("documents", _("合格证、使用说明书等随机文件齐全")),
    Check("ownership", _("购置发票或所有权证明齐全，委托方为所有权人或已获授权")),
    Check("no_seizure", _("未被司法查封、扣押")),
    Check("no_encumbrance", _("无未解除的抵押、融资租赁或所有权保留登记（中登网已查询）")),
    Check("lawful_origin", _("非盗抢、走私或拼装设备")),
    Check("not_scrap_mandated", _("未达到国家规定的强制报废条件")),
)
NRMM_REGISTRATION = Check(
    "nrmm_registration", _("非道路移动机械环保信息编码登记完成，排放阶段符合使用地要求")
)
CRANE_TRADEABLE = (
    Check("vehicle_registration", _("机动车行驶证、登记证书齐全（汽车/全地面起重机）")),
    Check("special_equipment_registration", _("特种设备使用登记证齐全，定期检验在有效期内")),
)
CRAWLER_CRANE_TRADEABLE = (
    Check("special_equipment_registration", _("特种设备使用登记证齐全，定期检验在有效期内")),
)

# --- 2. major-accident screen (重大事故排查), beyond fire / flood / structural accident ------

ACCIDENT_COMMON = (
    Check("rollover", _("倾翻或侧翻事故")),
    Check("main_frame_repaired", _("主机架或主要承载结构件有断裂后焊接修复或更换痕迹")),
)
EXCAVATOR_ACCIDENTS = (
    Check("boom_arm_cracked", _("动臂或斗杆断裂后焊补")),
    Check("slewing_ring_damaged", _("回转支承因事故损坏或更换")),
)
LOADER_ACCIDENTS = (Check("articulation_cracked", _("前后车架铰接部位断裂后焊补")),)
CRANE_ACCIDENTS = (
    Check("boom_collapsed", _("吊臂折断、失稳或严重变形")),
    Check("overload_accident", _("有超载或倾覆事故记录")),
)
DOZER_ACCIDENTS = (Check("track_frame_cracked", _("台车架或推架断裂后焊补")),)
ROLLER_ACCIDENTS = (Check("drum_frame_cracked", _("钢轮机架或铰接架断裂后焊补")),)

# --- 3. technical-condition worksheet (技术状况表) -------------------------------------------

SYSTEM_LABELS = {
    "engine": _("发动机"),
    "hydraulics": _("液压系统"),
    "undercarriage": _("底盘（履带）"),
    "tyres": _("轮胎"),
    "structure": _("结构件/动臂"),
    "electrical": _("电气系统"),
    "cab": _("驾驶室"),
    "attachments": _("属具"),
    "slewing": _("回转机构"),
    "powertrain": _("传动系统"),
    "steering_brakes": _("转向与制动"),
    "hoist": _("起升机构"),
    "outriggers": _("支腿"),
    "safety_devices": _("安全装置"),
    "vibration": _("振动系统"),
}

CHECKPOINTS: dict[str, tuple[Check, ...]] = {
    "engine": (
        Check("start", _("启动困难")),
        Check("noise", _("异响或振动异常")),
        Check("smoke", _("排烟颜色异常（黑烟、蓝烟、白烟）")),
        Check("leaks", _("漏油、漏水或窜气")),
        Check("gauges", _("机油压力或水温异常")),
    ),
    "hydraulics": (
        Check("pressure", _("主泵或系统压力不足")),
        Check("cylinders", _("油缸内泄、沉降或活塞杆划伤")),
        Check("leaks", _("管路、接头或阀组渗漏")),
        Check("controls", _("先导操作迟滞或动作不协调")),
        Check("oil", _("液压油温过高或油质污染")),
    ),
    "undercarriage": (
        Check("track_links", _("履带板、链节或销套磨损超限")),
        Check("rollers", _("支重轮或托链轮漏油、磨损")),
        Check("sprocket", _("驱动轮齿磨损超限")),
        Check("idler", _("引导轮或张紧装置异常")),
        Check("travel_motor", _("行走马达或减速机漏油、异响")),
    ),
    "tyres": (
        Check("tread", _("胎面磨损超限")),
        Check("sidewall", _("胎侧割伤、鼓包或修补")),
        Check("rims", _("轮辋变形或裂纹")),
    ),
    "structure": (
        Check("cracks", _("裂纹、变形或焊补痕迹")),
        Check("pins", _("销轴与衬套间隙过大")),
        Check("wear_parts", _("易损件（斗齿、刀板等）磨损超限")),
    ),
    "electrical": (
        Check("instruments", _("仪表或报警功能异常")),
        Check("lights", _("照明或信号灯损坏")),
        Check("battery", _("蓄电池、起动机或发电机异常")),
        Check("fault_codes", _("控制器存在故障码")),
    ),
    "cab": (
        Check("controls", _("座椅、操纵杆或踏板损坏")),
        Check("climate", _("空调或暖风失效")),
        Check("glass", _("门窗或玻璃破损")),
        Check("protection", _("防翻滚/落物保护结构（ROPS/FOPS）损坏或缺失")),
    ),
    "attachments": (
        Check("condition", _("属具磨损、裂纹或焊补")),
        Check("piping", _("属具管路或快换装置异常")),
    ),
    "slewing": (
        Check("motor", _("回转马达或减速机漏油、异响")),
        Check("bearing", _("回转支承间隙过大或异响")),
        Check("brake", _("回转制动失效或溜车")),
    ),
    "powertrain": (
        Check("shifting", _("换挡冲击、打滑或挂挡困难")),
        Check("converter", _("变矩器油温过高")),
        Check("axles", _("驱动桥或终传动异响、漏油")),
        Check("driveshaft", _("传动轴松旷")),
    ),
    "steering_brakes": (
        Check("steering", _("转向沉重、跑偏或间隙过大")),
        Check("service_brake", _("行车制动不良")),
        Check("parking_brake", _("驻车制动不良")),
    ),
    "hoist": (
        Check("winch", _("卷扬机或起升制动异常")),
        Check("rope", _("钢丝绳断丝、磨损或变形超限")),
        Check("hook", _("吊钩、防脱装置或滑轮损坏")),
    ),
    "outriggers": (
        Check("extension", _("支腿伸缩不畅")),
        Check("creep", _("支腿油缸沉降或内泄")),
        Check("boxes", _("支腿箱焊缝裂纹")),
    ),
    "safety_devices": (
        Check("load_moment", _("力矩限制器失效或未标定")),
        Check("limits", _("起升高度限位或三圈保护失效")),
        Check("indicators", _("幅度、角度指示异常")),
        Check("emergency_stop", _("紧急停止功能失效")),
    ),
    "vibration": (
        Check("excitation", _("起振、停振或振幅切换异常")),
        Check("drum", _("钢轮磨损、变形或开裂")),
        Check("dampers", _("减振块老化、开裂")),
    ),
}

EXCAVATOR_STRUCTURE = (
    Check("cracks", _("动臂、斗杆裂纹、变形或焊补痕迹")),
    Check("pins", _("销轴与衬套间隙过大")),
    Check("bucket", _("铲斗、斗齿或侧刃磨损超限")),
)
LOADER_STRUCTURE = (
    Check("cracks", _("动臂、摇臂或车架裂纹、变形或焊补痕迹")),
    Check("pins", _("铰接销轴与衬套间隙过大")),
    Check("bucket", _("铲斗或切削刃磨损超限")),
)
CRANE_STRUCTURE = (
    Check("boom", _("吊臂变形、裂纹或焊补痕迹")),
    Check("telescoping", _("伸缩臂伸缩不畅或滑块磨损超限")),
    Check("luffing", _("变幅油缸内泄或沉降")),
    Check("turntable", _("转台或车架焊缝裂纹")),
)
DOZER_STRUCTURE = (
    Check("blade", _("铲刀、刀角或刀板磨损超限")),
    Check("push_frame", _("推架、球铰或倾斜油缸异常")),
    Check("ripper", _("松土器齿尖或齿座磨损")),
    Check("cracks", _("主机架裂纹或焊补痕迹")),
)
ROLLER_STRUCTURE = (
    Check("cracks", _("机架或铰接架裂纹、变形或焊补痕迹")),
    Check("articulation", _("中心铰接间隙过大")),
)

# --- 4. photo angles -------------------------------------------------------------------------

# key -> (label, system documented)
PHOTO_ANGLES = {
    "front_left": (_("整机左前方 45°"), ""),
    "rear_right": (_("整机右后方 45°"), ""),
    "nameplate": (_("产品铭牌与出厂编号"), ""),
    "engine": (_("发动机舱"), "engine"),
    "cab": (_("驾驶室内部与仪表"), "cab"),
    "undercarriage": (_("履带与行走机构"), "undercarriage"),
    "tyres": (_("轮胎与轮辋"), "tyres"),
    "structure": (_("工作装置/结构件"), "structure"),
    "excavator_boom": (_("动臂、斗杆与铲斗"), "structure"),
    "loader_boom": (_("动臂与铲斗"), "structure"),
    "crane_boom": (_("吊臂（全缩状态）与转台"), "structure"),
    "hoist": (_("卷扬机、钢丝绳与吊钩"), "hoist"),
    "outriggers": (_("支腿全伸状态"), "outriggers"),
    "load_moment": (_("力矩限制器显示屏"), "safety_devices"),
    "dozer_blade": (_("铲刀与松土器"), "structure"),
    "drum": (_("振动钢轮"), "vibration"),
}

# --- templates -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateSpec:
    key: str
    label: str
    systems: tuple[str, ...]
    photo_angles: tuple[str, ...]
    tradeable_extra: tuple[Check, ...] = ()
    accident_extra: tuple[Check, ...] = ()
    system_labels: dict[str, str] = field(default_factory=dict)
    checkpoints: dict[str, tuple[Check, ...]] = field(default_factory=dict)


_WALKAROUND = ("front_left", "rear_right", "nameplate")

TEMPLATE_SPECS = (
    TemplateSpec(
        key="excavator",
        label=_("挖掘机"),
        systems=(
            "engine",
            "hydraulics",
            "slewing",
            "undercarriage",
            "structure",
            "electrical",
            "cab",
            "attachments",
        ),
        photo_angles=(*_WALKAROUND, "engine", "undercarriage", "excavator_boom", "cab"),
        tradeable_extra=(NRMM_REGISTRATION,),
        accident_extra=EXCAVATOR_ACCIDENTS,
        system_labels={
            "undercarriage": _("底盘（履带、支重轮、驱动轮、引导轮）"),
            "structure": _("工作装置（动臂、斗杆、铲斗）"),
            "attachments": _("属具（破碎锤、快换接头等）"),
        },
        checkpoints={"structure": EXCAVATOR_STRUCTURE},
    ),
    TemplateSpec(
        key="wheel_loader",
        label=_("装载机"),
        systems=(
            "engine",
            "powertrain",
            "hydraulics",
            "steering_brakes",
            "tyres",
            "structure",
            "electrical",
            "cab",
        ),
        photo_angles=(*_WALKAROUND, "engine", "tyres", "loader_boom", "cab"),
        tradeable_extra=(NRMM_REGISTRATION,),
        accident_extra=LOADER_ACCIDENTS,
        system_labels={
            "powertrain": _("传动系统（变矩器、变速箱、驱动桥）"),
            "structure": _("工作装置与车架（动臂、铲斗、前后车架铰接）"),
        },
        checkpoints={"structure": LOADER_STRUCTURE},
    ),
    TemplateSpec(
        key="crane",
        label=_("起重机（轮式）"),
        systems=(
            "engine",
            "powertrain",
            "steering_brakes",
            "tyres",
            "hydraulics",
            "structure",
            "hoist",
            "slewing",
            "outriggers",
            "safety_devices",
            "electrical",
            "cab",
        ),
        photo_angles=(
            *_WALKAROUND,
            "engine",
            "tyres",
            "crane_boom",
            "hoist",
            "outriggers",
            "load_moment",
            "cab",
        ),
        tradeable_extra=CRANE_TRADEABLE,
        accident_extra=CRANE_ACCIDENTS,
        system_labels={
            "powertrain": _("底盘传动（变速箱、驱动桥）"),
            "structure": _("吊臂与转台（伸缩臂、变幅机构、车架）"),
            "safety_devices": _("安全装置（力矩限制器、高度限位）"),
        },
        checkpoints={"structure": CRANE_STRUCTURE},
    ),
    TemplateSpec(
        key="crane_crawler",
        label=_("履带起重机"),
        systems=(
            "engine",
            "hydraulics",
            "undercarriage",
            "structure",
            "hoist",
            "slewing",
            "safety_devices",
            "electrical",
            "cab",
        ),
        photo_angles=(
            *_WALKAROUND,
            "engine",
            "undercarriage",
            "crane_boom",
            "hoist",
            "load_moment",
            "cab",
        ),
        tradeable_extra=CRAWLER_CRANE_TRADEABLE,
        accident_extra=CRANE_ACCIDENTS,
        system_labels={
            "structure": _("臂架与转台（主臂、副臂、桅杆、转台）"),
            "safety_devices": _("安全装置（力矩限制器、高度限位）"),
        },
        checkpoints={"structure": CRANE_STRUCTURE},
    ),
    TemplateSpec(
        key="dozer",
        label=_("推土机"),
        systems=(
            "engine",
            "powertrain",
            "hydraulics",
            "undercarriage",
            "structure",
            "electrical",
            "cab",
        ),
        photo_angles=(*_WALKAROUND, "engine", "undercarriage", "dozer_blade", "cab"),
        tradeable_extra=(NRMM_REGISTRATION,),
        accident_extra=DOZER_ACCIDENTS,
        system_labels={
            "powertrain": _("传动系统（变矩器、变速箱、转向离合、终传动）"),
            "structure": _("铲刀、松土器与主机架"),
        },
        checkpoints={"structure": DOZER_STRUCTURE},
    ),
    TemplateSpec(
        key="roller",
        label=_("压路机"),
        systems=(
            "engine",
            "powertrain",
            "hydraulics",
            "vibration",
            "tyres",
            "steering_brakes",
            "structure",
            "electrical",
            "cab",
        ),
        photo_angles=(*_WALKAROUND, "engine", "drum", "tyres", "cab"),
        tradeable_extra=(NRMM_REGISTRATION,),
        accident_extra=ROLLER_ACCIDENTS,
        system_labels={
            "powertrain": _("行走驱动（泵、马达、驱动桥）"),
            "vibration": _("振动系统与钢轮"),
            "tyres": _("驱动轮胎"),
            "structure": _("机架与中心铰接"),
        },
        checkpoints={"structure": ROLLER_STRUCTURE},
    ),
    TemplateSpec(
        key="tracked",
        label=_("其他履带式设备"),
        systems=(
            "engine",
            "hydraulics",
            "undercarriage",
            "structure",
            "electrical",
            "cab",
            "attachments",
        ),
        photo_angles=(*_WALKAROUND, "engine", "undercarriage", "structure", "cab"),
    ),
    TemplateSpec(
        key="wheeled",
        label=_("其他轮式设备"),
        systems=("engine", "hydraulics", "tyres", "structure", "electrical", "cab", "attachments"),
        photo_angles=(*_WALKAROUND, "engine", "tyres", "structure", "cab"),
    ),
)
