#!/usr/bin/env bash
# make test-release: the release as the release workflow builds it, installed
# the way Terraform and OpenTofu install a registry provider.
#
#  1. Two throwaway RSA keys in a temporary keyring: the release key, with a
#     passphrase like the real one, and another key.
#  2. The release key goes through tools/import-signing-key.sh into a second
#     temporary keyring, as the release workflow imports the real one.
#  3. tools/release-snapshot.sh (goreleaser, .goreleaser.yml) builds the
#     release of tag v$VERSION (default: the first of the series the README
#     pins, 0.1.0) into dist/, for the host's
#     platform only unless SINGLE_TARGET=0, signed with that key.
#  4. The other key signs the same SHA256SUMS (for the refusal test).
#  5. The release checklist on a temporary clone of HEAD: make release-notes'
#     cut (unless the version has its section already), a commit, the tag
#     v$VERSION, then the release workflow's own command (goreleaser release
#     --release-notes <the tag's section>), publishing nothing: goreleaser
#     must build from the tag and load those notes.
#  6. go test ./tools/registrytest: the checks a registry makes on a release,
#     on both builds, then terraform init and tofu init against a registry
#     served over TLS on loopback, which must install and verify the snapshot,
#     and refuse a tampered zip and a signature by the other key.
#
# Nothing is written outside the temporary directory but dist/ (goreleaser's
# output, as make release-snapshot writes it): no key, no keyring, no CLI
# configuration, no tag. The temporary directory and the keyrings' agents go on
# exit.
set -euo pipefail

root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$root"
export CHECKPOINT_DISABLE=1
export GORELEASER="${GORELEASER:-$root/bin/goreleaser}" # the clone has no bin/
# The first version of the series the README tells users to pin (~> 0.1: 0.1.0).
pin="$(sed -n 's/^ *version *= *"~> \([0-9]*\.[0-9]*\)"$/\1/p' tools/testdata/install/main.tf)"
if [[ -z "${VERSION:-}" && -z "$pin" ]]; then
	echo 'test-release: found no version = "~> x.y" in tools/testdata/install/main.tf; set VERSION' >&2
	exit 2
fi
version="${VERSION:-${pin}.0}"
single="${SINGLE_TARGET:-1}"

