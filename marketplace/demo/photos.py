"""Placeholder photos for demo listings: the required photo set (marketplace.photo_set) of
every (brand, category) pair, drawn once and shared by file name across listings, so seeding
stays fast and the media folder small.

The front card keeps its old name (``demo/<brand>-<category>.jpg``); the other kinds are
``demo/<brand>-<category>-<kind>.jpg``. The hour meter is square and the cab portrait, so the
demo exercises photos of several aspect ratios.
"""

import io
import shutil
import subprocess
from functools import cache

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont

from marketplace.catalog import BRANDS_BY_SLUG, CATEGORIES_BY_SLUG
from marketplace.models import REQUIRED_PHOTO_KINDS, PhotoKind

PHOTO_SIZE = (800, 600)
PHOTO_SIZES = {PhotoKind.HOUR_METER: (600, 600), PhotoKind.CAB: (600, 800)}
PHOTO_DIR = "demo"
TRACKED = {"excavator", "dozer", "rotary-drilling-rig"}
DARK = (40, 40, 45)


def photo_size(kind: str) -> tuple[int, int]:
    return PHOTO_SIZES.get(kind, PHOTO_SIZE)


def photo_name(brand_slug: str, root_slug: str, kind: str = PhotoKind.FRONT) -> str:
    if kind == PhotoKind.FRONT:
        return f"{PHOTO_DIR}/{brand_slug}-{root_slug}.jpg"
    return f"{PHOTO_DIR}/{brand_slug}-{root_slug}-{kind}.jpg"


