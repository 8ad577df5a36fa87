#!/usr/bin/env bash
# Two evident binaries on the same generated site, their runs interleaved (old, new, old, new,
# …) so that the machine's drift falls on both alike: for a change that must not make a build
# slower (a refactor), or one that claims to make it faster.
#
#   benches/compare.sh OLD_BINARY NEW_BINARY [N] [RUNS] [-- BUILD_ARGS...]
#
# N claims (default 10000) from examples/gen-site (seed 1), RUNS pairs (default 5), each run
# into a fresh folder after `sync`. Build arguments default to `--no-pdf --no-search`. Prints
# every run, then each binary's median wall time, CPU time and peak memory, the ratio of the
# medians (new / old) and the median of the pairs' own ratios. Needs /usr/bin/time.
# TMPDIR=/dev/shm keeps the disk out of it (a tmpfs: the CPU-bound part alone).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
old=$(realpath "$1") new=$(realpath "$2")
shift 2
n=10000 runs=5
if [ $# -gt 0 ] && [ "$1" != "--" ]; then n=$1; shift; fi
if [ $# -gt 0 ] && [ "$1" != "--" ]; then runs=$1; shift; fi
[ "${1:-}" = "--" ] && shift
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--no-pdf --no-search)
cargo build --release --quiet --example gen-site
work=$(mktemp -d "${TMPDIR:-/tmp}/evident-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT
site="$work/site"
target/release/examples/gen-site --claims "$n" --out "$site" >/dev/null

run() { # NAME BINARY I
  local name=$1 bin=$2 i=$3
  sync
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" \
    "$bin" --quiet --root "$site" --today 2026-11-29 build "${args[@]}" --out "$work/out-$name-$i" \
    >/dev/null 2>"$work/stderr" || { cat "$work/stderr" >&2; exit 1; }
  read -r wall user sys peak <"$work/time"
  printf '%s %s %s %s\n' "$wall" "$(awk "BEGIN{print $user + $sys}")" "$((peak / 1024))" "$i" >>"$work/$name.tsv"
  printf '  %-4s run %d: %6.2f s wall\n' "$name" "$i" "$wall"
}

echo "N=$n, $runs pairs, build ${args[*]}"
for ((i = 1; i <= runs; i++)); do
  run old "$old" "$i"
  run new "$new" "$i"
done
if ! diff -r "$work/out-old-1" "$work/out-new-1" >/dev/null; then
  echo "note: the two binaries' outputs differ (diff -r)"
fi
median() { sort -n "$work/$1.tsv" | sed -n "$(((runs + 1) / 2))p"; }
read -r old_wall old_cpu old_peak _ <<<"$(median old)"
read -r new_wall new_cpu new_peak _ <<<"$(median new)"
printf 'old: median %.2f s wall, %.2f s CPU, %d MB\n' "$old_wall" "$old_cpu" "$old_peak"
printf 'new: median %.2f s wall, %.2f s CPU, %d MB\n' "$new_wall" "$new_cpu" "$new_peak"
awk -v o="$old_wall" -v n="$new_wall" 'BEGIN{printf "new / old: %.3f\n", n/o}'
# Each pair ran back to back, so its ratio cancels the drift between pairs; the median of
# those ratios is the steadier figure on a machine whose disk speed wanders.
paste -d' ' <(sort -k4 -n "$work/old.tsv" | cut -d' ' -f1) <(sort -k4 -n "$work/new.tsv" | cut -d' ' -f1) |
  awk '{print $2 / $1}' | sort -n |
  awk '{r[NR] = $1} END {printf "median of the %d pairs'"'"' ratios: %.3f (%.3f to %.3f)\n", NR, r[int((NR + 1) / 2)], r[1], r[NR]}'
