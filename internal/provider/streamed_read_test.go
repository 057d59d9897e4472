package provider

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// configuredServers returns the provider's server and the framework's own
// (which answers ReadDataSource with the data sources' Read methods), both
// configured for fake.
func configuredServers(t testing.TB, fake *vb365test.Server) (*server, actionProviderServer) {
	t.Helper()
	ours, ok := NewServer("test")().(*server)
	if !ok {
		t.Fatal("NewServer does not return *server")
	}
	fw, ok := providerserver.NewProtocol6(New("test")())().(actionProviderServer)
	if !ok {
		t.Fatal("the framework's server lacks the action RPCs")
	}
	for _, srv := range []actionProviderServer{ours, fw} {
		schema, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
		if err != nil {
			t.Fatal(err)
		}
		(&protoProvider{t: t, srv: srv, schema: schema}).configure(fake, "v8")
	}
	return ours, fw
}

// The streamed read of vb365_users sends, byte for byte, the state and the
// diagnostics the framework path sends for the same server answer: over
// several pages, with filters, with nothing found, and for an unknown
// organization. A configuration that is not wholly known goes to the
// framework.
func TestStreamedReadMatchesFramework(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	org := vb365test.DemoOrganizationID
	fake.AddUsers(org, 20_050) // three pages
	ours, fw := configuredServers(t, fake)
	sl := streamedLists["vb365_users"]
	sl.init(context.Background())
	client := ours.provider.client.Load()
	if client == nil {
		t.Fatal("Configure left no client for the streamed reads")
	}
	ctx := context.Background()
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

	for _, tc := range []struct {
		name   string
		config map[string]tftypes.Value
		users  int // -1: an error
	}{
		{"every page", map[string]tftypes.Value{"organization_id": str(org)}, 20_050 + seededUsers},
		{"display name", map[string]tftypes.Value{"organization_id": str(org), "display_name": str("Generated User 1*"), "location_filter": str(vb365.LocationFilters[0])}, -2},
		{"user name", map[string]tftypes.Value{"organization_id": str(org), "user_name": str("user00042@contoso.onmicrosoft.com")}, -2},
		{"nothing found", map[string]tftypes.Value{"organization_id": str(org), "user_name": str("nobody@contoso.onmicrosoft.com")}, 0},
		{"unknown organization", map[string]tftypes.Value{"organization_id": str(unknownOrg)}, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := &tfprotov6.ReadDataSourceRequest{TypeName: "vb365_users", Config: dynamicValue(t, sl.typ, tc.config)}
			direct, ok := sl.read(ctx, client, req)
			if !ok {
				t.Fatal("the streamed read declined a known configuration")
			}
			served, err := ours.ReadDataSource(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			want, err := fw.ReadDataSource(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			for name, got := range map[string]*tfprotov6.ReadDataSourceResponse{"streamed": direct, "served": served} {
				if gd, wd := diagsText(got.Diagnostics), diagsText(want.Diagnostics); gd != wd {
					t.Fatalf("%s diagnostics:\n%s\nframework:\n%s", name, gd, wd)
				}
				for i := range want.Diagnostics {
					if fmt.Sprint(got.Diagnostics[i].Attribute) != fmt.Sprint(want.Diagnostics[i].Attribute) {
						t.Fatalf("%s diagnostic %d at %v, framework at %v", name, i, got.Diagnostics[i].Attribute, want.Diagnostics[i].Attribute)
					}
				}
				if tc.users == -1 {
					if len(got.Diagnostics) == 0 || got.State != nil {
						t.Fatalf("%s: an unknown organization gave no error (state %v)", name, got.State)
					}
					continue
				}
				if got.State == nil || want.State == nil || !bytes.Equal(got.State.MsgPack, want.State.MsgPack) {
					t.Fatalf("%s state (%d bytes) differs from the framework's (%d bytes)", name, stateLen(got), stateLen(want))
				}
			}
			if tc.users >= 0 {
				v, err := direct.State.Unmarshal(sl.typ)
				if err != nil {
					t.Fatal(err)
				}
				var root map[string]tftypes.Value
				var users []tftypes.Value
				if err := v.As(&root); err != nil {
					t.Fatal(err)
				}
				if err := root["users"].As(&users); err != nil || len(users) != tc.users {
					t.Fatalf("%d users (%v), want %d", len(users), err, tc.users)
				}
			}
		})
	}

	t.Run("unknown configuration goes to the framework", func(t *testing.T) {
		req := &tfprotov6.ReadDataSourceRequest{TypeName: "vb365_users", Config: dynamicValue(t, sl.typ, map[string]tftypes.Value{
			"organization_id": tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		})}
		if _, ok := sl.read(ctx, client, req); ok {
			t.Fatal("the streamed read answered a configuration that is not wholly known")
		}
	})
}

func stateLen(r *tfprotov6.ReadDataSourceResponse) int {
	if r.State == nil {
		return 0
	}
	return len(r.State.MsgPack)
}

// BenchmarkReadUsers reads vb365_users over 25,007 users through the
// framework path and streamed; B/op is what each allocates per read.
func BenchmarkReadUsers(b *testing.B) {
	fake := vb365test.Start(b, vb365test.Options{})
	fake.SeedDemo()
	fake.AddUsers(vb365test.DemoOrganizationID, 25_000)
	ours, fw := configuredServers(b, fake)
	typ := streamedLists["vb365_users"]
	typ.init(context.Background())
	cfg := dynamicValue(b, typ.typ, map[string]tftypes.Value{"organization_id": tftypes.NewValue(tftypes.String, vb365test.DemoOrganizationID)})
	for name, srv := range map[string]tfprotov6.ProviderServer{"framework": fw, "streamed": ours} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				resp, err := srv.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: "vb365_users", Config: cfg})
				if err != nil || resp.State == nil {
					b.Fatal(err, resp.Diagnostics)
				}
			}
		})
	}
}
