"""The demo agency's signature and seal images (issue 12), drawn with Pillow so that ``seed_demo`` gives a signable
demo without any file: a blue handwritten-looking signature and a round red seal, both PNG with transparency (what the
agency profile accepts). Illustrations only: a real agency uploads scans of its own."""

import io
import math

from django.conf import settings

BLUE = (20, 45, 160, 255)
RED = (205, 25, 30, 235)


def _png(image, dpi):
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi), optimize=True)
    return out.getvalue()


def signature_png(width=600, height=240):
    """A flowing blue stroke with a flourish underneath, on a transparent background."""
    from PIL import Image, ImageDraw  # Pillow: only when the demo is seeded

    scale = 3  # drawn large, then reduced: smooth edges
    image = Image.new("RGBA", (width * scale, height * scale), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    w, h = width * scale, height * scale

    def stroke(points, thickness):
        draw.line(points, fill=BLUE, width=thickness * scale, joint="curve")
        for x, y in (points[0], points[-1]):
            r = thickness * scale / 2
            draw.ellipse((x - r, y - r, x + r, y + r), fill=BLUE)

    # the name: a run of loops of varying height, slanted
    loops = []
    for i in range(320):
        t = i / 319
        x = w * (0.10 + 0.62 * t) + 0.05 * w * math.sin(t * 26)
        y = h * (0.46 - 0.18 * math.sin(t * math.pi) * (0.6 + 0.4 * math.cos(t * 9))) + 0.16 * h * math.cos(t * 26)
        loops.append((x, y))
    stroke(loops, 5)
    # the flourish: a long underline sweeping back
    sweep = [(w * (0.06 + 0.86 * t), h * (0.74 - 0.10 * math.sin(t * math.pi * 1.3) + 0.05 * t)) for t in
             (i / 199 for i in range(200))]
    stroke(sweep, 4)
    return _png(image.resize((width, height), Image.LANCZOS), 300)


def seal_png(size=500, *, name="SỞ KHOA HỌC VÀ CÔNG NGHỆ", place="TỈNH HƯNG YÊN"):
    """A round red seal: two rings, the agency's name around the top, the province at the bottom, a star in the middle."""
    from PIL import Image, ImageDraw, ImageFont  # as above

    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    c = size / 2
    for radius, width in ((c - 6, 12), (c * 0.64, 5)):
        draw.ellipse((c - radius, c - radius, c + radius, c + radius), outline=RED, width=width)
    star = []
    for k in range(10):
        r = c * (0.30 if k % 2 == 0 else 0.12)
        angle = -math.pi / 2 + k * math.pi / 5
        star.append((c + r * math.cos(angle), c + r * math.sin(angle)))
    draw.polygon(star, fill=RED)
    font = ImageFont.truetype(str(settings.BASE_DIR / "static" / "fonts" / "Tinos-Bold.ttf"), int(size * 0.075))
    text_radius = c * 0.80

    def around(text, centre_deg, span_deg, *, bottom=False):
        step = span_deg / max(len(text) - 1, 1)
        for i, char in enumerate(text):
            deg = centre_deg - span_deg / 2 + i * step if not bottom else centre_deg + span_deg / 2 - i * step
            angle = math.radians(deg)
            tile = Image.new("RGBA", (int(size * 0.14), int(size * 0.14)), (0, 0, 0, 0))
            ImageDraw.Draw(tile).text((tile.width / 2, tile.height / 2), char, font=font, fill=RED, anchor="mm")
            tile = tile.rotate(-(deg + 90) if not bottom else -(deg - 90), resample=Image.BICUBIC)
            x = c + text_radius * math.cos(angle) - tile.width / 2
            y = c + text_radius * math.sin(angle) - tile.height / 2
            image.alpha_composite(tile, (int(x), int(y)))

    around(name, -90, 215)
    around(place, 90, 70, bottom=True)
    return _png(image, 350)  # 500 px at 350 dpi: about 36 mm, the seal's real size
