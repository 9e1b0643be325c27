#!/usr/bin/env python3
"""What a user would write instead of `ceasefired replay --dry-run`.

Reads FIRMS CSV files (gzip or plain) with the csv module, locates every row
in the zones of a GeoJSON FeatureCollection with shapely's prepared
geometries (vectorised over each file, one zone at a time), and prints the
hits per zone and rows/s to stderr. With --jsonl it also writes one JSON line
per (row, zone) hit to stdout, as `ceasefired replay` does.

    /usr/bin/python3 docs/bench/replay_shapely.py [--jsonl] \
        ../shared/data/zones/ua_oblasts_minregion_2020.geojson ADMIN_1 \
        ../shared/data/incidents/firms_ukr_latlon_yearly/*.csv.gz > out.jsonl

Needs shapely 1.8 or later (Debian: python3-shapely) and numpy.
"""
import csv
import gzip
import json
import sys
import time

import numpy as np
from shapely.geometry import shape
from shapely.prepared import prep
import shapely.vectorized


def open_text(path):
    with open(path, "rb") as f:
        magic = f.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt", newline="", encoding="utf-8")
    return open(path, newline="", encoding="utf-8")


def main(zones_path, id_property, files, jsonl):
    with open(zones_path, encoding="utf-8") as f:
        fc = json.load(f)
    zones = []
    for feat in fc["features"]:
        geom = shape(feat["geometry"])
        zones.append((feat["properties"][id_property], prep(geom), geom.bounds))
    start = time.perf_counter()
    rows = hits = 0
    per_zone = {}
    out = sys.stdout
    for path in files:
        with open_text(path) as f:
            rd = csv.reader(f)
            header = [h.strip().lower() for h in next(rd)]
            ilat, ilon, idate = header.index("latitude"), header.index("longitude"), header.index("acq_date")
            recs = list(rd)
        lat = np.array([float(r[ilat]) for r in recs])
        lon = np.array([float(r[ilon]) for r in recs])
        rows += len(recs)
        for zid, pg, (x0, y0, x1, y1) in zones:
            box = (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
            idx = np.nonzero(box)[0]
            if len(idx) == 0:
                continue
            inside = shapely.vectorized.contains(pg, lon[idx], lat[idx])
            n = int(inside.sum())
            hits += n
            per_zone[zid] = per_zone.get(zid, 0) + n
            if not jsonl:
                continue
            for i in idx[inside]:
                r = recs[i]
                out.write(json.dumps({"zone_id": zid, "occurred_at": r[idate],
                                      "lon": float(lon[i]), "lat": float(lat[i])},
                                     ensure_ascii=False))
                out.write("\n")
    took = time.perf_counter() - start
    for zid in sorted(per_zone):
        print(f"{per_zone[zid]:9d} {zid}", file=sys.stderr)
    print(f"rows read: {rows}\nhits:      {hits}\nseconds:   {took:.2f}\nrows/s:    {rows / took:.0f}",
          file=sys.stderr)


if __name__ == "__main__":
    args = sys.argv[1:]
    jsonl = "--jsonl" in args
    args = [a for a in args if a != "--jsonl"]
    if len(args) < 3:
        sys.exit(__doc__)
    main(args[0], args[1], args[2:], jsonl)
