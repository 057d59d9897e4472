//go:build !unix

package vb365

import "io/fs"

// Outside Unix, permissions are ACLs that the mode bits do not show (a
// profile directory is private to its user), so only links are refused and
// the owner is not checked.

func unsafeTokenFile(info fs.FileInfo) string {
	if !info.Mode().IsRegular() {
		return "it is not a regular file"
	}
	return ""
}

func otherOwner(fs.FileInfo) (string, bool) { return "", false }

func writableByOthers(fs.FileInfo) bool { return false }
