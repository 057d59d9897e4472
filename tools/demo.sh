#!/usr/bin/env bash
# make demo: build the provider, start the fake VB365 server on loopback,
# apply examples/demo through dev_overrides, print the outputs, change
# things behind Terraform's back, show the drift in `terraform plan`, and
# destroy. Needs Go, bash and nothing else (no curl: the fake binary sends
# its own out-of-band calls). The CLI is $TERRAFORM when set (a path or a
# name on PATH: terraform, tofu); make demo finds or builds Terraform, and
# `make demo TF=tofu` finds or builds OpenTofu.
set -euo pipefail

root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
tf="${TERRAFORM:-$("$root/tools/get-terraform.sh")}"
tf="$(command -v "$tf")" || { echo "demo: TERRAFORM=${TERRAFORM:-} is not a command" >&2; exit 1; }
# dev_overrides is keyed by the provider's address, whose host differs.
registry="registry.terraform.io"
if "$tf" version 2>/dev/null | grep -q '^OpenTofu v'; then
	registry="registry.opentofu.org"
fi
work="$root/bin/demo"
export CHECKPOINT_DISABLE=1

color=""
[ -t 1 ] || color="-no-color"
banner() { printf '\n==> %s\n' "$*"; }

banner "Building the provider and the fake VB365 server"
mkdir -p "$root/bin"
rm -rf "$work" && mkdir -p "$work"
(cd "$root" && go build -o "$root/bin/terraform-provider-vb365" . && go build -o "$root/bin/fakevb365" ./internal/cmd/fakevb365)

banner "Starting the fake VB365 server (HTTPS, self-signed certificate, 127.0.0.1)"
"$root/bin/fakevb365" -addr 127.0.0.1:0 -cert-out "$work/vb365-ca.pem" -url-out "$work/url" >"$work/fake.log" 2>&1 &
fake_pid=$!
trap 'kill "$fake_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
	[ -s "$work/url" ] && break
	kill -0 "$fake_pid" 2>/dev/null || { cat "$work/fake.log"; exit 1; }
	sleep 0.1
done
url="$(cat "$work/url")"
echo "fake VB365 at $url; CLI: $("$tf" version | grep -m1 -E '^(Terraform|OpenTofu) v')"

# The provider reads its settings from the environment, as in a pipeline.
export VB365_URL="$url"
export VB365_USERNAME='VB365\administrator'
export VB365_PASSWORD='fake-password'
export VB365_CA_CERT_PEM="$(cat "$work/vb365-ca.pem")"
# The SMTP password goes to VB365 write-only: never into plan or state.
export TF_VAR_smtp_password='demo-smtp-secret'

# dev_overrides points Terraform at the provider just built: no init needed.
cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "$registry/terraform-vb365/vb365" = "$root/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc"
cp "$root"/examples/demo/*.tf "$work/"
cd "$work"

# fake_admin METHOD PATH [JSON]: the fake's out-of-band API, standing in for
# someone changing VB365 by hand (Postman, a script) behind Terraform's back.
fake_admin() {
	"$root/bin/fakevb365" admin -url "$url" -ca "$work/vb365-ca.pem" "$@"
}

banner "$(basename "$tf") apply"
"$tf" apply -auto-approve -input=false $color -compact-warnings

banner "$(basename "$tf") output"
"$tf" output $color

banner "Second plan: nothing to change"
"$tf" plan -input=false $color -detailed-exitcode -compact-warnings >/dev/null
echo "no changes"

banner "Changing VB365 behind Terraform's back"
source "$root/examples/demo/drift.sh"

banner "$(basename "$tf") plan shows the drift"
set +e
"$tf" plan -input=false $color -detailed-exitcode -compact-warnings
code=$?
set -e
if [ "$code" -ne 2 ]; then
	echo "expected terraform plan to report changes (exit code 2), got $code" >&2
	exit 1
fi

banner "$(basename "$tf") apply restores the declared audit trail and closes the mail channel"
"$tf" apply -auto-approve -input=false $color -compact-warnings
"$tf" plan -input=false $color -detailed-exitcode -compact-warnings >/dev/null
echo "no changes"

banner "$(basename "$tf") destroy"
"$tf" destroy -auto-approve -input=false $color -compact-warnings

banner "Requests the fake VB365 server served, per route"
fake_admin GET /_fake/requests
echo
if grep -q "$TF_VAR_smtp_password" "$work"/terraform.tfstate*; then
	echo "the SMTP password reached the state file" >&2
	exit 1
fi
echo "the SMTP password is in no state file"
