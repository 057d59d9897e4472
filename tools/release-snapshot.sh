#!/usr/bin/env bash
# make release-snapshot: the release that the release workflow builds
# (goreleaser with .goreleaser.yml: the zips, SHA256SUMS with the registry
# manifest, and its detached signature), written into dist/ and published
# nowhere.
#
#   GPG_FINGERPRINT  the key that signs SHA256SUMS (required; see
#                    `gpg --list-secret-keys`; make test-release makes a
#                    throwaway one)
#   VERSION=x.y.z    build it as the release of tag vx.y.z would be built:
#                    that version in the file names and in the binary; without
#                    it, goreleaser's snapshot version (<next patch>-SNAPSHOT-<commit>)
#   SINGLE_TARGET=1  the host's platform only (make test-release's default);
#                    without it, every platform of .goreleaser.yml
#   RELEASE_NOTES=f  not a snapshot: the release of the tag at HEAD, exactly as
#                    the release workflow runs it with the notes in file f,
#                    published nowhere (--skip=publish); the version is the
#                    tag's (make test-release, on a tagged temporary clone)
set -euo pipefail

root="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$root"
goreleaser="${GORELEASER:-$root/bin/goreleaser}"

if [[ -z "${GPG_FINGERPRINT:-}" ]]; then
	echo "release-snapshot: set GPG_FINGERPRINT to the key that signs the release (gpg --list-secret-keys), or run make test-release, which makes a throwaway key" >&2
	exit 2
fi
if [[ -n "${VERSION:-}" && -n "${RELEASE_NOTES:-}" ]]; then
	echo "release-snapshot: VERSION and RELEASE_NOTES exclude each other (with RELEASE_NOTES the version is the tag's)" >&2
	exit 2
fi
if [[ -n "${VERSION:-}" ]]; then
	if [[ ! "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
		echo "release-snapshot: VERSION must be a version such as 0.1.0 (the tag without its v), not $VERSION" >&2
		exit 2
	fi
	# .goreleaser.yml's snapshot version_template takes it from here.
	export VB365_RELEASE_VERSION="$VERSION"
fi

args=(release --snapshot --clean)
if [[ -n "${RELEASE_NOTES:-}" ]]; then
	# --verbose: goreleaser then says which notes file it loaded.
	args=(release --clean --skip=publish --verbose --release-notes "$RELEASE_NOTES")
fi
if [[ "${SINGLE_TARGET:-0}" == 1 ]]; then
	target="$(go env GOOS)_$(go env GOARCH)"
	# `goreleaser release` has no --single-target: the same configuration,
	# given on stdin, with the host's platform as the build's only target
	# (goreleaser's targets take the place of goos, goarch and ignore).
	config="$(awk -v target="$target" '
		/^builds:/ { in_builds = 1; print; next }
		in_builds && !done && /^  - [a-z_]+:/ { sub(/^  - /, "  - targets: [\"" target "\"]\n    "); done = 1 }
		{ print }
		END { if (!done) exit 3 }' .goreleaser.yml)" || {
		echo "release-snapshot: found no build in .goreleaser.yml to restrict to $target" >&2
		exit 1
	}
	echo "release-snapshot: $target only (SINGLE_TARGET=1)" >&2
	printf '%s\n' "$config" | GPG_FINGERPRINT="$GPG_FINGERPRINT" "$goreleaser" "${args[@]}" --config -
else
	GPG_FINGERPRINT="$GPG_FINGERPRINT" "$goreleaser" "${args[@]}"
fi
