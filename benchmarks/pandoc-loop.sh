#!/bin/sh
# Baseline for comparison d: Pandoc's three outputs for each FILE, two files at a time.
#   sh benchmarks/pandoc-loop.sh OUT_DIR FILE...
set -eu
out="$1"
shift
export out
printf '%s\n' "$@" | xargs -P 2 -I{} sh -c '
  f="$1"; b=$(basename "$f" .md)
  pandoc "$f" -o "$out/$b.pdf" --pdf-engine=weasyprint 2>/dev/null
  pandoc "$f" -s -o "$out/$b.html"
  pandoc "$f" -t plain -o "$out/$b.txt"' sh {}
