#!/usr/bin/env bash
# Debian packages the tests and the rig need: chromium (the report is checked as a person sees it),
# faketime (libfaketime: the clock-skew fault), socat (linked pseudo-terminal pairs: the serial device
# simulator), udev (udevadm: serialport's port list on Linux), wine64 (ci/wine.sh runs the Windows code
# paths under it) and the Python modules the released fbuild 1.3.27 imports (the fbuild-py target: psutil,
# requests, tqdm, serial, fasteners). Installed only when missing; apt-get update runs once, and only then.
set -euo pipefail
need=()
# any Chromium-family browser will do for the report test (GitHub's runners ship google-chrome)
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 || need+=(chromium)
[ -e /usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1 ] || [ -e /usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1 ] || need+=(faketime)
command -v socat >/dev/null 2>&1 || need+=(socat)
command -v udevadm >/dev/null 2>&1 || need+=(udev)
[ -x "${FBUILD_WINE:-/usr/lib/wine/wine64}" ] || need+=(wine64)
# the Debian modules are the system Python's (a pyenv or venv python3 first on PATH has its own)
py=/usr/bin/python3
[ -x "$py" ] || py=python3
for m in psutil:python3-psutil requests:python3-requests tqdm:python3-tqdm serial:python3-serial fasteners:python3-fasteners; do
  "$py" -c "import ${m%%:*}" >/dev/null 2>&1 || need+=("${m#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  echo "installing: ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
echo "system packages ok: $( (chromium --version || chromium-browser --version || google-chrome --version) 2>/dev/null | head -1)"
