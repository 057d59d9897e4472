package provider

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

// Streamed reads of the list data sources whose size the organization sets.
//
// After a data source's Read, the framework holds its state several times
// over: the value Read built, a deep copy for semantic equality, framework
// values of every attribute of that copy, an equality walk, then the
// MessagePack it sends. Over 100,007 users that was about 240 MB live and
// 520 MiB of peak RSS, whatever Read itself did. For these data sources the
// provider answers ReadDataSource itself (server.go): each page of the
// server's answer is encoded to MessagePack as it arrives and then dropped,
// so memory is one page plus the encoded state. The state is byte for byte
// the one the framework path sends (TestStreamedReadMatchesFramework).
//
// The framework still validates the configuration (ValidateDataSourceConfig
// is its RPC), and it answers ReadDataSource when the configuration is not
// wholly known or the provider is not configured; the data sources' own
// Read methods are that path.

// streamedList is one data source read by streamedRead.
type streamedList struct {
	newDataSource func() datasource.DataSource
	listAttr      string
	// list reads the configuration and hands every listed object to out.
	list func(ctx context.Context, c *vb365.Client, config tfsdk.Config, out *listEncoder) diag.Diagnostics

	once   sync.Once
	schema tfsdk.Config // the schema, with no value
	typ    tftypes.Object
}

// streamedLists are the data sources streamedRead answers, by type name.
var streamedLists = map[string]*streamedList{
	"vb365_users": {newDataSource: NewUsersDataSource, listAttr: "users", list: streamUsers},
}

func (sl *streamedList) init(ctx context.Context) {
	sl.once.Do(func() {
		var resp datasource.SchemaResponse
		sl.newDataSource().Schema(ctx, datasource.SchemaRequest{}, &resp)
		sl.schema = tfsdk.Config{Schema: resp.Schema}
		sl.typ, _ = resp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	})
}

// read answers req; ok is false when the framework must (a configuration
// that is not wholly known or does not decode).
func (sl *streamedList) read(ctx context.Context, c *vb365.Client, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, bool) {
	sl.init(ctx)
	if req.Config == nil || sl.typ.AttributeTypes == nil {
		return nil, false
	}
	raw, err := req.Config.Unmarshal(sl.typ)
	if err != nil || !raw.IsFullyKnown() {
		return nil, false
	}
	config := sl.schema
	config.Raw = raw
	out, err := newListEncoder(sl.typ, sl.listAttr)
	resp := &tfprotov6.ReadDataSourceResponse{}
	if err != nil {
		resp.Diagnostics = []*tfprotov6.Diagnostic{{Severity: tfprotov6.DiagnosticSeverityError, Summary: "Unexpected data source schema", Detail: err.Error() + "; this is a bug in the provider."}}
		return resp, true
	}
	diags := sl.list(ctx, c, config, out)
	if !diags.HasError() {
		state, err := out.state()
		if err != nil {
			diags.AddError("Unexpected data source schema", err.Error()+"; this is a bug in the provider.")
		} else {
			resp.State = &tfprotov6.DynamicValue{MsgPack: state}
			tflog.Debug(ctx, "Read a list data source streamed", map[string]any{"data_source": req.TypeName, "objects": out.n, "state_bytes": len(state)})
		}
	}
	resp.Diagnostics = protoDiagnostics(diags)
	return resp, true
}

// listEncoder encodes a list data source's state as MessagePack, the way
// tftypes does (objects as maps with their attributes in sorted order):
// the listed objects as they come, then the state around them.
type listEncoder struct {
	root     tftypes.Object
	listAttr string
	elem     tftypes.Object
	top      map[string]types.String // the other attributes; absent or null: null

	buf   bytes.Buffer // the encoded objects
	enc   *msgpack.Encoder
	n     int
	names []string // the element's attribute names, sorted
}

