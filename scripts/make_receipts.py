#!/usr/bin/env python3
"""Make the receipt fixtures: images, golden JSON and the text Tesseract reads from them.

    python3 scripts/make_receipts.py            # writes Fixtures/receipts/
    python3 scripts/make_receipts.py --no-ocr   # images and golden JSON only

Deterministic: every receipt draws from its own `random.Random(seed)`, so a re-run with the
same Pillow and fonts rewrites identical files. Needs Pillow (scripts/requirements-fixtures.txt)
and the Debian fonts `fonts-dejavu-core` and `fonts-liberation`; the `.txt` files need
`tesseract` on PATH (committed ones came from tesseract 5.3.0, Debian bookworm, run as
`tesseract IMG - --psm 6`, the same command the `receipt_ocr` worker runs).

For each receipt NAME it writes:
  NAME.png   grayscale image (< 100 KB)
  NAME.json  golden data: {items:[{description, quantity, unit_price, total, category}],
             subtotal, tax, total}; descriptions exactly as printed
  NAME.txt   what `tesseract NAME.png - --psm 6` returned
and manifest.json records how each image was made (font, quantity style, rotation, noise).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont, __version__ as PILLOW_VERSION

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Fixtures" / "receipts"
RECEIPT_COUNT = 32

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation")]
FONTS = {
    "DejaVu Sans": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    "DejaVu Sans Mono": ("DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"),
    "Liberation Sans": ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    "Liberation Mono": ("LiberationMono-Regular.ttf", "LiberationMono-Bold.ttf"),
    "Liberation Serif": ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"),
}

# (description, category, unit price). Categories match the ExpenseCategorizer's names.
CATALOGUE = {
    "food": [("Bagel", "2.50"), ("Croissant", "2.75"), ("Turkey Sandwich", "6.95"), ("Bananas", "0.40"),
             ("Apples", "0.60"), ("Bread Loaf", "3.29"), ("Eggs Dozen", "4.19"), ("Cheddar Cheese", "5.49"),
             ("Pasta", "1.99"), ("Tomato Soup", "2.29"), ("Blueberry Muffin", "2.25"), ("Yogurt", "1.25"),
             ("Rice", "3.49"), ("Chicken Breast", "8.99"), ("Cereal", "4.59"), ("Butter", "3.99"),
             ("Granola Bar", "1.10"), ("Donut", "1.35"), ("Garden Salad", "7.50")],
    "beverage": [("Coffee", "3.50"), ("Latte", "4.25"), ("Green Tea", "2.95"), ("Orange Juice", "3.79"),
                 ("Sparkling Water", "1.49"), ("Cola", "1.99"), ("Espresso", "2.80"), ("Hot Chocolate", "3.25"),
                 ("Lemonade", "2.50")],
    "household": [("Paper Towels", "5.99"), ("Dish Soap", "3.49"), ("Trash Bags", "7.99"),
                  ("Laundry Detergent", "11.99"), ("Light Bulbs", "6.49"), ("Sponges", "2.99"),
                  ("Batteries AA", "8.49"), ("Aluminum Foil", "4.29")],
    "personal_care": [("Shampoo", "6.99"), ("Toothpaste", "3.79"), ("Deodorant", "4.99"), ("Hand Lotion", "5.49"),
                      ("Razor Blades", "12.99"), ("Sunscreen", "9.99"), ("Lip Balm", "2.99")],
    "office": [("Printer Paper", "8.99"), ("Ballpoint Pens", "4.49"), ("Stapler", "9.99"), ("Sticky Notes", "3.99"),
               ("Notebook", "2.99"), ("Envelopes", "5.49"), ("Highlighters", "3.59"), ("Binder Clips", "2.79")],
    "other": [("Phone Charger", "14.99"), ("Umbrella", "11.99"), ("Dog Treats", "6.49"), ("Flower Bouquet", "12.00")],
}
FUEL = [("Unleaded", "3.459"), ("Diesel", "3.899"), ("Premium Fuel", "3.959")]

STORES = {
    "grocery": ("MAPLE STREET MARKET", ["food", "food", "beverage", "household", "personal_care"]),
    "cafe": ("BLUE DOOR CAFE", ["food", "beverage", "beverage"]),
    "pharmacy": ("CORNER PHARMACY", ["personal_care", "personal_care", "household", "beverage", "food"]),
    "office": ("PAPER TRAIL SUPPLY CO", ["office", "office", "office", "beverage", "other"]),
    "general": ("HILLTOP GENERAL STORE", ["food", "household", "other", "office", "beverage"]),
    "fuel": ("SUNRISE FUEL & GO", ["beverage", "food"]),
}
STORE_ORDER = ["grocery", "cafe", "pharmacy", "office", "general", "fuel"]
# prefix: "2x Bagel 5.00"; suffix: "Bagel x2 5.00"; at: "Bananas 3 @ 0.40 1.20" (or the
# "3 @ 0.40 1.20" part on the line under the description); column: "2 Bagel 2.50 5.00";
# none: every item is a single unit, "Bagel 2.50".
QUANTITY_STYLES = ["prefix", "suffix", "at", "column", "none"]
CENT = Decimal("0.01")


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Item:
    description: str
    category: str
    quantity: Decimal
    unit_price: Decimal

    @property
    def total(self) -> Decimal:
        return money(self.quantity * self.unit_price)

    def golden(self) -> dict:
        return {
            "description": self.description,
            "quantity": int(self.quantity) if self.quantity == self.quantity.to_integral_value() else float(self.quantity),
            "unit_price": float(self.unit_price),
            "total": float(self.total),
            "category": self.category,
        }


@dataclass
class Spec:
    name: str
    seed: int
    store: str
    font: str
    size: int
    style: str
    upper: bool
    dollar: bool
    leaders: bool
    two_line_at: bool
    rotation: float
    speckles: int
    blur: float
    tax_rate: Decimal
    items: list[Item]


def pick_items(rng: random.Random, store: str, style: str, upper: bool) -> list[Item]:
    items: list[Item] = []
    used: set[str] = set()
    if store == "fuel":
        desc, price = rng.choice(FUEL)
        gallons = Decimal(rng.randrange(6000, 16000)) / 1000
        items.append(Item(desc.upper() if upper else desc, "fuel", gallons, Decimal(price)))
        used.add(desc)
    categories = STORES[store][1]
    for _ in range(rng.randint(2, 4) if store == "fuel" else rng.randint(3, 7)):
        category = rng.choice(categories)
        desc, price = rng.choice(CATALOGUE[category])
        if desc in used:
            continue
        used.add(desc)
        quantity = 1 if style == "none" else rng.choice([1, 1, 2, 3, 4, 6] if desc in ("Bananas", "Apples") else [1, 1, 1, 2, 2, 3])
        items.append(Item(desc.upper() if upper else desc, category, Decimal(quantity), Decimal(price)))
    return items


def make_spec(index: int) -> Spec:
    seed = 1000 + index
    rng = random.Random(seed)
    store = STORE_ORDER[index % len(STORE_ORDER)]
    style = QUANTITY_STYLES[index % len(QUANTITY_STYLES)]
    if store == "fuel" and style in ("prefix", "suffix", "none"):
        style = "at"  # pumps print "12.345 @ 3.459"
    upper = rng.random() < 0.5
    return Spec(
        name=f"receipt-{index + 1:02d}",
        seed=seed,
        store=store,
        font=list(FONTS)[(index + index // len(QUANTITY_STYLES)) % len(FONTS)],  # every font meets every style
        size=rng.choice([20, 22, 24]),
        style=style,
        upper=upper,
        dollar=rng.random() < 0.3,
        leaders=rng.random() < 0.2,
        two_line_at=style == "at" and rng.random() < 0.5,
        rotation=round(rng.uniform(-2.0, 2.0), 2) if rng.random() < 0.7 else 0.0,
        speckles=rng.choice([0, 150, 400, 800]),
        blur=rng.choice([0.0, 0.0, 0.4, 0.6]),
        tax_rate=Decimal("0") if store == "fuel" else Decimal(rng.choice(["0.06", "0.07", "0.0725", "0.08", "0.0875"])),
        items=pick_items(rng, store, style, upper),
    )


def seed_spec() -> Spec:
    """The seed project's mock receipt: 1x Coffee 3.50, 2x Bagel 5.00, tax 8 %."""
    return Spec(
        name="seed-receipt", seed=0, store="cafe", font="DejaVu Sans Mono", size=22, style="prefix",
        upper=False, dollar=False, leaders=False, two_line_at=False, rotation=0.0, speckles=0, blur=0.0,
        tax_rate=Decimal("0.08"),
        items=[Item("Coffee", "beverage", Decimal(1), Decimal("3.50")), Item("Bagel", "food", Decimal(2), Decimal("2.50"))],
    )


