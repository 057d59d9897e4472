package vb365

import (
	"strings"
	"testing"
)

func TestParseAPIVersion(t *testing.T) {
	for in, want := range map[string]APIVersion{"": V8, "v8": V8, "V7": V7, " 6 ": V6} {
		got, err := ParseAPIVersion(in)
		if err != nil || got != want {
			t.Errorf("ParseAPIVersion(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseAPIVersion("5"); err == nil || !strings.Contains(err.Error(), `"v5"`) {
		t.Errorf("ParseAPIVersion(5) err = %v", err)
	}
	if V6.SupportsEmailOAuth() || !V7.SupportsEmailOAuth() || !V8.SupportsEmailOAuth() {
		t.Error("SupportsEmailOAuth is wrong")
	}
}
