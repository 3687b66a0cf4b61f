#!/usr/bin/env python3
"""Converts Natural Earth's 1:110m countries (public domain) into the compact world map Liaison draws its maps from:
Sources/LiaisonCore/Resources/world-110m.json, and the grey background the maps are drawn on,
Sources/LiaisonWeb/Resources/static/world-110m.svg. Run once, by hand, when the map should change; the output is committed.

Input: the `naturalearth_lowres` and `naturalearth_cities` shapefiles inside the PyPI wheel of geopandas 0.14.4
(Natural Earth 1:110m Cultural Vectors, admin 0 countries, and the populated places of its capitals), fetched with
pip unless a wheel is given. Each country is projected with the Equal Earth projection (Šavrič, Patterson, Jenny,
2018) onto a 1000-unit-wide plane, simplified (Douglas–Peucker, 0.35 units), and written as an SVG path under its
ISO 3166-1 alpha-2 code (pycountry turns Natural Earth's alpha-3 codes into alpha-2). States and territories too
small for 1:110m are points: their capital from `naturalearth_cities`, or, for the few territories it lacks, a
position written here (approximate, to a tenth of a degree).

    python3 scripts/natural-earth-map.py [geopandas-0.14.4-py3-none-any.whl]

Needs: pip (to fetch the wheel), pycountry.
"""
import io
import json
import math
import os
import struct
import subprocess
import sys
import tempfile
import zipfile

import pycountry

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(ROOT, "Sources", "LiaisonCore", "Resources", "world-110m.json")
# The background the pages' maps draw their countries on: every country, grey (an <image> of the picture).
BACKGROUND = os.path.join(ROOT, "Sources", "LiaisonWeb", "Resources", "static", "world-110m.svg")
WIDTH = 1000.0
TOLERANCE = 0.35

# Capitals of naturalearth_cities that stand for a state or territory the 1:110m polygons leave out (or show as a
# speck), by their name there.
CAPITALS = {
    "Vatican City": "VA", "San Marino": "SM", "Vaduz": "LI", "Monaco": "MC", "Andorra": "AD", "Valletta": "MT",
    "Singapore": "SG", "Hong Kong": "HK", "Luxembourg": "LU", "Manama": "BH", "Malé": "MV", "Victoria": "SC",
    "Port Louis": "MU", "Praia": "CV", "São Tomé": "ST", "Moroni": "KM", "Apia": "WS", "Nuku'alofa": "TO",
    "Funafuti": "TV", "Tarawa": "KI", "Majuro": "MH", "Palikir": "FM", "Melekeok": "PW", "Bridgetown": "BB",
    "Kingstown": "VC", "Castries": "LC", "Basseterre": "KN", "Saint George's": "GD", "Saint John's": "AG",
    "Roseau": "DM", "Port-of-Spain": "TT", "Nassau": "BS", "Suva": "FJ", "Port Vila": "VU", "Honiara": "SB",
    "Nicosia": "CY", "Dili": "TL", "Banjul": "GM", "Kigali": "RW", "Bujumbura": "BI", "Djibouti": "DJ",
    "Lobamba": "SZ", "Bandar Seri Begawan": "BN", "Doha": "QA", "Beirut": "LB", "Ljubljana": "SI",
    "Podgorica": "ME", "Skopje": "MK", "Pristina": "XK", "Belmopan": "BZ", "San Salvador": "SV",
    "Kuwait City": "KW", "Tirana": "AL", "Brussels": "BE", "Amsterdam": "NL", "Bern": "CH", "Vienna": "AT",
    "Sarajevo": "BA", "Zagreb": "HR", "Bratislava": "SK", "Tallinn": "EE", "Riga": "LV", "Vilnius": "LT",
    "Chi\u0219in\u0103u": "MD", "Yerevan": "AM", "Tbilisi": "GE", "Baku": "AZ", "Copenhagen": "DK", "København": "DK",
    "Jerusalem": "IL", "Amman": "JO", "Abu Dhabi": "AE", "Kingston": "JM", "Santo Domingo": "DO",
    "Port-au-Prince": "HT", "Malabo": "GQ", "Bissau": "GW", "Maseru": "LS", "Lilongwe": "MW",
}

