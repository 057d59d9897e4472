package provider

// The CRUD both e-mail settings singletons share. A singleton supplies its
// emailSettingsKind (names), its schema and an emailSettingsOps (model and
// client types, and what it adds to the shared mapping).

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

// emailSettingsOps is one singleton: M its model (one that embeds
// emailAccountModel), S what the client reads, U what it writes.
type emailSettingsOps[M, S, U any] struct {
	// account returns the account of a model; answer the shared part of
	// what the server answered.
	account func(m *M) *emailAccountModel
	answer  func(s *S) *vb365.EmailSettings
	// validate checks, at plan time, the rules that join attributes.
	validate func(k emailSettingsKind, cfg M, diags *diag.Diagnostics)
	// toAPI builds the PUT from the plan (prior is nil on create) and names
	// the secrets it sends; fromAPI maps an answer into a model, keeping
	// what the server never returns from keep.
	toAPI   func(ctx context.Context, plan, cfg M, prior *M) (U, []string, diag.Diagnostics)
	fromAPI func(got *S, keep M, oauth bool) (M, diag.Diagnostics)
	// readBack checks, after a PUT, what the singleton adds to the account
	// (keepPlanned into bad).
	readBack func(got *S, plan M, state *M, bad *[]string)
	// fields names the fields of a PUT for the debug log.
	fields func(u U) []string
	// get and put talk to the client; m is the model they act for (the
	// plan, or the state), which names the object when a type has several.
	get func(c *vb365.Client, ctx context.Context, m *M) (*S, error)
	put func(c *vb365.Client, ctx context.Context, m *M, u U) error
	// disable is the PUT of Delete, for the state being destroyed.
	disable func(state M) U
	// again, when set, may ask for a second PUT after the first one and its
	// read-back (got, or err when either failed): for a server that refused
	// or dropped part of what it was sent.
	again func(got *S, err error, plan M, sent U) (U, bool)
	// identity, when set, writes the resource identity of a state.
	identity func(ctx context.Context, state *M, dst *tfsdk.ResourceIdentity, diags *diag.Diagnostics)
}

// only adapts a client call of a type's one object to get and put, which
// are told which object they act for.
func only[M, R any](f func(*vb365.Client, context.Context) (R, error)) func(*vb365.Client, context.Context, *M) (R, error) {
	return func(c *vb365.Client, ctx context.Context, _ *M) (R, error) { return f(c, ctx) }
}

// onlyPut is only for a PUT.
func onlyPut[M, U any](f func(*vb365.Client, context.Context, U) error) func(*vb365.Client, context.Context, *M, U) error {
	return func(c *vb365.Client, ctx context.Context, _ *M, u U) error { return f(c, ctx, u) }
}

type emailSettingsResource[M, S, U any] struct {
	resourceClient
	kind   emailSettingsKind
	schema func() schema.Schema
	ops    emailSettingsOps[M, S, U]
}

func (r *emailSettingsResource[M, S, U]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + r.kind.typeName[len("vb365"):]
}

func (r *emailSettingsResource[M, S, U]) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.schema()
}

// ValidateConfig checks the rules that join several attributes.
func (r *emailSettingsResource[M, S, U]) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg M
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.ops.validate(r.kind, cfg, &resp.Diagnostics)
}

// ModifyPlan refuses OAuth on versions without it and keeps the
// server-reported OAuth status while the sign-in does not change
// (modifyEmailSettingsPlan).
func (r *emailSettingsResource[M, S, U]) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	modifyEmailSettingsPlan(ctx, r.kind, r.client, r.ops.account, req, resp)
}

