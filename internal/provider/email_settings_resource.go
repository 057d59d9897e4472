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
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

// emailSettingsOps is one singleton: M its model (emailSettingsModel, or a
// struct that embeds it), S what the client reads, U what it writes.
type emailSettingsOps[M, S, U any] struct {
	// shared returns the shared attributes of a model, and of an answer.
	shared       func(m *M) *emailSettingsModel
	sharedAnswer func(s *S) *vb365.EmailSettings
	// toAPI builds the PUT from the plan (prior is nil on create) and names
	// the secrets it sends; fromAPI maps an answer into a model, keeping
	// what the server never returns from keep.
	toAPI   func(ctx context.Context, plan, cfg M, prior *M) (U, []string, diag.Diagnostics)
	fromAPI func(got *S, keep M, oauth bool) (M, diag.Diagnostics)
	// readBack checks, after a PUT, what the singleton adds to the shared
	// attributes (keepPlanned into bad).
	readBack func(got *S, plan M, state *M, bad *[]string)
	// fields names the fields of a PUT for the debug log.
	fields func(u U) []string
	// get, put and disable talk to the client (method expressions, hence
	// the client first); disable is the PUT of Delete.
	get     func(c *vb365.Client, ctx context.Context) (*S, error)
	put     func(c *vb365.Client, ctx context.Context, u U) error
	disable U
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
	validateEmailSettings(r.kind, *r.ops.shared(&cfg), &resp.Diagnostics)
}

// ModifyPlan refuses OAuth on REST API v6 and keeps the server-reported
// OAuth status while the sign-in does not change (modifyEmailSettingsPlan).
func (r *emailSettingsResource[M, S, U]) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	modifyEmailSettingsPlan(ctx, r.kind, r.client, r.ops.shared, req, resp)
}

// apply PUTs the plan and reads the settings back into the new state.
func (r *emailSettingsResource[M, S, U]) apply(ctx context.Context, action string, plan, cfg M, prior *M, diags *diag.Diagnostics) *M {
	u, secrets, d := r.ops.toAPI(ctx, plan, cfg, prior)
	diags.Append(d...)
	if diags.HasError() {
		return nil
	}
	tflog.Debug(ctx, "Writing the "+r.kind.noun, map[string]any{"fields": r.ops.fields(u), "secrets_sent": secrets})
	if err := r.ops.put(r.client, ctx, u); err != nil {
		r.addWriteError(diags, action, err)
		return nil
	}
	got, err := r.ops.get(r.client, ctx)
	if err != nil {
		addAPIError(diags, "read back", r.kind.noun, err)
		return nil
	}
	state, d := r.ops.fromAPI(got, plan, r.client.APIVersion().SupportsEmailOAuth())
	diags.Append(d...)
	var bad []string
	r.ops.readBack(got, plan, &state, &bad)
	if !checkReadBack(r.kind, action, r.ops.sharedAnswer(got), *r.ops.shared(&plan), r.ops.shared(&state), diags, bad) {
		return nil
	}
	return &state
}

func (r *emailSettingsResource[M, S, U]) addWriteError(diags *diag.Diagnostics, action string, err error) {
	summary := "Unable to " + action + " " + r.kind.noun
	switch {
	case errors.Is(err, vb365.ErrUnsupported):
		diags.AddError(summary,
			err.Error()+"\n\nSet api_version = \"v8\" (or \"v7\") in the provider block, or use authentication_type = \"CustomSmtp\" without user_id, request_id and mail_api_url.")
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
	}
}

func (r *emailSettingsResource[M, S, U]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var prior M
	resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	got, err := r.ops.get(r.client, ctx)
	if err != nil {
		// A singleton cannot be gone; every error is reported.
		addAPIError(&resp.Diagnostics, "read", r.kind.noun, err)
		return
	}
	state, d := r.ops.fromAPI(got, prior, r.client.APIVersion().SupportsEmailOAuth())
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
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
	}
}

// Delete turns the notifications off and leaves the other settings on the
// server (there is nothing to delete: the server always has settings).
// When that fails the resource stays in the state.
func (r *emailSettingsResource[M, S, U]) Delete(ctx context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	if err := r.ops.put(r.client, ctx, r.ops.disable); err != nil {
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
