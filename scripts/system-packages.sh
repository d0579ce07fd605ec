#!/usr/bin/env bash
# Install the Debian packages the platform needs, when missing.
#   runtime: WeasyPrint's Pango/HarfBuzz and the fonts named by the PDF stylesheet
#            (Noto Sans, Noto Naskh Arabic, Noto Sans CJK SC); libharfbuzz-subset0 makes
#            font subsetting fast (without it WeasyPrint falls back to fontTools).
#            PyICU (collation of State names) is built against libicu-dev with a C++ compiler.
#            python3-venv: Debian's python3 cannot create the virtual environment without it.
#   test:    poppler-utils (pdftotext, pdffonts), Chromium for the browser tests, and LibreOffice Calc
#            (no GUI) to re-save offline workbooks as a ministry without Excel would.
set -euo pipefail

runtime=(python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-noto-cjk
         libicu-dev pkg-config g++ python3-dev)
test=(poppler-utils chromium libreoffice-calc-nogui)

case "${1:-runtime}" in
  runtime) wanted=("${runtime[@]}") ;;
  test) wanted=("${runtime[@]}" "${test[@]}") ;;
  *) echo "usage: $0 [runtime|test]" >&2; exit 2 ;;
esac

missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
  echo "Please install these system packages (or their equivalents): ${missing[*]}" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing system packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
