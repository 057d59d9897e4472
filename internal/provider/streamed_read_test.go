package provider

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// configuredServer returns the provider's protocol server configured for
// fake over protocol 6, and the type of vb365_users' configuration as it
// tells Terraform. Its framework path is srv.frameworkServer: the data
// source's own Read and State.Set, on the same provider and client.
func configuredServer(t testing.TB, fake *vb365test.Server) (*protocolServer, tftypes.Type) {
	t.Helper()
	srv, ok := NewServer("test")().(*protocolServer)
	if !ok {
		t.Fatal("NewServer does not return a *protocolServer")
	}
	return srv, configure(t, srv, fake)
}

// configure configures srv for fake and returns the type of vb365_users'
// configuration as srv tells Terraform.
func configure(t testing.TB, srv *protocolServer, fake *vb365test.Server) tftypes.Type {
	t.Helper()
	schema, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	requireNoErrorDiags(t, "GetProviderSchema", schema.Diagnostics)
	(&protoProvider{t: t, srv: srv, schema: schema}).configure(fake, "v8")
	if srv.provider.client.Load() == nil {
		t.Fatal("Configure left no client for the streamed reads")
	}
	return schema.DataSourceSchemas["vb365_users"].ValueType()
}

// readBothWays reads req streamed (through the server, as Terraform does)
// and through the same server's framework path, and fails unless both send
// the same diagnostics and, byte for byte, the same state, for as many user
// lists.
func readBothWays(t *testing.T, srv *protocolServer, fake *vb365test.Server, req *tfprotov6.ReadDataSourceRequest) *tfprotov6.ReadDataSourceResponse {
	t.Helper()
	const lists = "GET /Organizations/{organizationId}/Users"
	ctx := context.Background()
	fake.ResetRequests()
	got, err := srv.ReadDataSource(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	gotLists := fake.Count(lists)
	fake.ResetRequests()
	want, err := srv.frameworkServer.ReadDataSource(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if gd, wd := diagsText(got.Diagnostics), diagsText(want.Diagnostics); gd != wd {
		t.Fatalf("diagnostics:\n%s\nState.Set path:\n%s", gd, wd)
	}
	for i := range want.Diagnostics {
		if fmt.Sprint(got.Diagnostics[i].Attribute) != fmt.Sprint(want.Diagnostics[i].Attribute) {
			t.Fatalf("diagnostic %d at %v, State.Set path at %v", i, got.Diagnostics[i].Attribute, want.Diagnostics[i].Attribute)
		}
	}
	if (got.State == nil) != (want.State == nil) || got.State != nil && !bytes.Equal(got.State.MsgPack, want.State.MsgPack) {
		t.Fatalf("state (%d bytes) differs from the State.Set path's (%d bytes)", stateLen(got), stateLen(want))
	}
	if wantLists := fake.Count(lists); gotLists != wantLists {
		t.Fatalf("%d user lists, the State.Set path %d", gotLists, wantLists)
	}
	return got
}

// The streamed read of vb365_users sends, byte for byte, the state and the
// diagnostics the framework's State.Set path sends on the same server for
// the same server answer: over three pages, with filters, with nothing
// found, and for an unknown organization. A configuration that is not
// wholly known goes to the framework.
func TestStreamedReadMatchesStateSet(t *testing.T) {
	fake := startFake(t, vb365test.Options{})
	org := vb365test.DemoOrganizationID
	fake.AddUsers(org, 20_050) // 20,057 users: three pages
	srv, typ := configuredServer(t, fake)
	sl := srv.lists["vb365_users"]
	ctx := context.Background()
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

	for _, tc := range []struct {
		name   string
		config map[string]tftypes.Value
		users  int // -1: an error; -2: some
	}{
		{"every page", map[string]tftypes.Value{"organization_id": str(org)}, 20_050 + seededUsers},
		{"display name", map[string]tftypes.Value{"organization_id": str(org), "display_name": str("Generated User 1*"), "location_filter": str(vb365.LocationFilters[0])}, -2},
		{"user name", map[string]tftypes.Value{"organization_id": str(org), "user_name": str("user00042@contoso.onmicrosoft.com")}, -2},
		{"nothing found", map[string]tftypes.Value{"organization_id": str(org), "user_name": str("nobody@contoso.onmicrosoft.com")}, 0},
		{"unknown organization", map[string]tftypes.Value{"organization_id": str(unknownOrg)}, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := &tfprotov6.ReadDataSourceRequest{TypeName: "vb365_users", Config: dynamicValue(t, typ, tc.config)}
			if _, ok := sl.read(ctx, srv.provider.client.Load(), req); !ok {
				t.Fatalf("the streamed read declined a known configuration (schema mismatch: %v)", sl.mismatch)
			}
			got := readBothWays(t, srv, fake, req)
			if tc.users == -1 {
				if len(got.Diagnostics) == 0 {
					t.Fatal("an unknown organization gave no error")
				}
				return
			}
			if n := countListed(t, got, typ, "users"); tc.users >= 0 && n != tc.users || tc.users == -2 && n == 0 {
				t.Fatalf("%d users, want %d", n, tc.users)
			}
		})
	}

	t.Run("unknown configuration goes to the framework", func(t *testing.T) {
		req := &tfprotov6.ReadDataSourceRequest{TypeName: "vb365_users", Config: dynamicValue(t, typ, map[string]tftypes.Value{
			"organization_id": tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		})}
		if _, ok := sl.read(ctx, srv.provider.client.Load(), req); ok {
			t.Fatal("the streamed read answered a configuration that is not wholly known")
		}
	})
}

// countListed returns how many objects the state of resp lists in attr.
func countListed(t *testing.T, resp *tfprotov6.ReadDataSourceResponse, typ tftypes.Type, attr string) int {
	t.Helper()
	v, err := resp.State.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	var root map[string]tftypes.Value
	var listed []tftypes.Value
	if err := v.As(&root); err != nil {
		t.Fatal(err)
	}
	if err := root[attr].As(&listed); err != nil {
		t.Fatal(err)
	}
	return len(listed)
}

// changedUsersSchema is the provider with the schema of vb365_users changed
// by change, for the framework as for the streamed read.
type changedUsersSchema struct {
	*vb365Provider
	change func(*schema.Schema)
}

func (p changedUsersSchema) DataSources(ctx context.Context) []func() datasource.DataSource {
	all := p.vb365Provider.DataSources(ctx)
	for i, newDataSource := range all {
		if _, ok := newDataSource().(*usersDataSource); ok {
			all[i] = p.newUsersDataSource
		}
	}
	return all
}

func (p changedUsersSchema) newUsersDataSource() datasource.DataSource {
	return changedSchemaDataSource{usersDataSource: &usersDataSource{}, change: p.change}
}

type changedSchemaDataSource struct {
	*usersDataSource
	change func(*schema.Schema)
}

func (d changedSchemaDataSource) Schema(ctx context.Context, req datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	d.usersDataSource.Schema(ctx, req, resp)
	d.change(&resp.Schema)
}

// When the schema of vb365_users is not the one the encoder knows (an
// attribute added, removed, renamed, or of another type, at either level),
// the framework reads it: no panic, and the same answer, byte for byte, as
// the framework's State.Set path on the same server (for these schemas, the
// error the framework gives when the model does not fit), for no more
// requests. The schema is checked once per server.
func TestStreamedReadSchemaMismatchFallsBack(t *testing.T) {
	str := schema.StringAttribute{Computed: true}
	nested := func(s *schema.Schema) map[string]schema.Attribute {
		l, ok := s.Attributes["users"].(schema.ListNestedAttribute)
		if !ok {
			t.Fatal("users is not a list nested attribute")
		}
		return l.NestedObject.Attributes
	}
	for _, tc := range []struct {
		name     string
		change   func(*schema.Schema)
		mismatch string // in the reason; "": streamed
	}{
		{"unchanged", func(*schema.Schema) {}, ""},
		{"users.mail added", func(s *schema.Schema) { nested(s)["mail"] = str }, "users: the encoder does not know mail"},
		{"users.office removed", func(s *schema.Schema) { delete(nested(s), "office") }, "users: the schema has no office"},
		{"users.office renamed", func(s *schema.Schema) { a := nested(s); a["office_location"] = a["office"]; delete(a, "office") }, "users: the schema has no office"},
		{"users.office a bool", func(s *schema.Schema) { nested(s)["office"] = schema.BoolAttribute{Computed: true} }, "users: office is not a string"},
		{"users a set", func(s *schema.Schema) {
			s.Attributes["users"] = schema.SetNestedAttribute{Computed: true, NestedObject: schema.NestedAttributeObject{Attributes: nested(s)}}
		}, "users is not a list"},
		{"users a list of strings", func(s *schema.Schema) {
			s.Attributes["users"] = schema.ListAttribute{Computed: true, ElementType: types.StringType}
		}, "the elements of users are not objects"},
		{"users removed", func(s *schema.Schema) { delete(s.Attributes, "users") }, "users is not a list"},
		{"mail_filter added", func(s *schema.Schema) { s.Attributes["mail_filter"] = schema.StringAttribute{Optional: true} }, "the encoder does not know mail_filter"},
		{"location_filter removed", func(s *schema.Schema) { delete(s.Attributes, "location_filter") }, "the schema has no location_filter"},
		{"user_name renamed", func(s *schema.Schema) {
			s.Attributes["upn"] = s.Attributes["user_name"]
			delete(s.Attributes, "user_name")
		}, "the schema has no user_name"},
		{"location_filter a bool", func(s *schema.Schema) { s.Attributes["location_filter"] = schema.BoolAttribute{Optional: true} }, "location_filter is not a string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fake := startFake(t, vb365test.Options{})
			p := changedUsersSchema{vb365Provider: &vb365Provider{version: "test"}, change: tc.change}
			fw, ok := providerserver.NewProtocol6(p)().(frameworkServer)
			if !ok {
				t.Fatal("the framework's server is not a frameworkServer")
			}
			srv := &protocolServer{frameworkServer: fw, provider: p.vb365Provider, lists: newStreamedLists()}
			sl := srv.lists["vb365_users"]
			schemaReads := 0
			sl.schema = func(ctx context.Context) schema.Schema {
				schemaReads++
				return dataSourceSchema(p.newUsersDataSource)(ctx)
			}
			typ := configure(t, srv, fake)
			req := &tfprotov6.ReadDataSourceRequest{TypeName: "vb365_users", Config: dynamicValue(t, typ, map[string]tftypes.Value{
				"organization_id": tftypes.NewValue(tftypes.String, vb365test.DemoOrganizationID),
			})}
			for range 2 {
				got := readBothWays(t, srv, fake, req)
				if tc.mismatch == "" {
					if n := countListed(t, got, typ, "users"); n != seededUsers {
						t.Fatalf("%d users, want %d", n, seededUsers)
					}
				}
			}
			switch {
			case tc.mismatch == "" && sl.mismatch != nil:
				t.Fatalf("the schema as it is was found different: %v", sl.mismatch)
			case tc.mismatch != "" && (sl.mismatch == nil || !strings.Contains(sl.mismatch.Error(), tc.mismatch)):
				t.Fatalf("mismatch %v, want one naming %q", sl.mismatch, tc.mismatch)
			}
			if _, streamed := sl.read(context.Background(), srv.provider.client.Load(), req); streamed != (tc.mismatch == "") {
				t.Fatalf("streamed %v with mismatch %v", streamed, sl.mismatch)
			}
			if schemaReads != 1 {
				t.Fatalf("the schema was read %d times over three reads, want once", schemaReads)
			}
		})
	}
}

func stateLen(r *tfprotov6.ReadDataSourceResponse) int {
	if r.State == nil {
		return 0
	}
	return len(r.State.MsgPack)
}

// BenchmarkReadUsers reads vb365_users over 25,007 users through the
// framework's State.Set path and streamed, on the same server; B/op is what
// each allocates per read.
func BenchmarkReadUsers(b *testing.B) {
	fake := vb365test.Start(b, vb365test.Options{})
	fake.SeedDemo()
	fake.AddUsers(vb365test.DemoOrganizationID, 25_000)
	srv, typ := configuredServer(b, fake)
	cfg := dynamicValue(b, typ, map[string]tftypes.Value{"organization_id": tftypes.NewValue(tftypes.String, vb365test.DemoOrganizationID)})
	for name, read := range map[string]func(context.Context, *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error){
		"framework": srv.frameworkServer.ReadDataSource,
		"streamed":  srv.ReadDataSource,
	} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				resp, err := read(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: "vb365_users", Config: cfg})
				if err != nil || resp.State == nil {
					b.Fatal(err, resp.Diagnostics)
				}
			}
		})
	}
}
