//go:build !unix

package vb365

import "io/fs"

// unsafeTokenFile: outside Unix, permissions are ACLs the mode bits do not
// show (a profile directory is private to its user), so only links are
// refused.
func unsafeTokenFile(info fs.FileInfo) string {
	if !info.Mode().IsRegular() {
		return "the cached token is not a regular file"
	}
	return ""
}

func otherWritable(fs.FileInfo) bool { return false }
