#!/usr/bin/env bash
# Imports the release signing key into the keyring $GNUPGHOME and prints its
# fingerprint: the release workflow's step (the key and its passphrase come
# from the repository's secrets), and make test-release's with a throwaway
# key. Plain gpg, so that no third-party action ever holds the private key.
#
#   GNUPGHOME        the keyring to import into (required: never ~/.gnupg)
#   GPG_PRIVATE_KEY  the ASCII-armored secret key
#   PASSPHRASE       its passphrase, if it has one: preset into this
#                    keyring's gpg-agent, so that `gpg --batch --detach-sign`
#                    (goreleaser's signs step) signs without asking
set -euo pipefail

: "${GNUPGHOME:?import-signing-key: set GNUPGHOME to the keyring to import into (a new directory)}"
: "${GPG_PRIVATE_KEY:?import-signing-key: set GPG_PRIVATE_KEY to the ASCII-armored secret key}"
export GNUPGHOME

mkdir -p "$GNUPGHOME"
chmod 0700 "$GNUPGHOME"
if [[ -n "${PASSPHRASE:-}" ]]; then
	echo allow-preset-passphrase >>"$GNUPGHOME/gpg-agent.conf"
fi
printf '%s\n' "$GPG_PRIVATE_KEY" | gpg --batch --quiet --import 2>/dev/null

fprs=$(gpg --batch --with-colons --list-secret-keys | awk -F: '$1 == "sec" { want = 1 } $1 == "fpr" && want { print $10; want = 0 }')
if [[ $(wc -w <<<"$fprs") -ne 1 ]]; then
	echo "import-signing-key: want exactly one secret key in GPG_PRIVATE_KEY, found: ${fprs:-none}" >&2
	exit 1
fi

if [[ -n "${PASSPHRASE:-}" ]]; then
	gpg-connect-agent reloadagent /bye >/dev/null
	preset="$(gpgconf --list-dirs libexecdir)/gpg-preset-passphrase"
	# The passphrase goes through stdin, never the command line.
	for grip in $(gpg --batch --with-colons --with-keygrip --list-secret-keys "$fprs" | awk -F: '$1 == "grp" { print $10 }'); do
		printf '%s' "$PASSPHRASE" | "$preset" --preset "$grip"
	done
fi
echo "$fprs"
