package provider

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
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
// over: the model Read built, the framework values State.Set makes of it by
// reflection, a deep copy for semantic equality and an equality walk, then
// the MessagePack it sends. Over 100,007 users the provider's peak RSS is
// 598–720 MiB that way, 142–144 MiB streamed (docs/guides/performance.md).
// For these data sources the provider answers ReadDataSource itself
// (protocol_server.go): each page of the server's answer is encoded to
// MessagePack as it arrives and then dropped, so memory is one page plus the
// encoded state. DESIGN.md ("The protocol read") says what guards it and
// when it goes.
//
// The framework still validates the configuration (ValidateDataSourceConfig
// is its RPC), and it answers ReadDataSource, with the data source's own
// Read and State.Set, whenever a streamed read cannot: a configuration that
// is not wholly known, an unconfigured provider, or a schema that is not
// exactly the one the encoder knows (checkSchema).

// column is one string attribute of a listed object of type T.
type column[T any] struct {
	name  string
	value func(*T) string
}

func columnNames[T any](cols []column[T]) []string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	return names
}

// streamedList is one data source read by streaming.
type streamedList struct {
	listAttr string
	top      []string // the string attributes the state repeats from the configuration
	columns  []string // the string attributes of each listed object, as list's columns name them
	// schema is the data source's schema; a test replaces it to change the
	// schema under the encoder.
	schema func(context.Context) schema.Schema
	// list reads the configuration, sets out.top, and hands every listed
	// object to a rowEncoder of the columns named by columns.
	list func(ctx context.Context, c *vb365.Client, config tfsdk.Config, out *listEncoder) diag.Diagnostics

	once     sync.Once
	mismatch error        // why the schema is not the one the encoder knows; nil when it is
	config   tfsdk.Config // the schema, with no value
	typ      tftypes.Object
	rootKeys []string // the state's attribute names, sorted
	rowOrder []int    // the indexes in columns of the listed objects' attribute names, sorted
}

// newStreamedLists returns the data sources a protocolServer streams, by
// type name; each server has its own, so its schema is checked once per
// server (one per provider process).
func newStreamedLists() map[string]*streamedList {
	return map[string]*streamedList{
		"vb365_users": {
			listAttr: "users",
			top:      slices.Sorted(maps.Keys((&usersModel{}).top())),
			columns:  columnNames(userColumns),
			schema:   dataSourceSchema(NewUsersDataSource),
			list:     streamUsers,
		},
	}
}

// dataSourceSchema returns the schema of the data sources newDataSource makes.
func dataSourceSchema(newDataSource func() datasource.DataSource) func(context.Context) schema.Schema {
	return func(ctx context.Context) schema.Schema {
		var resp datasource.SchemaResponse
		newDataSource().Schema(ctx, datasource.SchemaRequest{}, &resp)
		return resp.Schema
	}
}

// init reads the schema and checks it against what the encoder knows, once.
func (sl *streamedList) init(ctx context.Context) {
	sl.once.Do(func() {
		s := sl.schema(ctx)
		typ := s.Type().TerraformType(ctx)
		if sl.mismatch = checkSchema(typ, sl.listAttr, sl.top, sl.columns); sl.mismatch != nil {
			return
		}
		sl.config = tfsdk.Config{Schema: s}
		sl.typ, _ = typ.(tftypes.Object)
		sl.rootKeys = slices.Sorted(maps.Keys(sl.typ.AttributeTypes))
		for _, name := range slices.Sorted(slices.Values(sl.columns)) {
			sl.rowOrder = append(sl.rowOrder, slices.Index(sl.columns, name))
		}
	})
}

