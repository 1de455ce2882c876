#!/usr/bin/env bash
# Every output of every example under a matrix of options, into OUTDIR, reproducibly
# (SOURCE_DATE_EPOCH).  Run it before and after a change that should not alter outputs, then
# compare the two folders with scripts/compare-outputs.sh.
#   usage: scripts/output-matrix.sh OUTDIR [COMMAND]
# COMMAND runs briefexport (default .venv/bin/briefexport); another checkout's code, say:
#   scripts/output-matrix.sh /tmp/before "env PYTHONPATH=/tmp/old/src .venv/bin/python -m briefexport"
set -u
out=$(realpath -m "$1"); bin=${2:-$PWD/.venv/bin/briefexport}
cd "$(dirname "$0")/.."
rm -rf "$out"; mkdir -p "$out"
export SOURCE_DATE_EPOCH=1764633600 BRIEFEXPORT_NO_TEMPLATE_CACHE=1
conf=examples/briefexport.toml
sources="examples/mali-second-coup.txt examples/burkina-faso-fuel-blockade.md
         examples/niger-uranium-exports.md tests/fixtures/sahel-many-links.md"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
day=(--date 2026-11-20 -j 1 -q)

$bin export $sources --config $conf -o "$out/default" -f pdf,html,txt,eml,json "${day[@]}" \
    2>"$out/default.err"; echo "rc=$?" >>"$out/default.err"
for esp in generic mailchimp sendgrid campaign-monitor listmonk brevo mailgun; do
    $bin export $sources --config $conf -o "$out/esp-$esp" -f html,eml --esp $esp "${day[@]}" \
        2>"$out/esp-$esp.err"
done
for variant in pdf/ua-1 pdf/a-3b pdf/a-3a; do
    $bin export examples/mali-second-coup.txt examples/burkina-faso-fuel-blockade.md \
        --config $conf -o "$out/${variant//\//-}" -f pdf --pdf-variant $variant "${day[@]}" \
        2>"$out/${variant//\//-}.err"
done
$bin export $sources -o "$out/noconfig" --width 50 "${day[@]}" 2>"$out/noconfig.err"
echo "rc=$?" >>"$out/noconfig.err"
for mode in endnotes none; do
    printf '[pdf]\nlink_urls = "%s"\npage_size = "letter landscape"\n[links]\n"Chad" = "https://x.example/chad"\n[portal]\nurl = "https://p.example"\n' \
        $mode >"$tmp/$mode.toml"
    $bin export $sources --config "$tmp/$mode.toml" -o "$out/links-$mode" -f pdf,txt \
        "${day[@]}" 2>"$out/links-$mode.err"
done
edition=examples/editions/sahel-weekly-12.toml
$bin edition $edition --config $conf -o "$out/ed-full" -f pdf,html,txt,json >/dev/null 2>"$out/ed-full.err"
$bin edition $edition --config $conf -o "$out/ed-teaser" --email-mode teaser --esp mailchimp \
    >/dev/null 2>"$out/ed-teaser.err"
printf '[edition]\ntext_references = "story"\n[pdf]\nvariant = "pdf/a-3b"\n' >"$tmp/story.toml"
$bin edition $edition --config "$tmp/story.toml" -o "$out/ed-story" >/dev/null \
    2>"$out/ed-story.err"
$bin edition examples/mali-second-coup.txt examples/niger-uranium-exports.md \
    --title "Sahel Weekly" --number 13 --date 2026-11-20 --config $conf -o "$out/ed-title" \
    >/dev/null 2>"$out/ed-title.err"
$bin check $sources --config $conf >"$out/check.txt" 2>&1; echo "rc=$?" >>"$out/check.txt"
$bin check $sources --config $conf --format json >"$out/check.json" 2>&1
echo "rc=$?" >>"$out/check.json"
$bin check $sources >"$out/check-noconfig.txt" 2>&1
for cmd in "" export init theme "theme copy" watch preview edition check; do
    $bin $cmd --help >"$out/help-${cmd// /-}.txt" 2>&1
done
$bin init "$out/init-desk" >/dev/null 2>&1
(cd "$out/init-desk" && $bin export example-briefing.md -o ../init-out -q --date 2026-11-20 \
    2>../init.err)
$bin export no-such-briefing.md -o "$out/missing" 2>"$out/missing.err"
echo "rc=$?" >>"$out/missing.err"
echo "$(find "$out" -type f | wc -l) files in $out"
