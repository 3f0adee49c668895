#!/usr/bin/env bash
# Packs a nestvisor bundle: an uncompressed cpio (newc) archive whose
# top-level entries are regular files named exactly NAME, each holding the
# content of PATH (symlinks are followed).
#   scripts/mkbundle.sh -o OUT NAME=PATH [NAME=PATH...]
# Example:
#   scripts/mkbundle.sh -o build/bundle.cpio scenario.dtb=build/scenarios/linux.dtb \
#       Image=cache/linux/Image initrd=cache/linux/initramfs.cpio.gz
set -euo pipefail

usage() {
	echo "usage: scripts/mkbundle.sh -o OUT NAME=PATH [NAME=PATH...]" >&2
	exit 2
}
die() { echo "mkbundle: error: $*" >&2; exit 1; }

out=""
while [ $# -gt 0 ]; do
	case "$1" in
	-o) [ $# -ge 2 ] || usage; out=$2; shift 2 ;;
	-o*) out=${1#-o}; shift ;;
	-h | --help) usage ;;
	--) shift; break ;;
	-*) echo "mkbundle: unknown option $1" >&2; usage ;;
	*) break ;;
	esac
done
[ -n "$out" ] && [ $# -gt 0 ] || usage
command -v cpio >/dev/null || die "cpio is not installed (scripts/setup.sh installs it)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mkbundle.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/root"
names=()
for arg in "$@"; do
	case "$arg" in
	*=*) ;;
	*) die "'$arg' is not NAME=PATH" ;;
	esac
	name=${arg%%=*}
	path=${arg#*=}
	[ -n "$name" ] || die "empty entry name in '$arg'"
	case "$name" in
	*/* | . | ..) die "entry name '$name' must be a plain file name (no '/')" ;;
	esac
	[ -e "$path" ] || die "$path (for $name) does not exist"
	[ -f "$path" ] || die "$path (for $name) is not a regular file"
	[ ! -e "$tmp/root/$name" ] || die "entry '$name' given twice"
	# A symlink to the absolute path; cpio -L stores the file it points to.
	ln -s "$(cd "$(dirname "$path")" && pwd -P)/$(basename "$path")" "$tmp/root/$name"
	names+=("$name")
done

mkdir -p "$(dirname "$out")"
(cd "$tmp/root" && printf '%s\n' "${names[@]}" |
	cpio --quiet -o -L -H newc -R 0:0) >"$tmp/bundle.cpio"
mv "$tmp/bundle.cpio" "$out"
echo "mkbundle: $out: ${names[*]}"