# Territories neither the polygons nor the capitals have: (longitude, latitude), approximate.
PLACES = {
    "GI": (-5.35, 36.14), "GG": (-2.58, 49.45), "JE": (-2.13, 49.21), "IM": (-4.55, 54.23), "BM": (-64.78, 32.3),
    "KY": (-81.25, 19.3), "MO": (113.55, 22.2), "AW": (-69.97, 12.52), "CW": (-68.99, 12.17), "FO": (-6.9, 62.0),
    "VG": (-64.6, 18.43), "AI": (-63.05, 18.22), "MS": (-62.19, 16.74), "TC": (-71.8, 21.8), "SX": (-63.05, 18.04),
    "BQ": (-68.26, 12.15), "GP": (-61.55, 16.25), "MQ": (-61.0, 14.65), "RE": (55.53, -21.13), "YT": (45.15, -12.83),
    "GF": (-53.0, 4.0), "PF": (-149.4, -17.65), "NC": (165.6, -21.3), "PR": (-66.5, 18.22), "GU": (144.79, 13.44),
    "AS": (-170.7, -14.3), "VI": (-64.8, 18.34), "CK": (-159.78, -21.23), "NU": (-169.87, -19.05), "SH": (-5.7, -15.95),
    "PM": (-56.2, 46.9), "WF": (-176.2, -13.3), "TK": (-171.8, -9.2), "NR": (166.93, -0.53), "AX": (19.95, 60.2),
    "SJ": (16.0, 78.0), "GB-EAW": (-1.6, 52.6), "GB-SCT": (-4.2, 56.8), "GB-NIR": (-6.7, 54.6),
}


def fetch_wheel():
    folder = tempfile.mkdtemp(prefix="natural-earth-")
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", folder, "geopandas==0.14.4"], check=True)
    return os.path.join(folder, "geopandas-0.14.4-py3-none-any.whl")


def dbf_records(data, encoding):
    """The records of a dBase III file: a dict of its fields each (text in the encoding its .cpg file names)."""
    count, header_length, record_length = struct.unpack("<xxxxIHH", data[:12])
    fields, position = [], 32
    while data[position] != 0x0D:
        name = data[position:position + 11].split(b"\0")[0].decode("ascii")
        fields.append((name, data[position + 16]))
        position += 32
    records = []
    for index in range(count):
        start = header_length + index * record_length + 1
        record, offset = {}, start
        for name, length in fields:
            record[name] = data[offset:offset + length].decode(encoding).strip()
            offset += length
        records.append(record)
    return records


def shp_shapes(data):
    """Each shape of a shapefile: a list of rings of (longitude, latitude) for polygons, a point for points."""
    shapes, position = [], 100
    while position < len(data):
        _, length = struct.unpack(">ii", data[position:position + 8])
        content = data[position + 8:position + 8 + length * 2]
        position += 8 + length * 2
        kind = struct.unpack("<i", content[:4])[0]
        if kind == 1:
            shapes.append(struct.unpack("<dd", content[4:20]))
        elif kind == 5:
            parts, points = struct.unpack("<ii", content[36:44])
            starts = list(struct.unpack(f"<{parts}i", content[44:44 + 4 * parts])) + [points]
            base = 44 + 4 * parts
            coordinates = [struct.unpack("<dd", content[base + 16 * i:base + 16 * i + 16]) for i in range(points)]
            shapes.append([coordinates[starts[i]:starts[i + 1]] for i in range(parts)])
        else:
            shapes.append(None)
    return shapes


# Equal Earth (EPSG:8857).
A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2


