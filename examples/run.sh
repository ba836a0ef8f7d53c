#!/usr/bin/env bash
# Builds the example application (examples/src) with javac and runs it on the module path against
# the jars of the main build (cli/target/dist/lib, made by `./mvnw package` or `./run-tests`),
# twice, without a code change:
#   1. the library modules only: the reference backend ("java") must be selected;
#   2. the same plus the vector backend jar (structura-backend-vector): "vector" must be selected.
# The two runs must print the same compression result and agree on the solve and the kernel
# product to 1e-9 relative. Nothing is installed anywhere; a temporary folder is removed at exit.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/find-jdk.sh"
lib="$root/cli/target/dist/lib"
if ! ls "$lib"/structura-api-*.jar >/dev/null 2>&1; then
  echo "examples: no main build in $lib; run ./mvnw -B -DskipTests package -pl cli -am first" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/lib"
for jar in "$lib"/*.jar; do
  case "$(basename "$jar")" in
    structura-backend-*) ;;                      # backends are what the two runs vary
    *) ln -s "$jar" "$work/lib/" ;;
  esac
done
vector=$(ls "$lib"/structura-backend-vector-*.jar | head -n 1)

"$JAVA_HOME/bin/javac" --release 25 --module-path "$work/lib" -d "$work/classes" \
  $(find "$root/examples/src/main/java" -name '*.java')

run() {  # run NAME [extra module path] [java options...]
  local name=$1 extra=$2
  shift 2
  "$JAVA_HOME/bin/java" "$@" --module-path "$work/classes:$work/lib${extra:+:$extra}" \
    -m structura.examples/structura.examples.EmbedExample "$root/formats/src/test/resources/fixtures/llama-tiny" \
    > "$work/$name.out" 2> "$work/$name.err" || { cat "$work/$name.err" >&2; exit 1; }
  sed "s/^/examples [$name] /" "$work/$name.out"
}
run reference ""
run vector "$vector" --add-modules jdk.incubator.vector

fail=0
expect_backend() {
  if ! grep -qx "backend: $2" "$work/$1.out"; then
    echo "examples: FAIL: the $1 run selected $(sed -n 's/^backend: //p' "$work/$1.out"), expected $2" >&2
    fail=1
  fi
}
expect_backend reference java
expect_backend vector vector
if ! diff <(grep '^compress:' "$work/reference.out") <(grep '^compress:' "$work/vector.out") >/dev/null; then
  echo "examples: FAIL: the compression differs between backends" >&2
  fail=1
fi
# sum(x) and sum(Kv): the same to 1e-9 relative on both backends
for key in 'solve:' 'kernel mvm:'; do
  a=$(grep "^$key" "$work/reference.out" | sed -n 's/.*sum([^)]*)=\([^ ]*\).*/\1/p')
  b=$(grep "^$key" "$work/vector.out" | sed -n 's/.*sum([^)]*)=\([^ ]*\).*/\1/p')
  if ! awk -v a="$a" -v b="$b" 'BEGIN { d = a - b; if (d < 0) d = -d; m = (a < 0 ? -a : a); exit !(d <= 1e-9 * (m > 1 ? m : 1)) }'; then
    echo "examples: FAIL: $key reference $a, vector $b" >&2
    fail=1
  fi
done
residual=$(sed -n 's/^solve:.*max residual \([^ ]*\)$/\1/p' "$work/reference.out")
awk -v r="$residual" 'BEGIN { exit !(r + 0 < 1e-8) }' || { echo "examples: FAIL: the solve's residual $residual" >&2; fail=1; }
if [ "$fail" = 0 ]; then
  echo "examples: OK: the reference run selected java, the run with the vector jar selected vector, results agree"
else
  exit 1
fi
