#!/usr/bin/env bash
# Prints the absolute path of a usable Terraform CLI (>= 1.11) on stdout and
# nothing else; progress and diagnostics go to stderr.
#
# Order of preference:
#   1. $TF_ACC_TERRAFORM_PATH, if set and executable;
#   2. `terraform` on PATH, if its version is >= 1.11;
#   3. <repo>/bin/terraform, if it is v1.11.4;
#   4. build v1.11.4 from the Go module proxy using the wrapper module in
#      tools/terraform into <repo>/bin/terraform (no releases.hashicorp.com
#      access needed; first build takes a few minutes and a few GB of cache).
#
# Usage: TF_ACC_TERRAFORM_PATH="$(tools/get-terraform.sh)"
set -euo pipefail

# Keep stdout for the final answer only; everything else goes to stderr.
exec 3>&1 1>&2

export CHECKPOINT_DISABLE=1

readonly WANT_VERSION="1.11.4"
readonly MIN_MAJOR=1 MIN_MINOR=11

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd -- "${script_dir}/.." && pwd -P)"
local_bin="${repo_root}/bin/terraform"

log() { printf 'get-terraform: %s\n' "$*" >&2; }

found() {
	printf '%s\n' "$1" >&3
	exit 0
}

abspath() {
	local p="$1"
	case "$p" in
	/*) printf '%s\n' "$p" ;;
	*) printf '%s/%s\n' "$(cd -- "$(dirname -- "$p")" && pwd -P)" "$(basename -- "$p")" ;;
	esac
}

# Prints the version (e.g. 1.11.4) reported by the given terraform binary,
# or nothing if it cannot be determined.
tf_version() {
	local bin="$1" out v=""
	if out="$("$bin" version -json 2>/dev/null)"; then
		v="$(printf '%s\n' "$out" |
			sed -n 's/.*"terraform_version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' | head -n1)"
	fi
	if [[ -z "$v" ]] && out="$("$bin" version 2>/dev/null)"; then
		v="$(printf '%s\n' "$out" | head -n1 | sed -n 's/^Terraform v\([0-9][^[:space:]]*\).*/\1/p')"
	fi
	printf '%s' "$v"
}

# True if version $1 is >= MIN_MAJOR.MIN_MINOR.
version_ok() {
	local v="$1" major minor
	[[ "$v" =~ ^([0-9]+)\.([0-9]+) ]] || return 1
	major="${BASH_REMATCH[1]}"
	minor="${BASH_REMATCH[2]}"
	((major > MIN_MAJOR || (major == MIN_MAJOR && minor >= MIN_MINOR)))
}

# 1. Explicit override.
if [[ -n "${TF_ACC_TERRAFORM_PATH:-}" ]]; then
	if [[ -f "$TF_ACC_TERRAFORM_PATH" && -x "$TF_ACC_TERRAFORM_PATH" ]]; then
		log "using TF_ACC_TERRAFORM_PATH=${TF_ACC_TERRAFORM_PATH}"
		found "$(abspath "$TF_ACC_TERRAFORM_PATH")"
	fi
	log "TF_ACC_TERRAFORM_PATH=${TF_ACC_TERRAFORM_PATH} is not an executable file; ignoring it"
fi

# 2. terraform on PATH.
if path_tf="$(command -v terraform 2>/dev/null)" && [[ -n "$path_tf" && -x "$path_tf" ]]; then
	v="$(tf_version "$path_tf")"
	if version_ok "$v"; then
		log "using ${path_tf} (v${v})"
		found "$(abspath "$path_tf")"
	fi
	log "${path_tf} reports version '${v:-unknown}', need >= ${MIN_MAJOR}.${MIN_MINOR}; ignoring it"
fi

# 3. Previously built binary.
if [[ -x "$local_bin" ]]; then
	v="$(tf_version "$local_bin")"
	if [[ "$v" == "$WANT_VERSION" ]]; then
		log "using ${local_bin} (v${v})"
		found "$local_bin"
	fi
	log "${local_bin} reports version '${v:-unknown}', want ${WANT_VERSION}; rebuilding"
fi

# 4. Build from the Go module proxy.
go_bin="$(command -v go 2>/dev/null || true)"
if [[ -z "$go_bin" && -x /usr/local/go/bin/go ]]; then
	go_bin=/usr/local/go/bin/go
fi
if [[ -z "$go_bin" ]]; then
	log "no usable terraform found and no Go toolchain available to build one"
	exit 1
fi

log "building Terraform v${WANT_VERSION} from the Go module proxy into ${local_bin}"
log "(first build downloads ~3.5 GB of modules/build cache and takes a few minutes)"
mkdir -p "${repo_root}/bin"
tmp_bin="$(mktemp "${repo_root}/bin/.terraform.XXXXXX")"
trap 'rm -f "$tmp_bin"' EXIT
(
	cd "${script_dir}/terraform"
	GOWORK=off "$go_bin" build -trimpath \
		-ldflags "-s -w -X github.com/hashicorp/terraform/version.dev=no" \
		-o "$tmp_bin" github.com/hashicorp/terraform
)
chmod 0755 "$tmp_bin"

v="$(tf_version "$tmp_bin")"
if [[ "$v" != "$WANT_VERSION" ]]; then
	log "built binary reports version '${v:-unknown}', want ${WANT_VERSION}"
	exit 1
fi
mv -f "$tmp_bin" "$local_bin"
log "built ${local_bin} (v${v})"
found "$local_bin"
