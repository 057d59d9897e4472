//go:build unix

package vb365

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// unsafeTokenFile says why a cached token file must not be used (a link,
// readable or writable by others, or owned by another user), or "".
func unsafeTokenFile(info fs.FileInfo) string {
	if !info.Mode().IsRegular() {
		return "it is not a regular file"
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Sprintf("it is open to other users (mode %v), so the token may have been read; it is replaced", perm)
	}
	if owner, ok := otherOwner(info); ok {
		return "it belongs to another user (" + owner + ")"
	}
	return ""
}

// otherOwner names the owner of info when it is not this process's user.
func otherOwner(info fs.FileInfo) (string, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok || int(st.Uid) == os.Geteuid() {
		return "", false
	}
	return fmt.Sprintf("uid %d", st.Uid), true
}

// writableByOthers: the group or others may write.
func writableByOthers(info fs.FileInfo) bool { return info.Mode().Perm()&0o022 != 0 }
