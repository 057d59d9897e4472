#!/usr/bin/env bash
# Prints the absolute path of a usable Terraform or OpenTofu CLI on stdout and
# nothing else; progress and diagnostics go to stderr.
#
#   tools/get-cli.sh terraform   # Terraform >= 1.11, else builds v1.11.4
#   tools/get-cli.sh tofu        # OpenTofu >= 1.12, else builds v1.12.6
#
# Order of preference:
#   1. $TF_ACC_TERRAFORM_PATH (terraform) or $TOFU_PATH (tofu), if executable;
#   2. the CLI on PATH, if its version is new enough;
#   3. <repo>/bin/<cli>, if it is the pinned version;
#   4. build the pinned version from the Go module proxy with the wrapper
#      module in tools/<cli> into <repo>/bin/<cli> (no download site needed;
#      the first build takes several minutes and a few GB of Go caches).
set -euo pipefail

# Keep stdout for the final answer only; everything else goes to stderr.
exec 3>&1 1>&2

export CHECKPOINT_DISABLE=1

cli="${1:?usage: get-cli.sh terraform|tofu}"
case "$cli" in
terraform)
	want="1.11.4" min_major=1 min_minor=11 banner="Terraform" override="${TF_ACC_TERRAFORM_PATH:-}" override_name=TF_ACC_TERRAFORM_PATH
	pkg="github.com/hashicorp/terraform" ldflags="-X github.com/hashicorp/terraform/version.dev=no"
	;;
tofu)
	want="1.12.6" min_major=1 min_minor=12 banner="OpenTofu" override="${TOFU_PATH:-}" override_name=TOFU_PATH
	pkg="github.com/opentofu/opentofu/cmd/tofu" ldflags="-X github.com/opentofu/opentofu/version.dev=no"
	;;
*)
	echo "get-cli: unknown CLI '$cli' (terraform or tofu)" >&2
	exit 2
	;;
esac

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd -- "${script_dir}/.." && pwd -P)"
local_bin="${repo_root}/bin/${cli}"

log() { printf 'get-%s: %s\n' "$cli" "$*" >&2; }

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

# Prints the version (e.g. 1.11.4) that the given binary reports, or nothing.
cli_version() {
	local bin="$1" out v=""
	if out="$("$bin" version -json 2>/dev/null)"; then
		v="$(printf '%s\n' "$out" |
			sed -n 's/.*"terraform_version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' | head -n1)"
	fi
	if [[ -z "$v" ]] && out="$("$bin" version 2>/dev/null)"; then
		v="$(printf '%s\n' "$out" | sed -n "s/^${banner} v\([0-9][^[:space:]]*\).*/\1/p" | head -n1)"
	fi
	# Terraform and OpenTofu both answer `version -json`: keep the one asked for.
	# (OpenTofu prints warnings before its banner when the CLI config is missing.)
	if [[ -n "$v" ]] && ! "$bin" version 2>/dev/null | grep -q "^${banner} v"; then
		v=""
	fi
	printf '%s' "$v"
}

# True if version $1 is >= min_major.min_minor.
version_ok() {
	local v="$1" major minor
	[[ "$v" =~ ^([0-9]+)\.([0-9]+) ]] || return 1
	major="${BASH_REMATCH[1]}"
	minor="${BASH_REMATCH[2]}"
	((major > min_major || (major == min_major && minor >= min_minor)))
}

# 1. Explicit override.
if [[ -n "$override" ]]; then
	if [[ -f "$override" && -x "$override" ]]; then
		log "using ${override_name}=${override}"
		found "$(abspath "$override")"
	fi
	log "${override_name}=${override} is not an executable file; ignoring it"
fi

# 2. On PATH.
if path_cli="$(command -v "$cli" 2>/dev/null)" && [[ -n "$path_cli" && -x "$path_cli" ]]; then
	v="$(cli_version "$path_cli")"
	if version_ok "$v"; then
		log "using ${path_cli} (v${v})"
		found "$(abspath "$path_cli")"
	fi
	log "${path_cli} reports version '${v:-unknown}', need ${banner} >= ${min_major}.${min_minor}; ignoring it"
fi

# 3. Previously built binary.
if [[ -x "$local_bin" ]]; then
	v="$(cli_version "$local_bin")"
	if [[ "$v" == "$want" ]]; then
		log "using ${local_bin} (v${v})"
		found "$local_bin"
	fi
	log "${local_bin} reports version '${v:-unknown}', want ${want}; rebuilding"
fi

# 4. Build from the Go module proxy.
go_bin="$(command -v go 2>/dev/null || true)"
if [[ -z "$go_bin" && -x /usr/local/go/bin/go ]]; then
	go_bin=/usr/local/go/bin/go
fi
if [[ -z "$go_bin" ]]; then
	log "no usable ${cli} found and no Go toolchain available to build one"
	exit 1
fi

log "building ${banner} v${want} from the Go module proxy into ${local_bin}"
log "(the first build downloads its modules, then compiles for several minutes on 2 cores; a line a minute follows)"
mkdir -p "${repo_root}/bin"
tmp_bin="$(mktemp "${repo_root}/bin/.${cli}.XXXXXX")"
started=$(date +%s)
trap 'rm -f "$tmp_bin"' EXIT
(
	cd "${script_dir}/${cli}"
	GOWORK=off "${script_dir}/heartbeat.sh" "get-${cli}: building ${banner}" \
		"$go_bin" build -trimpath -ldflags "-s -w ${ldflags}" -o "$tmp_bin" "$pkg" 3>&-
)
chmod 0755 "$tmp_bin"

v="$(cli_version "$tmp_bin")"
if [[ "$v" != "$want" ]]; then
	log "built binary reports version '${v:-unknown}', want ${want}"
	exit 1
fi
mv -f "$tmp_bin" "$local_bin"
log "built ${local_bin} (v${v}) in $(( $(date +%s) - started )) s"
found "$local_bin"
