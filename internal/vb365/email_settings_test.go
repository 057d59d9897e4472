package vb365

import (
	"reflect"
	"testing"
)

func TestRecipients(t *testing.T) {
	if got := splitRecipients(" a@contoso.com; b@contoso.com;;"); !reflect.DeepEqual(got, []string{"a@contoso.com", "b@contoso.com"}) {
		t.Fatalf("split = %q", got)
	}
	if got := splitRecipients(""); got != nil {
		t.Fatalf("split empty = %q", got)
	}
	if got := joinRecipients([]string{"a@contoso.com", "b@contoso.com"}); got != "a@contoso.com;b@contoso.com" {
		t.Fatalf("join = %q", got)
	}
}
