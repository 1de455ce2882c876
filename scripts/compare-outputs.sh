#!/usr/bin/env bash
# Compare two folders written by scripts/output-matrix.sh byte for byte.  In .eml files the
# Message-ID and the MIME boundary are masked: both are random on every run by design.
#   usage: scripts/compare-outputs.sh BEFORE AFTER
set -u
a=$1; b=$2; status=0; count=0
mask() { sed -E 's/^Message-ID: .*/Message-ID: MASKED/; s/=+[0-9]{10,}==/BOUNDARY/g' "$1"; }
while IFS= read -r f; do
    count=$((count + 1))
    if [ ! -f "$b/$f" ]; then echo "missing: $f"; status=1; continue; fi
    case $f in
        *.eml) cmp -s <(mask "$a/$f") <(mask "$b/$f") || { echo "differs: $f"; status=1; } ;;
        *) cmp -s "$a/$f" "$b/$f" || { echo "differs: $f"; status=1; } ;;
    esac
done < <(cd "$a" && find . -type f | sort)
while IFS= read -r f; do
    [ -f "$a/$f" ] || { echo "new: $f"; status=1; }
done < <(cd "$b" && find . -type f | sort)
echo "$count files compared: $([ $status = 0 ] && echo identical || echo DIFFERENT)"
exit $status