@cache
def _font_path() -> str | None:
    """A CJK-capable font from fontconfig (Debian's fonts-noto-cjk), if there is one."""
    fc_match = shutil.which("fc-match")
    if not fc_match:
        return None
    try:
        found = subprocess.run(  # noqa: S603 - fixed arguments, no user input
            [fc_match, "-f", "%{file}", "Noto Sans CJK SC:style=Bold"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    path = found.stdout.strip()
    return path if path and "CJK" in path else None


@cache
def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    path = _font_path()
    if path:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            pass
    return ImageFont.load_default(size=size)


def _shade(color: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    return tuple(max(0, min(255, int(c * factor))) for c in color)


def _draw_machine(draw: ImageDraw.ImageDraw, root_slug: str, color: tuple[int, int, int]) -> None:
    """A simple side-view silhouette: body, cab, and tracks or wheels."""
    dark, body = (40, 40, 45), color
    ground = 470
    if root_slug in TRACKED:
        draw.rounded_rectangle((180, ground - 60, 560, ground), radius=30, fill=dark)
        for x in range(215, 540, 45):
            draw.ellipse((x - 16, ground - 46, x + 16, ground - 14), fill=(90, 90, 95))
    else:
        for x in (260, 480):
            draw.ellipse((x - 55, ground - 110, x + 55, ground), fill=dark)
            draw.ellipse((x - 25, ground - 80, x + 25, ground - 30), fill=(150, 150, 150))
    draw.rounded_rectangle((200, ground - 190, 540, ground - 70), radius=14, fill=body)
    draw.rectangle((240, ground - 300, 360, ground - 190), fill=_shade(body, 0.85))
    draw.rectangle((255, ground - 285, 345, ground - 215), fill=(180, 215, 235))
    if root_slug in {"excavator", "backhoe-loader"}:
        draw.line((520, ground - 170, 640, ground - 330), fill=body, width=28)
        draw.line((640, ground - 330, 720, ground - 150), fill=body, width=22)
        draw.polygon([(700, ground - 160), (760, ground - 120), (700, ground - 90)], fill=dark)
    elif root_slug in {
        "crane",
        "rotary-drilling-rig",
        "aerial-work-platform",
        "concrete-pump-truck",
    }:
        draw.line((420, ground - 190, 740, ground - 420), fill=body, width=20)
    elif root_slug in {"wheel-loader", "skid-steer", "forklift"}:
        draw.rectangle((560, ground - 220, 600, ground - 40), fill=_shade(body, 0.7))
        draw.polygon(
            [(600, ground - 90), (700, ground - 60), (700, ground), (600, ground)], fill=dark
        )
    draw.line((40, ground + 2, 760, ground + 2), fill=(90, 80, 70), width=4)


def _draw_rear(draw: ImageDraw.ImageDraw, root_slug: str, color: tuple[int, int, int]) -> None:
    """The machine seen from behind: tracks or wheels, counterweight, tail lights."""
    ground = 470
    if root_slug in TRACKED:
        for x0 in (170, 520):
            draw.rounded_rectangle((x0, ground - 90, x0 + 110, ground), radius=18, fill=DARK)
    else:
        for x0 in (190, 540):
            draw.rounded_rectangle((x0, ground - 120, x0 + 70, ground), radius=20, fill=DARK)
    draw.rounded_rectangle((220, ground - 210, 580, ground - 80), radius=12, fill=color)
    draw.rectangle((250, ground - 330, 400, ground - 210), fill=_shade(color, 0.85))
    draw.rounded_rectangle(
        (210, ground - 200, 590, ground - 110), radius=10, fill=_shade(color, 0.6)
    )
    for x in (300, 500):
        draw.ellipse((x - 14, ground - 170, x + 14, ground - 142), fill=(220, 60, 40))
    draw.line((40, ground + 2, 760, ground + 2), fill=(90, 80, 70), width=4)


def _draw_hour_meter(draw: ImageDraw.ImageDraw, size: tuple[int, int]) -> None:
    width, height = size
    cx, cy = width // 2, height // 2 + 30
    draw.rounded_rectangle((60, 150, width - 60, height - 70), radius=30, fill=(30, 32, 36))
    draw.ellipse((cx - 150, cy - 150, cx + 150, cy + 150), outline=(200, 200, 200), width=6)
    draw.line((cx, cy, cx + 90, cy - 80), fill=(230, 80, 40), width=8)
    draw.rectangle((cx - 110, cy + 40, cx + 110, cy + 100), fill=(10, 10, 10))
    draw.text((cx - 96, cy + 44), "0 3 0 8 8 h", font=_font(40), fill=(120, 240, 120))


def _draw_cab(draw: ImageDraw.ImageDraw, size: tuple[int, int], color: tuple[int, int, int]):
    width, height = size
    draw.rectangle((60, 140, width - 60, height - 260), fill=(180, 215, 235))
    draw.line((60, 140, width - 60, height - 260), fill=(150, 185, 205), width=4)
    draw.rounded_rectangle((200, 380, 400, 640), radius=30, fill=DARK)
    draw.rounded_rectangle((180, 600, 420, 700), radius=20, fill=_shade(color, 0.8))
    for x in (130, 470):
        draw.rectangle((x - 10, 520, x + 10, 640), fill=(70, 70, 75))
        draw.ellipse((x - 22, 490, x + 22, 534), fill=(20, 20, 20))


def _draw_undercarriage(draw: ImageDraw.ImageDraw, root_slug: str) -> None:
    if root_slug in TRACKED:
        draw.rounded_rectangle((60, 220, 740, 480), radius=110, fill=DARK)
        for x in range(150, 680, 105):
            draw.ellipse((x - 40, 300, x + 40, 380), fill=(110, 110, 115))
        for x in range(70, 740, 34):
            draw.line((x, 220, x, 250), fill=(80, 80, 85), width=10)
    else:
        draw.ellipse((220, 150, 580, 510), fill=DARK)
        draw.ellipse((320, 250, 480, 410), fill=(160, 160, 160))
        for angle in range(0, 360, 30):
            draw.pieslice((220, 150, 580, 510), angle, angle + 8, fill=(70, 70, 70))


def _draw_kind(image: Image.Image, root_slug: str, color, kind: str) -> Image.Image:
    """The picture of one kind; the front card is the side view (it leads the listing cards),
    the left side is the right side mirrored."""
    draw = ImageDraw.Draw(image)
    if kind in {PhotoKind.FRONT, PhotoKind.RIGHT, PhotoKind.LEFT}:
        _draw_machine(draw, root_slug, color)
        return image.transpose(Image.Transpose.FLIP_LEFT_RIGHT) if kind == PhotoKind.LEFT else image
    if kind == PhotoKind.REAR:
        _draw_rear(draw, root_slug, color)
    elif kind == PhotoKind.HOUR_METER:
        _draw_hour_meter(draw, image.size)
    elif kind == PhotoKind.CAB:
        _draw_cab(draw, image.size, color)
    else:
        _draw_undercarriage(draw, root_slug)
    return image


def render_photo(brand_slug: str, root_slug: str, kind: str = PhotoKind.FRONT) -> bytes:
    brand = BRANDS_BY_SLUG[brand_slug]
    category = CATEGORIES_BY_SLUG[root_slug]
    size = photo_size(kind)
    image = _draw_kind(Image.new("RGB", size, (236, 238, 240)), root_slug, brand.color, kind)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size[0], 110), fill=_shade(brand.color, 0.9))
    draw.text((30, 18), f"{brand.name} {brand.name_en}", font=_font(44), fill=(255, 255, 255))
    label = PhotoKind(kind).label
    draw.text(
        (30, 70),
        f"{category.name} · {category.name_en} · {label}",
        font=_font(26),
        fill=(255, 255, 255),
    )
    draw.text(
        (30, size[1] - 60),
        "演示图片 · 模拟数据  Demo image · simulated",
        font=_font(24 if size[0] >= 800 else 18),
        fill=(90, 90, 90),
    )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True)
    return buffer.getvalue()


def demo_photo_ensure(brand_slug: str, root_slug: str, kind: str = PhotoKind.FRONT) -> str:
    """The stored file name of the picture for this pair and kind, drawing it only if it is
    missing."""
    name = photo_name(brand_slug, root_slug, kind)
    if not default_storage.exists(name):
        content = ContentFile(render_photo(brand_slug, root_slug, kind))
        saved = default_storage.save(name, content)
        if saved != name:  # a concurrent run saved it first; keep one file
            default_storage.delete(saved)
    return name


def demo_photo_set_ensure(brand_slug: str, root_slug: str) -> dict[str, str]:
    """The stored file of every required kind for this pair: kind -> file name."""
    return {kind: demo_photo_ensure(brand_slug, root_slug, kind) for kind in REQUIRED_PHOTO_KINDS}
