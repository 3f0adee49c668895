#!/usr/bin/env bash
# Installs what nestvisor's build and tests need on a Debian 12 machine.
# Idempotent and quiet when everything is already present.
set -euo pipefail

need=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

# The backports suite carries QEMU >= 9 (FEAT_NV/NV2). Its URI is derived from
# the machine's existing Debian source entry, never written here.
BP_FILE=/etc/apt/sources.list.d/nestvisor-backports.sources
if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
	src=""
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		if grep -qE '^Suites:.*\bbookworm\b' "$f"; then src="$f"; break; fi
	done
	if [ -n "$src" ]; then
		uri=$(awk '/^URIs:/{u=$2} /^Suites:/ && /bookworm( |$)/{print u; exit}' "$src")
		key=$(awk '/^Signed-By:/{print $2; exit}' "$src")
	elif [ -f /etc/apt/sources.list ]; then
		uri=$(awk '$1=="deb" && $3=="bookworm"{print $2; exit}' /etc/apt/sources.list)
		key=/usr/share/keyrings/debian-archive-keyring.gpg
	fi
	if [ -z "${uri:-}" ]; then
		echo "setup: cannot find a Debian bookworm entry in the apt sources to derive bookworm-backports from" >&2
		exit 1
	fi
	printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: %s\n' \
		"$uri" "${key:-/usr/share/keyrings/debian-archive-keyring.gpg}" | $SUDO tee "$BP_FILE" >/dev/null
fi
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	$SUDO dpkg --add-architecture arm64
fi

# libclang-rt-dev: libFuzzer and clang's sanitizer runtimes (make fuzz).
# libc6-dev-arm64-cross: the aarch64 glibc (static) and Linux UAPI headers
# of the VMM (make vmm, tools/nvmm).
for p in make gcc libc6-dev gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu \
	libc6-dev-arm64-cross \
	clang lld libclang-rt-dev device-tree-compiler libfdt1 libfdt-dev:arm64 \
	libcmocka-dev cpio; do
	have_pkg "$p" || need+=("$p")
done

qemu_ok() {
	command -v qemu-system-aarch64 >/dev/null 2>&1 || return 1
	local v
	v=$(qemu-system-aarch64 --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p' | head -1)
	[ "${v:-0}" -ge 9 ]
}

if [ ${#need[@]} -gt 0 ] || ! qemu_ok; then
	echo "setup: installing ${need[*]} qemu-system-arm (bookworm-backports)"
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	if [ ${#need[@]} -gt 0 ]; then
		$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
	fi
	if ! qemu_ok; then
		$SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports \
			qemu-system-arm >/dev/null
	fi
	qemu_ok || { echo "setup: qemu-system-aarch64 >= 9 is not available" >&2; exit 1; }
fi