// checkSchema returns why typ is not the state the encoder writes: an
// object of exactly the string attributes top and listAttr, a list of
// objects of exactly the string attributes columns. Any other schema (an
// attribute added, removed, renamed or of another type) is read by the
// framework.
func checkSchema(typ tftypes.Type, listAttr string, top, columns []string) error {
	root, ok := typ.(tftypes.Object)
	if !ok {
		return errors.New("the state is not an object")
	}
	list, ok := root.AttributeTypes[listAttr].(tftypes.List)
	if !ok {
		return fmt.Errorf("%s is not a list", listAttr)
	}
	elem, ok := list.ElementType.(tftypes.Object)
	if !ok {
		return fmt.Errorf("the elements of %s are not objects", listAttr)
	}
	if err := stringAttributes(root.AttributeTypes, append([]string{listAttr}, top...), listAttr); err != nil {
		return err
	}
	if err := stringAttributes(elem.AttributeTypes, columns, ""); err != nil {
		return fmt.Errorf("%s: %w", listAttr, err)
	}
	return nil
}

// stringAttributes returns why attrs are not exactly names, each a string
// but other.
func stringAttributes(attrs map[string]tftypes.Type, names []string, other string) error {
	for _, name := range names {
		typ, ok := attrs[name]
		switch {
		case !ok:
			return fmt.Errorf("the schema has no %s", name)
		case name != other && !typ.Is(tftypes.String):
			return fmt.Errorf("%s is not a string", name)
		}
	}
	for name := range attrs {
		if !slices.Contains(names, name) {
			return fmt.Errorf("the encoder does not know %s", name)
		}
	}
	return nil
}

// read answers req; ok is false when the framework must: a schema the
// encoder does not know, a configuration that is not wholly known or does
// not decode, or a state that does not encode.
func (sl *streamedList) read(ctx context.Context, c *vb365.Client, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, bool) {
	sl.init(ctx)
	if sl.mismatch != nil {
		tflog.Warn(ctx, "The schema is not the one the streamed read knows; the framework reads the data source", map[string]any{"data_source": req.TypeName, "mismatch": sl.mismatch.Error()})
		return nil, false
	}
	if req.Config == nil {
		return nil, false
	}
	raw, err := req.Config.Unmarshal(sl.typ)
	if err != nil || !raw.IsFullyKnown() {
		return nil, false
	}
	config := sl.config
	config.Raw = raw
	out := &listEncoder{sl: sl}
	out.enc = msgpack.NewEncoder(&out.buf)
	diags := sl.list(ctx, c, config, out)
	resp := &tfprotov6.ReadDataSourceResponse{Diagnostics: protoDiagnostics(diags)}
	if diags.HasError() {
		// The framework sends the configuration as the state of a
		// failed read; so does this (Terraform ignores it).
		if state, err := tfprotov6.NewDynamicValue(sl.typ, raw); err == nil {
			resp.State = &state
		}
		return resp, true
	}
	state, err := out.state()
	if err != nil { // writing to memory: not seen, but the framework can answer
		tflog.Warn(ctx, "The streamed read could not encode the state; the framework reads the data source", map[string]any{"data_source": req.TypeName, "error": err.Error()})
		return nil, false
	}
	resp.State = &tfprotov6.DynamicValue{MsgPack: state}
	tflog.Debug(ctx, "Read a list data source streamed", map[string]any{"data_source": req.TypeName, "objects": out.n, "state_bytes": len(state)})
	return resp, true
}

// listEncoder encodes a list data source's state as MessagePack, the way
// tftypes does (objects as maps with their attributes in sorted order):
// the listed objects as they come, then the state around them.
type listEncoder struct {
	sl  *streamedList
	top map[string]types.String // the top attributes' values; absent or null: null

	buf bytes.Buffer // the encoded objects
	enc *msgpack.Encoder
	n   int
}

// rowEncoder returns the function that adds one listed object, its
// attributes' values from cols: the columns e's streamedList names (its
// columns are columnNames of the same slice), in the schema's order.
func rowEncoder[T any](e *listEncoder, cols []column[T]) func(*T) {
	sorted := make([]column[T], len(e.sl.rowOrder))
	for j, i := range e.sl.rowOrder {
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
	if err := enc.EncodeMapLen(len(e.sl.rootKeys)); err != nil {
		return nil, err
	}
	for _, name := range e.sl.rootKeys {
		if err := enc.EncodeString(name); err != nil {
			return nil, err
		}
		var err error
		switch v, ok := e.top[name]; {
		case name == e.sl.listAttr:
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