def price_text(spec: Spec, value: Decimal) -> str:
    return f"${value:.2f}" if spec.dollar else f"{value:.2f}"


def quantity_text(quantity: Decimal) -> str:
    return str(int(quantity)) if quantity == quantity.to_integral_value() else f"{quantity:.3f}"


# A rendered line is a list of (text, x, align) segments; x is a fraction of the text width,
# align is l/r/c, or L for a description that may get dot leaders up to the price.
Line = list[tuple[str, float, str]]


def item_lines(spec: Spec, item: Item) -> list[Line]:
    q = quantity_text(item.quantity)
    total = price_text(spec, item.total)
    multi = item.quantity != 1
    if spec.style == "column":
        return [[(q, 0.0, "l"), (item.description, 0.09, "l"), (price_text(spec, item.unit_price), 0.78, "r"), (total, 1.0, "r")]]
    lead = "L" if spec.leaders else "l"
    if spec.style == "prefix":
        return [[(f"{q}x {item.description}", 0.0, lead), (total, 1.0, "r")]]
    if spec.style == "suffix" and multi:
        return [[(f"{item.description} x{q}", 0.0, lead), (total, 1.0, "r")]]
    if spec.style == "at" and multi:
        unit = f"{item.unit_price:.3f}" if item.category == "fuel" else f"{item.unit_price:.2f}"
        at = f"{q} @ {unit}"
        if spec.two_line_at:
            return [[(item.description, 0.0, "l")], [(at, 0.06, "l"), (total, 1.0, "r")]]
        return [[(item.description, 0.0, "l"), (at, 0.4, "l"), (total, 1.0, "r")]]
    return [[(item.description, 0.0, lead), (total, 1.0, "r")]]


