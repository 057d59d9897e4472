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
		return "the cached token is not a regular file"
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Sprintf("the cached token file is open to other users (mode %v); it is ignored and replaced", perm)
	}
	if st, ok := info.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Getuid() {
		return "the cached token file belongs to another user"
	}
	return ""
}

// otherWritable: group or others may write, and the sticky bit does not
// keep them from replacing this user's files.
func otherWritable(info fs.FileInfo) bool {
	return info.Mode().Perm()&0o022 != 0 && info.Mode()&fs.ModeSticky == 0
}
