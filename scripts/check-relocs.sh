#!/usr/bin/env bash
# The image relocates itself with R_AARCH64_RELATIVE only (head.S): any
# other dynamic relocation type would be silently wrong at run time.
set -euo pipefail
elf=$1
readelf=${READELF:-aarch64-linux-gnu-readelf}
bad=$($readelf -rW "$elf" | awk '/^[0-9a-f]+ +[0-9a-f]+ +R_AARCH64/ && $3 != "R_AARCH64_RELATIVE" && $3 != "R_AARCH64_NONE" {print $3}' | sort -u)
if [ -n "$bad" ]; then
	echo "error: $elf has dynamic relocations head.S cannot apply: $bad" >&2
	exit 1
fi