// apply PUTs the plan and reads the settings back into the new state.
func (r *emailSettingsResource[M, S, U]) apply(ctx context.Context, action string, plan, cfg M, prior *M, diags *diag.Diagnostics) *M {
	u, secrets, d := r.ops.toAPI(ctx, plan, cfg, prior)
	diags.Append(d...)
	if diags.HasError() {
		return nil
	}
	tflog.Debug(ctx, "Writing the "+r.kind.noun, map[string]any{"fields": r.ops.fields(u), "secrets_sent": secrets})
	got, wrote, err := r.write(ctx, plan, u)
	if r.ops.again != nil {
		if u2, ok := r.ops.again(got, err, plan, u); ok {
			tflog.Debug(ctx, "Writing the "+r.kind.noun+" again", map[string]any{"fields": r.ops.fields(u2), "first": fmt.Sprint(err)})
			got, wrote, err = r.write(ctx, plan, u2)
		}
	}
	switch {
	case err != nil && !wrote:
		r.addWriteError(diags, action, err)
		return nil
	case err != nil:
		addAPIError(diags, "read back", r.kind.noun, err)
		return nil
	}
	state, d := r.ops.fromAPI(got, plan, r.kind.oauth(r.client.APIVersion()))
	diags.Append(d...)
	var bad []string
	r.ops.readBack(got, plan, &state, &bad)
	if !checkReadBack(r.kind, action, r.ops.answer(got), *r.ops.account(&plan), r.ops.account(&state), diags, bad) {
		return nil
	}
	return &state
}

// write PUTs u and reads the settings back; wrote says whether the PUT
// succeeded (an error is then the read's).
func (r *emailSettingsResource[M, S, U]) write(ctx context.Context, plan M, u U) (got *S, wrote bool, err error) {
	if err := r.ops.put(r.client, ctx, &plan, u); err != nil {
		return nil, false, err
	}
	got, err = r.ops.get(r.client, ctx, &plan)
	return got, true, err
}

func (r *emailSettingsResource[M, S, U]) addWriteError(diags *diag.Diagnostics, action string, err error) {
	summary := "Unable to " + action + " " + r.kind.noun
	switch {
	case errors.Is(err, vb365.ErrUnsupported):
		diags.AddError(summary,
			err.Error()+"\n\n"+r.kind.oauthFix)
	case errors.Is(err, vb365.ErrBadRequest):
		diags.AddError(summary, explain(err)+"\n\nThe VB365 server refused the settings; the message above says which one.")
	default:
		addAPIError(diags, action, r.kind.noun, err)
	}
}

func (r *emailSettingsResource[M, S, U]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, cfg M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if state := r.apply(ctx, "create", plan, cfg, nil, &resp.Diagnostics); state != nil {
		resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
		r.setIdentity(ctx, state, resp.Identity, &resp.Diagnostics)
	}
}

func (r *emailSettingsResource[M, S, U]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var prior M
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, err := r.ops.get(r.client, ctx, &prior)
	if err != nil {
		// A singleton cannot be gone; every error is reported.
		addAPIError(&resp.Diagnostics, "read", r.kind.noun, err)
		return
	}
	state, d := r.ops.fromAPI(got, prior, r.kind.oauth(r.client.APIVersion()))
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	r.setIdentity(ctx, &state, resp.Identity, &resp.Diagnostics)
}

func (r *emailSettingsResource[M, S, U]) setIdentity(ctx context.Context, state *M, dst *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	if r.ops.identity != nil {
		r.ops.identity(ctx, state, dst, diags)
	}
}

func (r *emailSettingsResource[M, S, U]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, cfg, prior M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if state := r.apply(ctx, "update", plan, cfg, &prior, &resp.Diagnostics); state != nil {
		resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
		r.setIdentity(ctx, state, resp.Identity, &resp.Diagnostics)
	}
}

// Delete turns the notifications off and leaves the other settings on the
// server (there is nothing to delete: the server always has settings).
// When that fails the resource stays in the state.
func (r *emailSettingsResource[M, S, U]) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state M
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if err := r.ops.put(r.client, ctx, &state, r.ops.disable(state)); err != nil {
		resp.Diagnostics.AddError("Unable to delete "+r.kind.noun,
			explain(err)+"\n\nDestroying "+r.kind.typeName+" turns the "+r.kind.mails+" off (enableNotification = false). "+
				"That failed, so the resource stays in the state: fix the cause and destroy again, or run terraform state rm to "+
				"leave the server's settings as they are.")
	}
}

func (r *emailSettingsResource[M, S, U]) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID != r.kind.id {
		resp.Diagnostics.AddError("Unable to import "+r.kind.noun,
			fmt.Sprintf("The import ID must be %q (a VB365 server has one %s object), not %q:\n\n"+
				"  terraform import %s.this %s", r.kind.id, r.kind.noun, req.ID, r.kind.typeName, r.kind.id))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), r.kind.id)...)
}
