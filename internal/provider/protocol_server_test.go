package provider

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// The provider's server forwards every RPC the framework's protocol 6
// server answers, with the same signature, and implements every optional
// server interface tf6server looks for that the framework's implements: a
// framework upgrade that adds an RPC fails here instead of being hidden
// (the state-store RPCs once were).
func TestProtocolServerForwardsEveryRPC(t *testing.T) {
	fw := providerserver.NewProtocol6(New("test")())()
	ours := NewServer("test")()
	if _, ok := ours.(*protocolServer); !ok {
		t.Fatalf("NewServer serves %T, not the provider's server: the framework's server lacks an interface frameworkServer names", ours)
	}
	if missing := unforwarded(reflect.TypeOf(fw), reflect.TypeOf(ours)); len(missing) > 0 {
		t.Errorf("%T has RPCs the provider's server does not forward (add their interface to frameworkServer):\n%s", fw, strings.Join(missing, "\n"))
	}
	for _, optional := range []reflect.Type{
		// tf6server asserts ProviderServerWith<X>: the provider server
		// and these.
		reflect.TypeFor[tfprotov6.ListResourceServer](),
		reflect.TypeFor[tfprotov6.ActionServer](),
		reflect.TypeFor[tfprotov6.StateStoreServer](),
	} {
		if reflect.TypeOf(fw).Implements(optional) && !reflect.TypeOf(ours).Implements(optional) {
			t.Errorf("the framework's server is a %s, the provider's is not", optional)
		}
	}
}

// unforwarded returns the exported methods of fw that ours lacks or has
// with another signature.
func unforwarded(fw, ours reflect.Type) []string {
	var missing []string
	for m := range fw.Methods() {
		o, ok := ours.MethodByName(m.Name)
		if !ok || signature(o.Type) != signature(m.Type) {
			missing = append(missing, m.Name+signature(m.Type))
		}
	}
	slices.Sort(missing)
	return missing
}

// signature is a method's type without its receiver.
func signature(f reflect.Type) string {
	var in, out []string
	for i := 1; i < f.NumIn(); i++ {
		in = append(in, f.In(i).String())
	}
	for i := range f.NumOut() {
		out = append(out, f.Out(i).String())
	}
	return fmt.Sprintf("(%s) (%s)", strings.Join(in, ", "), strings.Join(out, ", "))
}
