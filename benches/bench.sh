#!/usr/bin/env bash
# Build benchmark: evident on generated sites of N claims, beside Hugo on the same number of
# plain Markdown pages and beside the I/O floor (read every input, write files of the same
# paths and sizes). Every run writes into a fresh folder: on these machines creating many files
# right after deleting many is several times slower, so reusing a folder would flatter nobody
# consistently. A rebuild into an existing output (unchanged files are not rewritten) is
# measured separately.
#
#   benches/bench.sh [N ...]        default: 1000 10000 100000
#
# Prints wall time, CPU time (user+sys) and peak memory for each run; the clean build runs five
# times and the floor three (fresh folders) and the median is reported, then the ratio of
# N=100,000 to N=10,000. Hugo builds as many plain Markdown pages as evident wrote, of the
# same average size (and, for reference, of 2 KB), with a minimal layout; the floor writes
# exactly evident's files and sizes. Nothing is deleted until the end (about 20 GB of /tmp at
# N=100,000). Needs /usr/bin/time and Hugo (Debian package `hugo`); installs Hugo when missing
# and run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
if ! command -v hugo >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null; else echo "install hugo (apt-get install hugo)" >&2; exit 2; fi
fi
cargo build --release --quiet --bin evident --example gen-site --example floor
bin=target/release
work=$(mktemp -d /tmp/evident-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Every timed run starts with the disk caught up: otherwise the kernel writes the previous
# run's output back while this one runs (2 GB at N=100,000, 0.2 GB at 10,000) and charges
# the larger size for its predecessor.
settle() { sync; }

# measure LABEL CMD... : runs once, prints "LABEL  wall  cpu  peak"
measure() {
  local label=$1; shift
  settle
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || { cat "$work/stderr" >&2; return 1; }
  read -r wall user sys peak <"$work/time"
  printf '%-34s %8.2f s %8.2f s %8d MB\n' "$label" "$wall" "$(awk "BEGIN{print $user + $sys}")" "$((peak / 1024))"
  echo "$wall" >"$work/last"
}

# median LABEL RUNS BASE CMD... : runs CMD RUNS times, the i-th with OUT replaced by the
# fresh folder BASE-i; prints the median run's line and every run's wall time; the median's
# wall goes to "last".
median() {
  local label=$1 runs=$2 base=$3; shift 3
  local rows=() i args
  for ((i = 1; i <= runs; i++)); do
    args=("${@//OUT/$base-$i}")
    settle
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "${args[@]}" >/dev/null 2>"$work/stderr" || { cat "$work/stderr" >&2; return 1; }
    rows+=("$(cat "$work/time")")
  done
  local sorted mid walls
  sorted=$(printf '%s\n' "${rows[@]}" | sort -n)
  mid=$(echo "$sorted" | sed -n "$(((runs + 1) / 2))p")
  walls=$(echo "$sorted" | awk '{printf "%s%s", (NR > 1 ? " / " : ""), $1}')
  read -r wall user sys peak <<<"$mid"
  printf '%-34s %8.2f s %8.2f s %8d MB   (median of %d: %s s)\n' "$label" "$wall" "$(awk "BEGIN{print $user + $sys}")" "$((peak / 1024))" "$runs" "$walls"
  echo "$wall" >"$work/last"
}

hugo_site() { # DIR PAGES BYTES: plain Markdown pages of about BYTES each, a minimal layout
  local dir=$1 pages=$2 bytes=$3
  mkdir -p "$dir/content/posts" "$dir/layouts/_default"
  printf 'baseURL = "https://example.org/"\ntitle = "bench"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n' >"$dir/hugo.toml"
  printf '<!doctype html><html><head><title>{{ .Title }}</title></head><body><main>{{ .Content }}</main></body></html>\n' >"$dir/layouts/_default/single.html"
  printf '<!doctype html><html><body>{{ range .Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</body></html>\n' >"$dir/layouts/_default/list.html"
  python3 - "$dir/content/posts" "$pages" "$bytes" <<'PY'
import sys, os
d, n, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
para = "In a study of 366 mothers, 98% relactated with support at the breast. " * 6
block = lambda k: f"## Finding {k}\n\n{para}\n\n- item one\n- item two [link](https://example.org/)\n\n"
body, k = "", 0
while len(body) < size:
    body += block(k)
    k += 1
for i in range(n):
    with open(os.path.join(d, f"page-{i:06}.md"), "w") as f:
        f.write(f"---\ntitle: Page {i}\n---\n\n{body}")
PY
}

# Hugo is compared up to this size: beyond it, Hugo holds every page in memory (3.4 GB for
# 14,000 pages of 11 KB here) and would not fit in this machine's memory at N = 100,000.
hugo_max=10000
declare -A clean_wall
printf '%-36s %10s %10s %11s\n' "run" "wall" "cpu" "peak"
for n in "${sizes[@]}"; do
  site="$work/site-$n"
  "$bin/examples/gen-site" --claims "$n" --out "$site" >/dev/null
  median "evident build N=$n (no pdf, no search)" 5 "$work/out-$n" "$bin/evident" --quiet --root "$site" --today 2026-11-29 build --no-pdf --no-search --out OUT
  evident_wall=$(cat "$work/last")
  clean_wall[$n]=$evident_wall
  pages=$(find "$work/out-$n-1" -name '*.html' | wc -l)
  page_bytes=$(find "$work/out-$n-1" -name '*.html' -printf '%s\n' | awk '{s+=$1} END{printf "%d", s/NR}')
  measure "  rebuild into the same output" "$bin/evident" --quiet --root "$site" --today 2026-11-29 build --no-pdf --no-search --out "$work/out-$n-1"
  measure "  with search index" "$bin/evident" --quiet --root "$site" --today 2026-11-29 build --no-pdf --out "$work/out-search-$n"
  measure "  with PDF handouts" "$bin/evident" --quiet --root "$site" --today 2026-11-29 build --no-search --out "$work/out-pdf-$n"
  find "$work/out-$n-1" -type f -printf '%P\t%s\n' >"$work/sizes-$n.tsv"
  median "  I/O floor ($pages pages)" 3 "$work/floor-$n" "$bin/examples/floor" "$site" "$work/sizes-$n.tsv" OUT
  floor_wall=$(cat "$work/last")
  if [ "$n" -le "$hugo_max" ]; then
    hugo_site "$work/hugo-$n" "$pages" "$page_bytes"
    measure "  hugo, $pages pages of ${page_bytes} B" hugo --quiet --source "$work/hugo-$n" --destination "$work/hugo-out-$n"
    hugo_wall=$(cat "$work/last")
    hugo_bytes=$(find "$work/hugo-out-$n" -name '*.html' -printf '%s\n' | awk '{s+=$1} END{printf "%d", s/NR}')
    hugo_site "$work/hugo-small-$n" "$pages" 2000
    measure "  hugo, $pages pages of 2000 B" hugo --quiet --source "$work/hugo-small-$n" --destination "$work/hugo-small-out-$n"
    small_wall=$(cat "$work/last")
    awk -v e="$evident_wall" -v h="$hugo_wall" -v s="$small_wall" -v f="$floor_wall" -v pb="$page_bytes" -v hb="$hugo_bytes" 'BEGIN{printf "  average page: evident %d B, hugo %d B; ratio to hugo %.2f (to hugo on 2 KB pages %.2f), to the floor %.2f\n", pb, hb, e/h, e/s, e/f}'
  else
    awk -v e="$evident_wall" -v f="$floor_wall" 'BEGIN{printf "  ratio to the floor %.2f\n", e/f}'
  fi
  # Nothing is deleted before the last run: ext4 avoids reusing inodes freed in the last
  # few minutes, so files created after a mass deletion are several times slower to create
  # (the N=100,000 build took 46 s instead of 30 s right after outputs were removed).
done
if [ -n "${clean_wall[10000]:-}" ] && [ -n "${clean_wall[100000]:-}" ]; then
  awk -v a="${clean_wall[10000]}" -v b="${clean_wall[100000]}" 'BEGIN{printf "N=100,000 / N=10,000 clean build: %.1f x (target at most 11 x)\n", b/a}'
fi