work="$(mktemp -d)"
keys="$work/keys"       # where the throwaway keys are made
keyring="$work/release" # what the release is signed from
cleanup() {
	GNUPGHOME="$keys" gpgconf --kill all 2>/dev/null || true
	GNUPGHOME="$keyring" gpgconf --kill all 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
# Interrupted or stopped, it still cleans up (through the EXIT trap).
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -m 0700 "$keys"

started=$(date +%s)
say() { printf 'test-release: %s (%ss)\n' "$*" "$(($(date +%s) - started))" >&2; }

# 1. The keys. RSA, as the Terraform Registry accepts RSA and DSA keys only.
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/passphrase"
genkey() { # uid [passphrase file]
	local pass=(--passphrase '')
	[[ -n "${2:-}" ]] && pass=(--passphrase-file "$2")
	GNUPGHOME="$keys" gpg --batch --quiet --pinentry-mode loopback "${pass[@]}" \
		--quick-gen-key "$1" rsa3072 sign never 2>/dev/null
	GNUPGHOME="$keys" gpg --batch --with-colons --list-secret-keys "$1" | awk -F: '$1 == "fpr" { print $10; exit }'
}
release_fpr="$(genkey 'vb365 release test <release-test@vb365.invalid>' "$work/passphrase")"
other_fpr="$(genkey 'another key <other-key@vb365.invalid>')"
GNUPGHOME="$keys" gpg --batch --armor --export "$release_fpr" >"$work/release-key.asc"
say "throwaway keys: release ${release_fpr}, other ${other_fpr}"

# 2. Imported as the release workflow imports the real key.
imported="$(GNUPGHOME="$keyring" \
	GPG_PRIVATE_KEY="$(GNUPGHOME="$keys" gpg --batch --pinentry-mode loopback --passphrase-file "$work/passphrase" --armor --export-secret-keys "$release_fpr")" \
	PASSPHRASE="$(cat "$work/passphrase")" tools/import-signing-key.sh)"
if [[ "$imported" != "$release_fpr" ]]; then
	echo "test-release: import-signing-key.sh printed '$imported', want $release_fpr" >&2
	exit 1
fi

# 3. The release.
say "building the release of v${version} (SINGLE_TARGET=${single})"
GNUPGHOME="$keyring" GPG_FINGERPRINT="$release_fpr" VERSION="$version" SINGLE_TARGET="$single" \
	tools/release-snapshot.sh >"$work/goreleaser.log" 2>&1 || {
	cat "$work/goreleaser.log"
	echo "test-release: goreleaser failed (output above)" >&2
	exit 1
}
sums="$root/dist/terraform-provider-vb365_${version}_SHA256SUMS"
zips=$(find "$root/dist" -maxdepth 1 -name "terraform-provider-vb365_${version}_*.zip" | wc -l)
say "goreleaser built ${zips} zip(s), SHA256SUMS and its signature into dist/"
if [[ "$single" == 1 && "$zips" -ne 1 ]]; then
	echo "test-release: SINGLE_TARGET=1 built $zips zips, want 1" >&2
	exit 1
fi

# 4. A signature by the other key over the same SHA256SUMS.
GNUPGHOME="$keys" gpg --batch --quiet --local-user "$other_fpr" --output "$work/other-key.sig" --detach-sign "$sums"

# 5. The checklist and the release workflow's command on a tagged clone
#    (what HEAD holds: commit first to test changes).
clone="$work/clone"
git clone --quiet "$root" "$clone"
(
	cd "$clone"
	git="git -c user.name=test-release -c user.email=test-release@vb365.invalid -c commit.gpgsign=false -c tag.gpgsign=false"
	if ! go run ./tools/releasenotes -show "$version" CHANGELOG.md >/dev/null 2>&1; then
		go run ./tools/releasenotes -cut "$version" CHANGELOG.md >/dev/null
		$git commit --quiet -am "Release $version"
	fi
	$git tag -f "v$version" >/dev/null
	go run ./tools/releasenotes -show "$version" CHANGELOG.md >"$work/release-notes.md"
	say "the release of tag v${version} on a clone, as the release workflow runs it (publishing nothing)"
	GNUPGHOME="$keyring" GPG_FINGERPRINT="$release_fpr" SINGLE_TARGET="$single" RELEASE_NOTES="$work/release-notes.md" \
		tools/release-snapshot.sh >"$work/goreleaser-tag.log" 2>&1
) || {
	cat "$work/goreleaser-tag.log" 2>/dev/null
	echo "test-release: the release of the tagged clone failed (output above)" >&2
	exit 1
}
if ! grep -qF "loading file \"$work/release-notes.md\"" "$work/goreleaser-tag.log"; then
	cat "$work/goreleaser-tag.log"
	echo "test-release: goreleaser did not load the release notes (is the changelog disabled in .goreleaser.yml?)" >&2
	exit 1
fi

# 6. The checks, and both CLIs against the registry.
terraform="$(tools/get-terraform.sh)"
tofu="$(tools/get-tofu.sh)"
say "go test ./tools/registrytest with $("$terraform" version | head -n1) and $("$tofu" version | head -n1)"
VB365_RELEASE_DIST="$root/dist" \
	VB365_RELEASE_TAGGED_DIST="$clone/dist" \
	VB365_RELEASE_TAG="v$version" \
	VB365_RELEASE_KEY="$work/release-key.asc" \
	VB365_RELEASE_KEY_ID="${release_fpr: -16}" \
	VB365_RELEASE_OTHER_SIG="$work/other-key.sig" \
	TF_ACC_TERRAFORM_PATH="$terraform" \
	TOFU_PATH="$tofu" \
	go test -count=1 -v -timeout 15m -run '^(TestReleaseMeetsRegistryRules|TestCLIInstallsRelease)$' ./tools/registrytest
say "done"
