#!/usr/bin/env bash
# Reader benchmark: `evident check` on generated source files of N, 2N and 4N records in each
# format evident reads (BibTeX, RIS, PubMed nbib, CSL-JSON, CSL-YAML), on a site whose every
# record draws a warning printed as human-readable text (the diagnostics report), and on one
# BibTeX field with 10N, 20N and 40N nested braces. It prints the wall time of each run and the
# ratio of 4N to N: about 4 when the time grows linearly, 16 when it grows with the square.
#
#   benches/readers.sh [N]          default N: 62500 (BibTeX at 4N: 250,000 entries in one
#                                   file; the other readers N/3, printed warnings N/12:
#                                   20,000 at 4×)
#
# `check` resolves and formats every reference too, so its time is more than the reader's;
# what this shows is how the time grows.
#   EVIDENT=path/to/evident benches/readers.sh 2000
#
# Uses the binary in $EVIDENT, else builds and uses target/release/evident. Timings live here,
# not in `cargo test`: tests check results, this checks time. The records are tea studies,
# made up; nothing is medical.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-62500}
if [ -z "${EVIDENT:-}" ]; then
  cargo build --release --quiet --bin evident
  EVIDENT=target/release/evident
fi
work=$(mktemp -d /tmp/evident-readers.XXXXXX)
trap 'rm -rf "$work"' EXIT

# gen FORMAT COUNT FILE: COUNT records of FORMAT (bib, ris, nbib, json, yaml, warn, braces).
gen() {
  awk -v format="$1" -v count="$2" 'BEGIN {
    if (format == "json") printf "[\n"
    for (i = 1; i <= count; i++) {
      title = "Steeping green tea number " i " in warm cups"
      if (format == "bib") {
        # Short entries, so that 250,000 fit in one file under the 32 MiB limit for sources.
        printf "@article{tea%d,\n  author = {Leaf, Ada},\n  title = {Tea number %d},\n  journal = {Tea Studies},\n  year = {2019},\n}\n", i, i
      } else if (format == "ris") {
        printf "TY  - JOUR\nID  - tea%d\nAU  - Leaf, Ada\nAU  - Pot, Ben\nTI  - %s\nT2  - Journal of Tea Studies\nPY  - 2019\nVL  - 12\nSP  - 1\nEP  - 9\nDO  - 10.5555/tea.%d\nER  - \n\n", i, title, i
      } else if (format == "nbib") {
        printf "PMID- %d\nTI  - %s.\nFAU - Leaf, Ada\nAU  - Leaf A\nFAU - Pot, Ben\nAU  - Pot B\nJT  - Journal of Tea Studies\nDP  - 2019 Feb\nVI  - 12\nPG  - 1-9\n\n", 10000000 + i, title
      } else if (format == "json") {
        printf "  {\"id\": \"tea%d\", \"type\": \"article-journal\", \"title\": \"%s\", \"author\": [{\"family\": \"Leaf\", \"given\": \"Ada\"}, {\"family\": \"Pot\", \"given\": \"Ben\"}], \"container-title\": \"Journal of Tea Studies\", \"issued\": {\"date-parts\": [[2019, 2]]}, \"volume\": \"12\", \"page\": \"1-9\", \"DOI\": \"10.5555/tea.%d\"}%s\n", i, title, i, (i < count ? "," : "")
      } else if (format == "yaml" || format == "warn") {
        # "warn": every record has an impossible day, so each draws a warning with its line.
        printf "- id: tea%d\n  type: article-journal\n  title: %s\n  author:\n    - {family: Leaf, given: Ada}\n    - {family: Pot, given: Ben}\n  container-title: Journal of Tea Studies\n  issued: {date-parts: [[2019, 2, %d]]}\n  volume: \"12\"\n  page: 1-9\n  DOI: 10.5555/tea.%d\n", i, title, (format == "warn" ? 30 : 3), i
      }
    }
    if (format == "json") printf "]\n"
    if (format == "braces") {
      printf "@article{deep,\n  title = {"
      for (i = 0; i < 10 * count; i++) printf "{"
      printf "tea"
      for (i = 0; i < 10 * count; i++) printf "}"
      printf "},\n  year = {2019},\n}\n"
    }
  }' >"$3"
}

# seconds CMD...: runs CMD, prints its wall time in seconds.
seconds() {
  local start end
  start=$(date +%s%N)
  "$@" >"$work/out" 2>&1 || true
  end=$(date +%s%N)
  # A refused file takes no time to refuse: say so rather than print a time that flatters.
  if grep -q 'file-too-large\|"code": *"file-too-large"' "$work/out"; then
    printf 'too large'
    return
  fi
  awk -v ns=$((end - start)) 'BEGIN { printf "%.2f", ns / 1e9 }'
}

# row LABEL FORMAT EXTENSION HUMAN: one line of the table, a fresh site per size.
row() {
  local label=$1 format=$2 ext=$3 human=$4 n=$5 times=() k site count
  for k in 1 2 4; do
    count=$((n * k))
    site="$work/$format-$k"
    mkdir -p "$site/citations" "$site/content"
    printf 'title: Reader benchmark\n' >"$site/evident.yaml"
    gen "$format" "$count" "$site/citations/records.$ext"
    if [ "$human" = human ]; then
      times+=("$(seconds "$EVIDENT" check --root "$site" --today 2026-11-29 --format human)")
    else
      times+=("$(seconds "$EVIDENT" check --root "$site" --today 2026-11-29 --format json)")
    fi
    rm -rf "$site"
  done
  printf '%-26s %9d %11s %11s %11s %8s\n' "$label" "$n" "${times[0]} s" "${times[1]} s" "${times[2]} s" \
    "$(awk -v a="${times[0]}" -v c="${times[2]}" 'BEGIN { if (a + 0 > 0 && c + 0 > 0) printf "%.1f", c / a; else print "-" }')"
}

echo "evident check, wall time ($EVIDENT)"
printf '%-26s %9s %11s %11s %11s %8s\n' reader N "1×N" "2×N" "4×N" "4×/1×"
# The other formats' records are longer: at N/3 their 4N file still fits under the limit.
row "BibTeX (.bib)" bib bib json "$n"
row "RIS (.ris)" ris ris json $((n / 3))
row "PubMed (.nbib)" nbib nbib json $((n / 3))
row "CSL-JSON (.json)" json json json $((n / 3))
row "CSL-YAML (.yaml)" yaml yaml json $((n / 3))
row "diagnostics, human text" warn yaml human $((n / 12))
row "BibTeX nested braces" braces bib human "$n"
echo "about 4 in the last column is linear; 16 would be quadratic"
