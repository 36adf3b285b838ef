"""Placeholder photos for demo listings: one card per (brand, category) pair, drawn once and
shared by file name across listings, so seeding stays fast and the media folder small."""

import io
import shutil
import subprocess
from functools import cache

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont

from marketplace.catalog import BRANDS_BY_SLUG, CATEGORIES_BY_SLUG

PHOTO_SIZE = (800, 600)
PHOTO_DIR = "demo"
TRACKED = {"excavator", "dozer", "rotary-drilling-rig"}


def photo_name(brand_slug: str, root_slug: str) -> str:
    return f"{PHOTO_DIR}/{brand_slug}-{root_slug}.jpg"


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


def render_photo(brand_slug: str, root_slug: str) -> bytes:
    brand = BRANDS_BY_SLUG[brand_slug]
    category = CATEGORIES_BY_SLUG[root_slug]
    image = Image.new("RGB", PHOTO_SIZE, (236, 238, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, PHOTO_SIZE[0], 110), fill=_shade(brand.color, 0.9))
    draw.text((30, 18), f"{brand.name} {brand.name_en}", font=_font(44), fill=(255, 255, 255))
    draw.text(
        (30, 70), f"{category.name} · {category.name_en}", font=_font(26), fill=(255, 255, 255)
    )
    _draw_machine(draw, root_slug, brand.color)
    draw.text(
        (30, 540), "演示图片 · 模拟数据  Demo image · simulated", font=_font(24), fill=(90, 90, 90)
    )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True)
    return buffer.getvalue()


def demo_photo_ensure(brand_slug: str, root_slug: str) -> str:
    """The stored file name of the card for this pair, drawing it only if it is missing."""
    name = photo_name(brand_slug, root_slug)
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(render_photo(brand_slug, root_slug)))
        if saved != name:  # a concurrent run saved it first; keep one file
            default_storage.delete(saved)
    return name
