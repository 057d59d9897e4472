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

# cli_version BIN sets cli_v to the version (e.g. 1.11.4) that BIN reports
# on its "<banner> vX.Y.Z" line (Terraform or OpenTofu, whichever was asked
# for; OpenTofu may print warnings before it), or to "" when there is none;
# probe_out and probe_status keep what `BIN version` printed (stdout and
# stderr) and its exit status, to show when the version is not the one
# wanted. It sets globals instead of printing, so that it runs in this shell.
#
# The output is read whole before it is parsed: nothing reads a pipe and
# closes it early. With `set -o pipefail`, `"$bin" version | grep -q ...`
# failed whenever grep exited at the banner before the CLI wrote its next
# line: the CLI died of SIGPIPE, the pipeline failed, and a good binary was
# reported as version 'unknown'. A CLI is slow to write its next line only
# on a busy machine, which is where that was seen.
cli_version() {
	local bin="$1" line
	cli_v="" probe_status=0
	probe_out="$("$bin" version 2>&1)" || probe_status=$?
	while IFS= read -r line; do
		if [[ "$line" =~ ^${banner}\ v([0-9][^[:space:]]*) ]]; then
			cli_v="${BASH_REMATCH[1]}"
			break
		fi
	done <<<"$probe_out"
	if ((probe_status != 0)); then
		cli_v=""
	fi
}

# probe_report prints what the last version probe printed (its first 40
# lines) and its exit status to stderr.
probe_report() {
	local line n=0
	log "\`$1 version\` exited ${probe_status} and printed:"
	while IFS= read -r line; do
		if ((n++ == 40)); then
			printf '    ...\n' >&2
			break
		fi
		printf '    %s\n' "$line" >&2
	done <<<"${probe_out:-(nothing)}"
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
	cli_version "$path_cli"
	if version_ok "$cli_v"; then
		log "using ${path_cli} (v${cli_v})"
		found "$(abspath "$path_cli")"
	fi
	log "${path_cli} reports version '${cli_v:-unknown}', need ${banner} >= ${min_major}.${min_minor}; ignoring it"
	probe_report "$path_cli"
fi

# 3. Previously built binary.
if [[ -x "$local_bin" ]]; then
	cli_version "$local_bin"
	if [[ "$cli_v" == "$want" ]]; then
		log "using ${local_bin} (v${cli_v})"
		found "$local_bin"
	fi
	log "${local_bin} reports version '${cli_v:-unknown}', want ${want}; rebuilding"
	probe_report "$local_bin"
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

cli_version "$tmp_bin"
if [[ "$cli_v" != "$want" ]]; then
	log "built binary reports version '${cli_v:-unknown}', want ${want}"
	probe_report "$tmp_bin"
	# Keep the build (it took minutes) for a second look; bin/${cli} stays
	# free so that the next run does not take it for a checked binary.
	mv -f "$tmp_bin" "${local_bin}.unverified"
	log "kept the binary as ${local_bin}.unverified: if \`${local_bin}.unverified version\` shows ${banner} v${want}, move it to ${local_bin}"
	exit 1
fi
mv -f "$tmp_bin" "$local_bin"
log "built ${local_bin} (v${cli_v}) in $(( $(date +%s) - started )) s"
found "$local_bin"