def equal_earth(longitude, latitude):
    lam, phi = math.radians(longitude), math.radians(latitude)
    theta = math.asin(M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return x, y


X_MAX = equal_earth(180, 0)[0]
Y_MAX = equal_earth(0, 90)[1]
SCALE = WIDTH / (2 * X_MAX)
HEIGHT = round(2 * Y_MAX * SCALE, 1)


def plane(longitude, latitude):
    x, y = equal_earth(longitude, latitude)
    return ((x + X_MAX) * SCALE, (Y_MAX - y) * SCALE)


def simplify(points, tolerance):
    """Douglas–Peucker, iterative."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy) or 1e-12
        best, index = 0.0, None
        for i in range(first + 1, last):
            x0, y0 = points[i]
            distance = abs(dy * x0 - dx * y0 + x2 * y1 - y2 * x1) / norm if (dx or dy) else math.hypot(x0 - x1, y0 - y1)
            if distance > best:
                best, index = distance, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep) if k]


def area(ring):
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]))) / 2


def path(rings):
    out = []
    for ring in rings:
        projected = [plane(lon, lat) for lon, lat in ring]
        simple = simplify(projected, TOLERANCE)
        if len(simple) < 4 or area(simple) < 0.3:
            continue
        numbers = [f"{x:.1f},{y:.1f}" for x, y in simple[:-1]]
        out.append("M" + "L".join(numbers) + "Z")
    return "".join(out)


# Natural Earth's own codes for areas ISO 3166 counts within a state: drawn as part of it.
WITHIN = {"CYN": "CY", "SOL": "SO"}


def alpha2(alpha3, name):
    if alpha3 == "-99" and name == "Kosovo":
        return "XK"
    if alpha3 in WITHIN:
        return WITHIN[alpha3]
    country = pycountry.countries.get(alpha_3=alpha3)
    if country is None:
        raise SystemExit(f"no ISO 3166-1 alpha-2 code for {alpha3} ({name})")
    return country.alpha_2


def main():
    wheel = sys.argv[1] if len(sys.argv) > 1 else fetch_wheel()
    with zipfile.ZipFile(wheel) as archive:
        def read(name):
            return archive.read("geopandas/datasets/" + name)
        def encoding(name):
            return read(name + ".cpg").decode("ascii").strip() or "utf-8"
        countries = zip(dbf_records(read("naturalearth_lowres/naturalearth_lowres.dbf"), encoding("naturalearth_lowres/naturalearth_lowres")),
                        shp_shapes(read("naturalearth_lowres/naturalearth_lowres.shp")))
        cities = zip(dbf_records(read("naturalearth_cities/naturalearth_cities.dbf"), encoding("naturalearth_cities/naturalearth_cities")),
                     shp_shapes(read("naturalearth_cities/naturalearth_cities.shp")))
        shapes = {}
        for record, rings in countries:
            code = alpha2(record["iso_a3"], record["name"])
            drawn = path(rings)
            if drawn:
                shapes[code] = shapes.get(code, "") + drawn
        points = {}
        for record, point in cities:
            code = CAPITALS.get(record["name"])
            if code and point:
                x, y = plane(*point)
                points[code] = [round(x, 1), round(y, 1)]
        for code, (longitude, latitude) in PLACES.items():
            x, y = plane(longitude, latitude)
            points.setdefault(code, [round(x, 1), round(y, 1)])
    document = {
        "attribution": "Made with Natural Earth (public domain): 1:110m Cultural Vectors, admin 0 countries and populated "
                       "places, as the naturalearth_lowres and naturalearth_cities datasets of geopandas 0.14.4; "
                       "Equal Earth projection; small territories placed by Liaison.",
        "projection": "Equal Earth",
        "width": WIDTH, "height": HEIGHT,
        "countries": dict(sorted(shapes.items())),
        "points": dict(sorted(points.items())),
    }
    with open(OUTPUT, "w") as handle:
        json.dump(document, handle, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
        handle.write("\n")
    with open(BACKGROUND, "w") as handle:
        handle.write(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:g} {HEIGHT:g}" width="{WIDTH:g}" height="{HEIGHT:g}">'
                     f'<!-- {document["attribution"]} -->'
                     f'<path fill="#e4e4e4" stroke="#ffffff" stroke-width="0.5" d="{"".join(shapes[code] for code in sorted(shapes))}"/></svg>\n')
    print(f"{len(shapes)} countries, {len(points)} points, {os.path.getsize(OUTPUT)} bytes -> {os.path.relpath(OUTPUT, ROOT)}")


if __name__ == "__main__":
    main()
