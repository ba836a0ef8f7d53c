// Writes the mini vega-datasets inputs of DatasetsTest (annual-precip.json, a 12x6 grid with one
// empty cell; co2-concentration.csv, the first 40 months of the real file) and, into expected/,
// what the Node conversion of scripts/fetch-vega-datasets.sh (removed in favour of
// `structura data fetch annual-precip | co2-concentration`) wrote for them. The conversion below
// is that script's, verbatim but for the paths. Run from this folder: node make_fixture.mjs
import fs from "fs";
import path from "path";

const work = ".";
fs.mkdirSync("expected", { recursive: true });
const values = [];
for (let k = 0; k < 72; k++) values.push(k === 13 ? null : (k % 5 === 0 ? k * 17.25 : 300 + k * k));
fs.writeFileSync("annual-precip.json", JSON.stringify({ width: 12, height: 6, scale: [30, -30], translate: [-180, 87], values }));
fs.writeFileSync("co2-concentration.csv", `Date,CO2,adjusted CO2
1958-03-01,315.70,314.44
1958-04-01,317.46,315.16
1958-05-01,317.51,314.71
1958-07-01,315.86,315.19
1958-08-01,314.93,316.19
1958-09-01,313.21,316.08
1958-11-01,313.33,315.20
1958-12-01,314.67,315.43
1959-01-01,315.58,315.54
1959-02-01,316.49,315.86
1959-03-01,316.65,315.38
1959-04-01,317.72,315.42
1959-05-01,318.29,315.49
1959-06-01,318.15,316.03
1959-07-01,316.54,315.86
1959-08-01,314.80,316.06
1959-09-01,313.84,316.73
1959-10-01,313.33,316.33
1959-11-01,314.81,316.68
1959-12-01,315.58,316.35
1960-01-01,316.43,316.39
1960-02-01,316.98,316.35
1960-03-01,317.58,316.28
1960-04-01,319.03,316.70
1960-05-01,320.04,317.22
1960-06-01,319.58,317.48
1960-07-01,318.18,317.52
1960-08-01,315.90,317.20
1960-09-01,314.17,317.08
1960-10-01,313.83,316.83
1960-11-01,315.00,316.88
1960-12-01,316.19,316.96
1961-01-01,316.90,316.85
1961-02-01,317.70,317.07
1961-03-01,318.54,317.26
1961-04-01,319.48,317.16
1961-05-01,320.58,317.76
1961-06-01,319.77,317.63
1961-07-01,318.57,317.88
1961-08-01,316.79,318.06
`);

// ---- the conversion of scripts/fetch-vega-datasets.sh
function mulberry32(a) {  // small seeded PRNG: the split is reproducible without dependencies
  return () => { a |= 0; a = a + 0x6D2B79F5 | 0; let t = Math.imul(a ^ a >>> 15, 1 | a);
    t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t; return ((t ^ t >>> 14) >>> 0) / 4294967296; };
}
function split(rows, name) {
  const rnd = mulberry32(15), train = [], test = [];
  for (const r of rows) (rnd() < 0.1 ? test : train).push(r.join(","));
  fs.writeFileSync(path.join("expected", name + "-train.csv"), train.join("\n") + "\n");
  fs.writeFileSync(path.join("expected", name + "-test.csv"), test.join("\n") + "\n");
}
const grid = JSON.parse(fs.readFileSync(path.join(work, "annual-precip.json"), "utf8"));
const precip = [];
for (let j = 0; j < grid.height; j++) {
  for (let i = 0; i < grid.width; i++) {
    const v = grid.values[j * grid.width + i];
    if (v === null || v === undefined || Number.isNaN(v)) continue;
    const lon = (grid.translate[0] + grid.scale[0] * (i + 0.5)) * Math.PI / 180;
    const lat = (grid.translate[1] + grid.scale[1] * (j + 0.5)) * Math.PI / 180;
    precip.push([Math.cos(lat) * Math.cos(lon), Math.cos(lat) * Math.sin(lon), Math.sin(lat), v]
      .map((x, k) => k < 3 ? x.toPrecision(10) : String(x)));
  }
}
split(precip, "precip");
const co2 = fs.readFileSync(path.join(work, "co2-concentration.csv"), "utf8").trim().split("\n").slice(1)
  .map(l => l.split(",")).map(([date, c]) => { const [y, m] = date.split("-").map(Number);
    return [(y + (m - 1) / 12).toFixed(4), c]; });
split(co2, "co2");
