#!/usr/bin/env bash
# make install-local: build the provider and write it into a filesystem
# mirror in the registry layout, for Terraform (registry.terraform.io) and
# OpenTofu (registry.opentofu.org), so that a plain `terraform init` works
# without the registry, e.g. next to an air-gapped VB365 server. Prints the
# CLI configuration block that points Terraform at the mirror.
#
#   tools/install-local.sh [MIRROR_DIR] [VERSION]
#
# MIRROR_DIR defaults to ~/.terraform.d/vb365-mirror, VERSION to 0.1.0.
set -euo pipefail

root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
mirror="${1:-${MIRROR_DIR:-$HOME/.terraform.d/vb365-mirror}}"
version="${2:-${VERSION:-0.1.0}}"
os="$(go env GOOS)"
arch="$(go env GOARCH)"

case "$version" in
[0-9]*.[0-9]*.[0-9]*) ;;
*) echo "install-local: VERSION must be a semantic version such as 0.1.0, not $version" >&2; exit 2 ;;
esac

mkdir -p "$mirror"
mirror="$(cd "$mirror" && pwd -P)"
bin="$(mktemp)"
trap 'rm -f "$bin"' EXIT
(cd "$root" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$version" -o "$bin" .)

for host in registry.terraform.io registry.opentofu.org; do
	dir="$mirror/$host/terraform-vb365/vb365/$version/${os}_${arch}"
	mkdir -p "$dir"
	install -m 0755 "$bin" "$dir/terraform-provider-vb365_v$version"
	echo "installed $dir/terraform-provider-vb365_v$version" >&2
done

cat <<RC
# Add this to your CLI configuration (~/.terraformrc, or the file named by
# TF_CLI_CONFIG_FILE; OpenTofu: ~/.tofurc), then run terraform init as usual.
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/terraform-vb365/vb365", "registry.opentofu.org/terraform-vb365/vb365"]
  }
  direct {
    exclude = ["registry.terraform.io/terraform-vb365/vb365", "registry.opentofu.org/terraform-vb365/vb365"]
  }
}
RC
