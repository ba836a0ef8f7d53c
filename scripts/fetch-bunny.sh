#!/usr/bin/env bash
# Fetches the Stanford bunny vertices as packaged by the npm package `bunny` (Mikola Lysenko,
# public domain; the mesh is the Stanford 3D Scanning Repository's, decimated) and writes
#
#   data/kernel/bunny.csv   one vertex per line: x,y,z (1,839 points in 3-D in bunny@1.0.1)
#
# for `structura kernel mvm --points data/kernel/bunny.csv ...`. Note: issue 15 quotes 35,947
# points, the full-resolution scan; the npm package holds this decimated mesh only.
#
# Needs: a JDK 25 (it runs `structura data fetch bunny`); with STRUCTURA_FETCH_WITH_NODE=1 the
# original route: bash, curl, tar (with gzip) and Node.js >= 18.
# Idempotent: the tarball is downloaded only when data/downloads/ lacks a copy with the pinned
# hash; the CSV is rebuilt from it and moved into place whole.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version="1.0.1"
url="https://registry.npmjs.org/bunny/-/bunny-${version}.tgz"
# dist.integrity of the package as published (npm view bunny@1.0.1 dist.integrity)
integrity="sha512-KsMt755E0AVYjeUnQeOPtVNGuDLiWjJ6VIoyywLmVx5R6QliuL5AS0X/gi+ORDDlBZfOaDBAqdqCv5XAlF9tCQ=="

# `structura data fetch bunny` does the same with the JDK alone (the same bytes; DatasetsTest).
if [ "${STRUCTURA_FETCH_WITH_NODE:-0}" != 1 ]; then
  exec "$root/structura" data fetch bunny --data-dir "$root/data"
fi

for tool in curl tar node; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "fetch-bunny: '$tool' is not installed. Install it, e.g. on Debian/Ubuntu: apt-get install curl nodejs" >&2
    exit 1
  fi
done

downloads="$root/data/downloads"
out="$root/data/kernel"
tarball="$downloads/bunny-${version}.tgz"
mkdir -p "$downloads" "$out"

sri_of() {  # prints the sha512 subresource-integrity string of file $1
  node -e 'const c=require("crypto"),f=require("fs");
    process.stdout.write("sha512-"+c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$1"
}

if [ -f "$tarball" ] && [ "$(sri_of "$tarball")" = "$integrity" ]; then
  echo "fetch-bunny: using $tarball (hash verified)" >&2
else
  echo "fetch-bunny: downloading bunny@$version from registry.npmjs.org ..." >&2
  part=$(mktemp "$downloads/.download.XXXXXX")
  trap 'rm -f "$part"' EXIT
  curl -fsSL --retry 3 -o "$part" "$url"
  got=$(sri_of "$part")
  if [ "$got" != "$integrity" ]; then
    echo "fetch-bunny: integrity check failed for $url" >&2
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
tar -xzf "$tarball" -C "$work"
node -e 'const b=require(process.argv[1]);
  process.stdout.write(b.positions.map(p=>p.join(",")).join("\n")+"\n")' "$work/package/index.js" > "$work/bunny.csv"
mv -f "$work/bunny.csv" "$out/bunny.csv"
echo "fetch-bunny: wrote $out/bunny.csv ($(wc -l < "$out/bunny.csv") points)" >&2
