# Sourced by the scripts that fetch Debian kernels (fetch-linux.sh,
# fetch-linux-l0.sh): an arm64 Image out of a package's vmlinuz. The caller
# defines log MESSAGE and die MESSAGE.
has_image_magic() { # FILE: "ARM\x64" at offset 0x38
	[ "$(od -An -tx1 -j 56 -N 4 "$1" 2>/dev/null | tr -d ' \n')" = "41524d64" ]
}

le32() { # FILE OFFSET: little-endian 32-bit value
	od -An -tu4 --endian=little -j "$2" -N 4 "$1" | tr -d ' \n'
}

decompress() { # TYPE: stdin to stdout
	case "$1" in
	gzip) gzip -dc ;;
	zstd)
		command -v zstd >/dev/null || die "zstd is needed to unpack this kernel (apt-get install zstd)"
		zstd -dcq
		;;
	xz | lzma) xz -dc ;;
	*) die "unsupported kernel compression '$1'" ;;
	esac
}

# extract_image VMLINUZ OUT: an uncompressed arm64 Image from a vmlinuz that is
# either a plain Image, a gzip'ed Image, or an EFI zboot image (an "MZ" PE
# file with "zimg" at offset 4, the payload offset and size at 8 and 12, and
# the compression name at 24).
extract_image() {
	local in=$1 out=$2 tmp=$2.tmp magic
	magic=$(od -An -tx1 -N 8 "$in" | tr -d ' \n')
	case "$magic" in
	1f8b*)
		log "vmlinuz is gzip-compressed"
		gzip -dc "$in" >"$tmp"
		;;
	4d5a????7a696d67)
		local off size comp
		off=$(le32 "$in" 8)
		size=$(le32 "$in" 12)
		comp=$(dd if="$in" bs=1 skip=24 count=8 status=none | tr -d '\0')
		log "vmlinuz is an EFI zboot image ($comp payload, $size bytes at $off)"
		tail -c +"$((off + 1))" "$in" | head -c "$size" | decompress "$comp" >"$tmp"
		;;
	*)
		if has_image_magic "$in"; then
			log "vmlinuz is an uncompressed Image"
			cp "$in" "$tmp"
		else
			die "unknown vmlinuz format (first bytes $magic)"
		fi
		;;
	esac
	has_image_magic "$tmp" || { rm -f "$tmp"; die "extracted kernel lacks the ARM\\x64 Image magic"; }
	mv "$tmp" "$out"
}