def receipt_lines(spec: Spec, rng: random.Random) -> tuple[list[Line], dict]:
    store_name = STORES[spec.store][0]
    subtotal = money(sum((i.total for i in spec.items), Decimal(0)))
    tax = money(subtotal * spec.tax_rate)
    total = subtotal + tax
    month, day, hour, minute = rng.randint(1, 12), rng.randint(1, 28), rng.randint(7, 21), rng.randint(0, 59)
    date = rng.choice([f"2024-{month:02d}-{day:02d} {hour:02d}:{minute:02d}", f"{month:02d}/{day:02d}/2024 {hour:02d}:{minute:02d}"])
    lines: list[Line] = [
        [(store_name, 0.5, "c")],
        [(f"{rng.randint(10, 999)} {rng.choice(['Main St', 'Oak Ave', 'River Rd', 'Elm St'])}", 0.5, "c")],
        [(date, 0.0, "l"), (f"Cashier: {rng.randint(1, 40)}", 1.0, "r")],
        [("-" * 30, 0.5, "c")],
    ]
    if spec.style == "column":
        lines.append([("QTY", 0.0, "l"), ("ITEM", 0.09, "l"), ("PRICE", 0.78, "r"), ("TOTAL", 1.0, "r")])
    for item in spec.items:
        lines.extend(item_lines(spec, item))
    labels = rng.choice([("Subtotal", "Tax", "TOTAL"), ("SUBTOTAL", "SALES TAX", "TOTAL DUE"), ("Sub Total", f"Tax {spec.tax_rate * 100:.4g}%", "Total")])
    lines.append([("-" * 30, 0.5, "c")])
    lines.append([(labels[0], 0.0, "l"), (price_text(spec, subtotal), 1.0, "r")])
    if spec.tax_rate:
        lines.append([(labels[1], 0.0, "l"), (price_text(spec, tax), 1.0, "r")])
    lines.append([(labels[2], 0.0, "l"), (price_text(spec, total), 1.0, "r")])
    if rng.random() < 0.5:
        lines.append([(f"VISA ************{rng.randint(1000, 9999)}", 0.0, "l"), (price_text(spec, total), 1.0, "r")])
    else:
        cash = Decimal(int(total) + rng.choice([1, 5, 10]))
        lines.append([("CASH", 0.0, "l"), (price_text(spec, cash), 1.0, "r")])
        lines.append([("CHANGE", 0.0, "l"), (price_text(spec, cash - total), 1.0, "r")])
    lines.append([(f"Items: {len(spec.items)}", 0.0, "l")])
    lines.append([(rng.choice(["THANK YOU", "THANK YOU FOR SHOPPING!", "Thank you, come again"]), 0.5, "c")])
    golden = {
        "items": [i.golden() for i in spec.items],
        "subtotal": float(subtotal),
        "tax": float(tax),
        "total": float(total),
    }
    return lines, golden


def seed_lines(spec: Spec) -> tuple[list[Line], dict]:
    lines: list[Line] = [[("BLUE DOOR CAFE", 0.5, "c")], [("2024-12-01 09:15", 0.5, "c")], [("-" * 30, 0.5, "c")]]
    for item in spec.items:
        lines.extend(item_lines(spec, item))
    lines += [[("Subtotal", 0.0, "l"), ("8.50", 1.0, "r")], [("Tax", 0.0, "l"), ("0.68", 1.0, "r")],
              [("TOTAL", 0.0, "l"), ("9.18", 1.0, "r")], [("THANK YOU", 0.5, "c")]]
    golden = {"items": [i.golden() for i in spec.items], "subtotal": 8.5, "tax": 0.68, "total": 9.18}
    return lines, golden


