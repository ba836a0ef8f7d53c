#!/usr/bin/env bash
# Fetches two data sets of the npm package `vega-datasets` (BSD-3-Clause package; per-file sources
# and licences below) and writes Gaussian-process regression splits for `structura gp`:
#
#   data/kernel/precip-train.csv, precip-test.csv
#       data/annual-precip.json: global annual precipitation for 2016 on a 1° grid, 360×168 cells
#       (all 60,480 valid), from NOAA's Climate Forecast System v2 (public domain, weather.gov
#       disclaimer). Each cell centre (lon, lat) is mapped to the unit sphere,
#       (cos lat·cos lon, cos lat·sin lon, sin lat); lines are x,y,z,precipitation.
#   data/kernel/co2-train.csv, co2-test.csv
#       data/co2-concentration.csv: monthly Mauna Loa CO2 (ppm) 1958–2020 from the Scripps CO2
#       Program (CC BY 4.0). Lines are t,co2 with t the decimal year (year + (month − 1)/12).
#
# Both splits are seeded (mulberry32, seed 15): each row goes to the test file with probability
# 0.1 (about 54,400 precipitation training points and 6,000 test points).
#
# Needs: bash, curl, tar (with gzip) and Node.js >= 18. Idempotent: the tarball is downloaded only
# when data/downloads/ lacks a copy with the pinned hash; the CSVs are rebuilt and moved into place.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version="3.2.1"
url="https://registry.npmjs.org/vega-datasets/-/vega-datasets-${version}.tgz"
# dist.integrity of the package as published (npm view vega-datasets@3.2.1 dist.integrity)
integrity="sha512-lTSwZA6yq6qSU2YZm+6bqILiIvTPPxn4itir7jPGFmHIdPvUfQ9pCzzcrklYywMJgLUbaIeSkZQdiJd6wBxPug=="

for tool in curl tar node; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "fetch-vega-datasets: '$tool' is not installed. Install it, e.g. on Debian/Ubuntu: apt-get install curl nodejs" >&2
    exit 1
  fi
done

downloads="$root/data/downloads"
out="$root/data/kernel"
tarball="$downloads/vega-datasets-${version}.tgz"
mkdir -p "$downloads" "$out"

sri_of() {  # prints the sha512 subresource-integrity string of file $1
  node -e 'const c=require("crypto"),f=require("fs");
    process.stdout.write("sha512-"+c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$1"
}

if [ -f "$tarball" ] && [ "$(sri_of "$tarball")" = "$integrity" ]; then
  echo "fetch-vega-datasets: using $tarball (hash verified)" >&2
else
  echo "fetch-vega-datasets: downloading vega-datasets@$version from registry.npmjs.org (17 MB) ..." >&2
  part=$(mktemp "$downloads/.download.XXXXXX")
  trap 'rm -f "$part"' EXIT
  curl -fsSL --retry 3 -o "$part" "$url"
  got=$(sri_of "$part")
  if [ "$got" != "$integrity" ]; then
    echo "fetch-vega-datasets: integrity check failed for $url" >&2
    echo "  expected $integrity" >&2
    echo "  got      $got" >&2
    exit 1
  fi
  chmod 644 "$part"
  mv -f "$part" "$tarball"
  trap - EXIT
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xzf "$tarball" -C "$work" package/data/annual-precip.json package/data/co2-concentration.csv
node - "$work" <<'JS'
const fs = require("fs"), path = require("path");
const work = process.argv[2];
function mulberry32(a) {  // small seeded PRNG: the split is reproducible without dependencies
  return () => { a |= 0; a = a + 0x6D2B79F5 | 0; let t = Math.imul(a ^ a >>> 15, 1 | a);
    t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t; return ((t ^ t >>> 14) >>> 0) / 4294967296; };
}
function split(rows, name) {
  const rnd = mulberry32(15), train = [], test = [];
  for (const r of rows) (rnd() < 0.1 ? test : train).push(r.join(","));
  fs.writeFileSync(path.join(work, name + "-train.csv"), train.join("\n") + "\n");
  fs.writeFileSync(path.join(work, name + "-test.csv"), test.join("\n") + "\n");
  console.error(`fetch-vega-datasets: ${name}: ${train.length} training and ${test.length} test rows`);
}
const grid = JSON.parse(fs.readFileSync(path.join(work, "package/data/annual-precip.json"), "utf8"));
const precip = [];
for (let j = 0; j < grid.height; j++) {
  for (let i = 0; i < grid.width; i++) {
    const v = grid.values[j * grid.width + i];
    if (v === null || v === undefined || Number.isNaN(v)) continue;  // none in 3.2.1, but stay safe
    const lon = (grid.translate[0] + grid.scale[0] * (i + 0.5)) * Math.PI / 180;
    const lat = (grid.translate[1] + grid.scale[1] * (j + 0.5)) * Math.PI / 180;
    precip.push([Math.cos(lat) * Math.cos(lon), Math.cos(lat) * Math.sin(lon), Math.sin(lat), v]
      .map((x, k) => k < 3 ? x.toPrecision(10) : String(x)));
  }
}
split(precip, "precip");
const co2 = fs.readFileSync(path.join(work, "package/data/co2-concentration.csv"), "utf8").trim().split("\n").slice(1)
  .map(l => l.split(",")).map(([date, c]) => { const [y, m] = date.split("-").map(Number);
    return [(y + (m - 1) / 12).toFixed(4), c]; });
split(co2, "co2");
JS
for f in precip-train precip-test co2-train co2-test; do
  mv -f "$work/$f.csv" "$out/$f.csv"
done
echo "fetch-vega-datasets: wrote $out/{precip,co2}-{train,test}.csv" >&2
