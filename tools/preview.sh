#!/usr/bin/env bash
# Render a .docx to PDF (LibreOffice) and page PNGs (pdftoppm) for a visual check.
#
#   tools/preview.sh DRAFT.docx [OUTDIR] [DPI]
#
# Fonts: tools/fonts.conf maps the Windows font names of the house style onto
# installed Noto CJK / AR PL fonts (previews only).  Each run uses a throw-away
# LibreOffice profile so that parallel runs (and a running desktop soffice) do
# not collide.
set -euo pipefail

if [[ $# -lt 1 ]]; then
    echo "usage: $0 DRAFT.docx [OUTDIR] [DPI]" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
docx=$(realpath "$1")
out=$(realpath -m "${2:-$(dirname "$docx")/preview}")
dpi=${3:-80}
stem=$(basename "$docx" .docx)

mkdir -p "$out"
export FONTCONFIG_FILE="$here/fonts.conf"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

soffice "-env:UserInstallation=file://$profile" --headless --convert-to pdf --outdir "$out" "$docx" >/dev/null
rm -f "$out/$stem"-page-*.png
pdftoppm -r "$dpi" -png "$out/$stem.pdf" "$out/$stem-page"
echo "$out/$stem.pdf"
ls "$out/$stem"-page-*.png