func newListEncoder(root tftypes.Object, listAttr string) (*listEncoder, error) {
	list, ok := root.AttributeTypes[listAttr].(tftypes.List)
	if !ok {
		return nil, fmt.Errorf("%s is not a list", listAttr)
	}
	elem, ok := list.ElementType.(tftypes.Object)
	if !ok {
		return nil, fmt.Errorf("the elements of %s are not objects", listAttr)
	}
	for name, typ := range root.AttributeTypes {
		if name != listAttr && !typ.Is(tftypes.String) {
			return nil, fmt.Errorf("%s is not a string", name)
		}
	}
	e := &listEncoder{root: root, listAttr: listAttr, elem: elem}
	e.enc = msgpack.NewEncoder(&e.buf)
	for name, typ := range elem.AttributeTypes {
		if !typ.Is(tftypes.String) {
			return nil, fmt.Errorf("%s.%s is not a string", listAttr, name)
		}
		e.names = append(e.names, name)
	}
	slices.Sort(e.names)
	return e, nil
}

// rowEncoder returns the function that adds one listed object, its
// attributes' values from cols, matched to the schema's attribute order
// once. It panics on a column the schema lacks or misses (a bug, caught by
// every test of the data source).
func rowEncoder[T any](e *listEncoder, cols []column[T]) func(*T) {
	if len(cols) != len(e.names) {
		panic(fmt.Sprintf("%d columns for the %d attributes of %s", len(cols), len(e.names), e.listAttr))
	}
	sorted := make([]column[T], len(e.names))
	for j, name := range e.names {
		i := slices.IndexFunc(cols, func(c column[T]) bool { return c.name == name })
		if i < 0 {
			panic(fmt.Sprintf("no column for %s.%s", e.listAttr, name))
		}
		sorted[j] = cols[i]
	}
	return func(v *T) {
		_ = e.enc.EncodeMapLen(len(sorted))
		for _, col := range sorted {
			_ = e.enc.EncodeString(col.name)
			_ = e.enc.EncodeString(col.value(v))
		}
		e.n++
	}
}

// state returns the encoded state: the root object, the listed objects in
// listAttr.
func (e *listEncoder) state() ([]byte, error) {
	var out bytes.Buffer
	out.Grow(e.buf.Len() + 1024)
	enc := msgpack.NewEncoder(&out)
	names := make([]string, 0, len(e.root.AttributeTypes))
	for name := range e.root.AttributeTypes {
		names = append(names, name)
	}
	slices.Sort(names)
	if err := enc.EncodeMapLen(len(names)); err != nil {
		return nil, err
	}
	for _, name := range names {
		if err := enc.EncodeString(name); err != nil {
			return nil, err
		}
		var err error
		switch v, ok := e.top[name]; {
		case name == e.listAttr:
			if err = enc.EncodeArrayLen(e.n); err == nil {
				_, err = out.Write(e.buf.Bytes())
			}
		case !ok || v.IsNull() || v.IsUnknown():
			err = enc.EncodeNil()
		default:
			err = enc.EncodeString(v.ValueString())
		}
		if err != nil {
			return nil, err
		}
	}
	return out.Bytes(), nil
}

// protoDiagnostics converts framework diagnostics to the protocol's.
func protoDiagnostics(diags diag.Diagnostics) []*tfprotov6.Diagnostic {
	var out []*tfprotov6.Diagnostic
	for _, d := range diags {
		pd := &tfprotov6.Diagnostic{Severity: tfprotov6.DiagnosticSeverityWarning, Summary: d.Summary(), Detail: d.Detail()}
		if d.Severity() == diag.SeverityError {
			pd.Severity = tfprotov6.DiagnosticSeverityError
		}
		if dp, ok := d.(diag.DiagnosticWithPath); ok {
			pd.Attribute = attributePath(dp.Path())
		}
		out = append(out, pd)
	}
	return out
}

// attributePath converts a framework path to the protocol's.
func attributePath(p path.Path) *tftypes.AttributePath {
	ap := tftypes.NewAttributePath()
	for _, step := range p.Steps() {
		switch s := step.(type) {
		case path.PathStepAttributeName:
			ap = ap.WithAttributeName(string(s))
		case path.PathStepElementKeyInt:
			ap = ap.WithElementKeyInt(int(s))
		case path.PathStepElementKeyString:
			ap = ap.WithElementKeyString(string(s))
		default:
			return nil
		}
	}
	return ap
}
