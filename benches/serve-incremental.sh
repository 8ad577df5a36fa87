#!/usr/bin/env bash
# serve's incremental rebuild, end to end: generates a site of N claims into a fresh folder,
# starts `evident serve --verbose --port 0`, waits for the first build and its search index,
# then saves one claim EDITS times (a word of its statement changed, written to a temporary
# file and renamed over the claim, as editors save), waiting after each save for the rebuild
# and for the search index, so that each edit is measured on an otherwise idle machine. Stops
# serve with Ctrl-C and prints serve's --verbose line for each edit, then the medians.
#
#   benches/serve-incremental.sh [N] [EDITS]      default: 10000 5
#
# EVIDENT=PATH measures another binary (an older build, to compare on the same machine).
#
# The times are serve's own: from the file event (as the watcher saw it, the debounce
# included) to the reload sent for the re-rendered pages, the rebuild alone (after the
# debounce), and from the file event to the site-wide pages (home, dashboard, API, sitemap).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
edits=${2:-5}
cargo build --release --quiet --bin evident --example gen-site
evident=${EVIDENT:-target/release/evident}
work=$(mktemp -d "/tmp/evident-serve-bench.XXXXXX")
site="$work/site"
log="$work/serve.log"
target/release/examples/gen-site --claims "$n" --out "$site" >/dev/null
"$evident" --root "$site" --today 2026-11-29 --verbose serve --port 0 >"$log" 2>&1 &
pid=$!
trap 'kill -INT $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$work"' EXIT

# wait_for PATTERN COUNT SECONDS: until the log has COUNT lines matching PATTERN.
wait_for() {
  local deadline=$((SECONDS + $3))
  until [ "$(grep -c -- "$1" "$log" || true)" -ge "$2" ]; do
    if [ $SECONDS -ge $deadline ] || ! kill -0 $pid 2>/dev/null; then
      echo "timed out waiting for '$1' (x$2); serve said:" >&2
      cat "$log" >&2
      exit 1
    fi
    sleep 0.05
  done
}

wait_for "^serving http" 1 600
wait_for "^search index of" 1 600
claim=$(find "$site/content" -name 'claim-000123.yaml' | head -n1)
for i in $(seq 1 "$edits"); do
  python3 - "$claim" "$i" <<'PY'
import os, re, sys
path, i = sys.argv[1], sys.argv[2]
lines = open(path).read().split("\n")
lines[0] = re.sub(r"( \(edit \d+\))?\.$", f" (edit {i}).", lines[0])
tmp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp")
with open(tmp, "w") as f:
    f.write("\n".join(lines))
os.replace(tmp, path)
PY
  wait_for " changed: " "$i" 120
  wait_for "^search index of" $((i + 1)) 600
done

grep -- " changed: " "$log"
grep -- "^search index of" "$log"
python3 - "$log" <<'PY'
import re, statistics, sys
def ms(value, unit):
    return float(value) * (1000 if unit == "s" else 1)
rows = []
for line in open(sys.argv[1]):
    if " changed: " not in line:
        continue
    m = re.search(r"(\d+) pages re-rendered; reload sent ([\d.]+) (ms|s) after the file event "
                  r"\(rebuild ([\d.]+) (ms|s)\); aggregates ([\d.]+) (ms|s) after it", line)
    if m:
        rows.append((int(m[1]), ms(m[2], m[3]), ms(m[4], m[5]), ms(m[6], m[7])))
if not rows:
    sys.exit("no incremental rebuild was reported")
print(f"median of {len(rows)} edits: {statistics.median(r[0] for r in rows):.0f} pages re-rendered, "
      f"reload {statistics.median(r[1] for r in rows):.1f} ms after the file event "
      f"(rebuild {statistics.median(r[2] for r in rows):.1f} ms), "
      f"aggregates {statistics.median(r[3] for r in rows):.1f} ms after it")
# The first index is the first build's; the others follow the edits.
search = []
for line in open(sys.argv[1]):
    m = re.search(r"^search index of \d+ pages \((\d+) read again\) built in ([\d.]+) (ms|s) "
                  r"\(([\d.]+) (ms|s) after the file event\)", line)
    if m:
        search.append((int(m[1]), ms(m[2], m[3]), ms(m[4], m[5])))
if len(search) > 1:
    edits = search[1:]
    print(f"search index after an edit (median of {len(edits)}): "
          f"{statistics.median(r[0] for r in edits):.0f} pages read again, built in "
          f"{statistics.median(r[1] for r in edits) / 1000:.2f} s, "
          f"{statistics.median(r[2] for r in edits) / 1000:.2f} s after the file event")
PY
