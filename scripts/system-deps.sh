#!/bin/sh
# Install the Debian packages briefexport needs, when any is missing.
#   scripts/system-deps.sh            what exporting needs (Pango, HarfBuzz subsetting, fonts)
#   scripts/system-deps.sh --test     that, plus what the tests need (Chromium; poppler-utils
#                                     and zbar-tools to print a PDF page and scan its QR code;
#                                     qpdf to check a PDF's syntax, mupdf-tools for a second
#                                     PDF text extractor; spamassassin to score the .eml
#                                     offline; fonts-liberation2, Arial's metrics, to measure
#                                     the Outlook button's label;
#                                     Node.js and npm for the email test tools, unless npm is
#                                     already there)
#   scripts/system-deps.sh --bench    that, plus Pandoc (a baseline of the benchmark only)
set -eu

packages="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-noto-core"
if [ "${1:-}" = "--test" ]; then
    packages="$packages chromium poppler-utils zbar-tools qpdf mupdf-tools spamassassin fonts-liberation2"
    command -v npm >/dev/null 2>&1 || packages="$packages nodejs npm"
fi
if [ "${1:-}" = "--bench" ]; then
    packages="$packages pandoc"
fi

missing=""
for p in $packages; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "briefexport needs these system packages (or their equivalents):$missing" >&2
    exit 1
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "Installing system packages:$missing"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
