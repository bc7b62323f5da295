#!/bin/sh
# Install the Debian packages pia needs that are missing. As root only; otherwise list what is missing.
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "pia: 次のパッケージが必要です (missing Debian packages):$missing" >&2
	echo "     sudo apt-get install$missing" >&2
	exit 2
fi
echo "pia: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing
