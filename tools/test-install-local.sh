#!/usr/bin/env bash
# make test-install: install the provider into a fresh mirror with
# tools/install-local.sh, then, in an empty directory with no network
# access to the registry needed, `terraform init` with a version constraint,
# `terraform validate` and `terraform providers schema` must find it.
set -euo pipefail

root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
tf="${TERRAFORM:-$("$root/tools/get-terraform.sh")}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export CHECKPOINT_DISABLE=1

"$root/tools/install-local.sh" "$work/mirror" 0.1.0 >"$work/terraformrc"
export TF_CLI_CONFIG_FILE="$work/terraformrc"

mkdir "$work/config"
cp "$root/tools/testdata/install/main.tf" "$work/config/main.tf"
cd "$work/config"
"$tf" init -input=false -no-color >"$work/init.log" 2>&1 || { cat "$work/init.log"; exit 1; }
grep -q 'Installing terraform-vb365/vb365 v0.1.0' "$work/init.log" || { cat "$work/init.log"; echo "test-install: init did not install v0.1.0 from the mirror"; exit 1; }
"$tf" validate -no-color
"$tf" providers schema -json | grep -q '"vb365_restore_operator_role"' || { echo "test-install: the installed provider has no vb365_restore_operator_role"; exit 1; }
echo "test-install: terraform init, validate and providers schema work from the filesystem mirror"