def find_font(filename: str) -> Path:
    for directory in FONT_DIRS:
        if (directory / filename).exists():
            return directory / filename
    sys.exit(f"font {filename} not found in {', '.join(map(str, FONT_DIRS))}: apt-get install fonts-dejavu-core fonts-liberation")


def dotted(draw: ImageDraw.ImageDraw, font, left: str, right_x: float, y: int, start_x: float, right: str) -> str:
    """Fills the gap between a description and its price with dots, as some tills print."""
    gap = right_x - draw.textlength(right, font=font) - start_x - draw.textlength(left, font=font)
    dots = int(gap / draw.textlength(".", font=font)) - 4
    return left + " " + "." * max(dots, 0) if dots > 3 else left


def render(spec: Spec, lines: list[Line], rng: random.Random) -> Image.Image:
    regular = ImageFont.truetype(str(find_font(FONTS[spec.font][0])), spec.size)
    bold = ImageFont.truetype(str(find_font(FONTS[spec.font][1])), spec.size + 4)
    margin, line_height = 24, int(spec.size * 1.45)
    width = spec.size * 27
    height = margin * 2 + line_height * (len(lines) + 1)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    text_width = width - 2 * margin
    for row, segments in enumerate(lines):
        y = margin + row * line_height + (0 if row == 0 else 6)
        font = bold if row == 0 else regular
        previous_end = 0.0
        for index, (text, x_fraction, align) in enumerate(segments):
            x = margin + x_fraction * text_width
            if align == "L":  # an item line on a receipt whose till prints dot leaders
                text, align = dotted(draw, font, text, margin + text_width, y, x, segments[1][0]), "l"
            length = draw.textlength(text, font=font)
            if align == "r":
                x -= length
            elif align == "c":
                x -= length / 2
            gap = draw.textlength("  ", font=font)
            if align == "l" and index > 0:
                x = max(x, previous_end + gap)  # a long description pushes "3 @ 0.40" right
            elif index > 0 and x < previous_end + gap:
                sys.exit(f"{spec.name}: {text!r} overlaps the text before it (x={x:.0f}, previous end {previous_end:.0f}); shorten the line or widen the image")
            previous_end = x + length
            draw.text((x, y), text, font=font, fill=rng.randint(0, 40))
    if spec.blur:
        image = image.filter(ImageFilter.GaussianBlur(spec.blur))
    for _ in range(spec.speckles):
        x, y = rng.randrange(width), rng.randrange(height)
        draw = ImageDraw.Draw(image)
        r = rng.choice([0, 0, 1])
        draw.ellipse((x, y, x + r, y + r), fill=rng.randint(60, 170))
    if spec.rotation:
        image = image.rotate(spec.rotation, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    return image


def tesseract_version() -> str | None:
    try:
        out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.splitlines()[0].strip()


def ocr(png: Path) -> str:
    # One OpenMP thread, as the receipt_ocr worker runs it: same text, ~10x faster on small images.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    return subprocess.run(["tesseract", str(png), "-", "--psm", "6"], capture_output=True, text=True, check=True, env=env).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-ocr", action="store_true", help="skip writing the Tesseract .txt files")
    args = parser.parse_args()
    version = None if args.no_ocr else tesseract_version()
    if not args.no_ocr and version is None:
        sys.exit("tesseract not found: apt-get install tesseract-ocr, or pass --no-ocr")
    OUT.mkdir(parents=True, exist_ok=True)
    manifest = {"generator": "scripts/make_receipts.py", "pillow": PILLOW_VERSION, "tesseract": version,
                "tesseract_command": "tesseract IMG - --psm 6", "receipts": []}
    specs = [make_spec(i) for i in range(RECEIPT_COUNT)] + [seed_spec()]
    for spec in specs:
        rng = random.Random(spec.seed * 7919)
        lines, golden = seed_lines(spec) if spec.name == "seed-receipt" else receipt_lines(spec, rng)
        png = OUT / f"{spec.name}.png"
        render(spec, lines, rng).save(png, optimize=True)
        (OUT / f"{spec.name}.json").write_text(json.dumps(golden, indent=2, sort_keys=True) + "\n")
        if version:
            (OUT / f"{spec.name}.txt").write_text(ocr(png))
        manifest["receipts"].append({
            "name": spec.name, "store": spec.store, "font": spec.font, "font_size": spec.size,
            "quantity_style": spec.style + ("-two-line" if spec.two_line_at else ""),
            "uppercase": spec.upper, "dollar_signs": spec.dollar, "dot_leaders": spec.leaders,
            "rotation_degrees": spec.rotation, "speckles": spec.speckles, "blur": spec.blur,
            "bytes": png.stat().st_size,
        })
        print(f"{png.relative_to(ROOT)}  {png.stat().st_size // 1024} KB  {spec.font}, {spec.style}, rot {spec.rotation}")
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
