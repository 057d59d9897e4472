package provider

// vb365_protected_users and vb365_protected_user: whose data is in a
// backup. API v8 answers from /ProtectedUsers (what of each user is
// protected); v6 and v7 from /LicensedUsers (whether a backup job processed
// the user, and when last).

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

var (
	_ datasource.DataSourceWithConfigure        = (*protectedUsersDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*protectedUserDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*protectedUserDataSource)(nil)
)

// protectedUserAttrs are the attributes of one user, as vb365_protected_user
// and each element of vb365_protected_users have them.
type protectedUserAttrs struct {
	ID             types.String `tfsdk:"id"`
	MSID           types.String `tfsdk:"msid"`
	DisplayName    types.String `tfsdk:"display_name"`
	Email          types.String `tfsdk:"email"`
	AccountType    types.String `tfsdk:"account_type"`
	IsBackedUp     types.Bool   `tfsdk:"is_backed_up"`
	LastBackupTime types.String `tfsdk:"last_backup_time"`
	LicenseState   types.String `tfsdk:"license_state"`
	Mailbox        types.Bool   `tfsdk:"mailbox"`
	Archive        types.Bool   `tfsdk:"archive"`
	OneDrive       types.Bool   `tfsdk:"onedrive"`
	OneDriveURLs   []string     `tfsdk:"onedrive_urls"`
	SiteURLs       []string     `tfsdk:"site_urls"`
}

// protectedAttrsOf is a protected user (v8): backed up, with what of it.
func protectedAttrsOf(u *vb365.ProtectedUser) protectedUserAttrs {
	return protectedUserAttrs{ID: types.StringValue(u.ID), MSID: optional(u.MSID), DisplayName: types.StringValue(u.DisplayName),
		Email: optional(primaryEmail(u.Mailboxes)), AccountType: optional(u.AccountType), IsBackedUp: types.BoolValue(true),
		LastBackupTime: types.StringNull(), LicenseState: types.StringNull(),
		Mailbox: types.BoolValue(u.HasMailbox()), Archive: types.BoolValue(u.HasArchive()), OneDrive: types.BoolValue(len(u.OneDrives) > 0),
		OneDriveURLs: urlsOf(u.OneDrives, func(o *vb365.ProtectedOneDrive) string { return o.URL }), SiteURLs: urlsOf(u.Sites, siteURL)}
}

// licensedAttrsOf is a licensed user (v6, v7): whether a backup job
// processed it, and when last; what of it is protected is unknowable.
func licensedAttrsOf(u *vb365.LicensedUser) protectedUserAttrs {
	last := types.StringNull()
	if t, ok := u.LastBackup(); ok {
		last = timeValue(t)
	}
	return protectedUserAttrs{ID: types.StringValue(u.ID), MSID: types.StringNull(), DisplayName: types.StringNull(),
		Email: types.StringValue(u.Name), AccountType: types.StringNull(), IsBackedUp: types.BoolValue(u.IsBackedUp),
		LastBackupTime: last, LicenseState: optional(u.LicenseState),
		Mailbox: types.BoolNull(), Archive: types.BoolNull(), OneDrive: types.BoolNull()}
}

// protectedUserAttributes are their schema.
func protectedUserAttributes() map[string]schema.Attribute {
	v8 := " (v8; null with v6 and v7)"
	return computed(map[string]schema.Attribute{
		"is_backed_up": schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the user's data is in a backup: listed in " +
			"`/ProtectedUsers` (v8), or processed by a backup job as its licence says (v6, v7)."},
		"mailbox":       schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the user's mailbox is in the backup" + v8 + "."},
		"archive":       schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the user's archive mailbox is in the backup" + v8 + "."},
		"onedrive":      schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether the user's OneDrive is in the backup" + v8 + "."},
		"onedrive_urls": schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "URLs of the user's protected OneDrives" + v8 + "; null for none."},
		"site_urls":     schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "URLs of the user's protected (personal) sites" + v8 + "; null for none."},
	}, map[string]string{
		"id": "ID of the protected user as `/ProtectedUsers` gives it (v8), or of the licensed user (v6, v7). Whether it equals " +
			"the user's `/Users` ID is not documented: join by `msid` or `email`.",
		"display_name":     "Display name of the user" + v8 + ".",
		"account_type":     "`User`, `SharedMailbox` or `PublicMailbox`" + v8 + ".",
		"last_backup_time": "When a backup job last processed the user, RFC 3339 in UTC (v6, v7; null on v8, whose protected data has no such field).",
		"license_state":    "The user's licence: `Licensed`, `New`, `TemporarilyAssigned` or `Exceeded` (v6, v7; null on v8).",
	})
}

// ---- vb365_protected_users ----

// NewProtectedUsersDataSource lists the users whose data is in a backup.
func NewProtectedUsersDataSource() datasource.DataSource { return &protectedUsersDataSource{} }

type protectedUsersDataSource struct{ dataSourceClient }

type protectedUsersModel struct {
	protectedFilter
	Users []protectedUserListModel `tfsdk:"users"`
}

type protectedUserListModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	protectedUserAttrs
}

func (d *protectedUsersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_protected_users"
}

func (d *protectedUsersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	item := protectedUserAttributes()
	item["msid"] = schema.StringAttribute{Computed: true, MarkdownDescription: "The user's Microsoft Entra object ID: the key that joins it to `vb365_user` (v8; null with v6 and v7)."}
	item["email"] = schema.StringAttribute{Computed: true, MarkdownDescription: "Address of the user's protected mailbox (v8), or the licensed user's name, its mail address (v6, v7)."}
	item["organization_id"] = schema.StringAttribute{Computed: true, MarkdownDescription: "VB365 ID of its organization."}
	attrs := protectedFilterAttributes("users")
	attrs["users"] = schema.ListNestedAttribute{Computed: true, MarkdownDescription: "The users, in the server's order.",
		NestedObject: schema.NestedAttributeObject{Attributes: item}}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the users whose data is in a backup. With REST API v8, `/ProtectedUsers`: each user with what of " +
			"it is protected (mailbox, archive, OneDrive, sites), and every one listed has `is_backed_up = true`. With v6 and v7, " +
			"which have no protected-data lists, `/LicensedUsers`: every user holding a licence, with `is_backed_up` and " +
			"`last_backup_time`, and null where v8 says what is protected; `repository_id` needs v8. Every page is read, 10,000 a " +
			"request. The list is not streamed as `vb365_users` is: for 100,000 users Terraform holds it in memory; to check a " +
			"few users, `vb365_protected_user` keeps the state small.",
		Attributes: attrs,
	}
}

func (d *protectedUsersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg protectedUsersModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	f := cfg.api()
	if !d.client.APIVersion().SupportsProtectedData() {
		if f.RepositoryID != "" {
			needsProtectedData(&resp.Diagnostics, d.client, "Unable to read protected users", "A filter by repository_id", path.Root("repository_id"))
			return
		}
		licensed, err := d.client.ListLicensedUsers(ctx, vb365.LicensedUserFilter{OrganizationID: f.OrganizationID})
		if err != nil {
			addProtectedListError(&resp.Diagnostics, "licensed users", f, err)
			return
		}
		cfg.Users = make([]protectedUserListModel, 0, len(licensed))
		for i := range licensed {
			cfg.Users = append(cfg.Users, protectedUserListModel{OrganizationID: optional(licensed[i].OrganizationID), protectedUserAttrs: licensedAttrsOf(&licensed[i])})
		}
		resp.Diagnostics.Append(resp.State.Set(ctx, cfg)...)
		return
	}
	users, err := d.client.ListProtectedUsers(ctx, f)
	if err != nil {
		addProtectedListError(&resp.Diagnostics, "protected users", f, err)
		return
	}
	cfg.Users = make([]protectedUserListModel, 0, len(users))
	for i := range users {
		cfg.Users = append(cfg.Users, protectedUserListModel{OrganizationID: optional(users[i].OrganizationID), protectedUserAttrs: protectedAttrsOf(&users[i])})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, cfg)...)
}

// ---- vb365_protected_user ----

// NewProtectedUserDataSource looks up whether one user is in a backup.
func NewProtectedUserDataSource() datasource.DataSource { return &protectedUserDataSource{} }

type protectedUserDataSource struct{ dataSourceClient }

type protectedUserModel struct {
	OrganizationID types.String `tfsdk:"organization_id"`
	UserID         types.String `tfsdk:"user_id"`
	protectedUserAttrs
}

func (d *protectedUserDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_protected_user"
}

func (d *protectedUserDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := protectedUserAttributes()
	attrs["organization_id"] = organizationIDAttribute()
	attrs["user_id"] = schema.StringAttribute{Optional: true, Validators: nonEmpty(), MarkdownDescription: "The user's VB365 ID, as `vb365_user` " +
		"gives it. The user is read (one request) for its Microsoft Entra object ID (`msid`, v8) and its mail address, which join it " +
		"to the protected data."}
	attrs["msid"] = schema.StringAttribute{Optional: true, Computed: true, Validators: nonEmpty(), MarkdownDescription: "The user's Microsoft " +
		"Entra object ID (`msid`). As an argument it needs `api_version = \"v8\"`: the licensed users of v6 and v7 carry none."}
	attrs["email"] = schema.StringAttribute{Optional: true, Computed: true, Validators: nonEmpty(), MarkdownDescription: "The user's mail " +
		"address: a protected mailbox's address (v8) or the licensed user's name (v6, v7), matched in full ignoring case."}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up whether one user's data is in a backup, by `user_id`, `msid` or `email` (exactly one). " +
			"A user who is not in a backup is an answer, `is_backed_up = false` with null `id`, not an error; an unknown " +
			"`user_id` is an error.\n\n" +
			"How it joins the directory to the backup: the `/ProtectedUsers` records of v8 carry the user's Microsoft Entra object " +
			"ID (`msid`), which `/Users` carries too (v8), and their own `id`, which the documents do not say equals the `/Users` " +
			"ID; so `msid` is the key, and a protected mailbox's address the fallback where either side lacks it. v6 and v7 have " +
			"no protected-data lists and no `msid` in `/Users`: their answer is the licensed user (`/LicensedUsers`) whose name is " +
			"the user's mail address.\n\n" +
			"What it costs: with v8, the organization's protected users are read until the user's `msid` is met, 10,000 a request " +
			"(by `email` alone, all of them); with v6 and v7, one request. By `user_id`, one request more. To check many users, " +
			"one `vb365_protected_users` list is cheaper.",
		Attributes: attrs,
	}
}

func (d *protectedUserDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(path.MatchRoot("user_id"), path.MatchRoot("msid"), path.MatchRoot("email"))}
}

func (d *protectedUserDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg protectedUserModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orgID := cfg.OrganizationID.ValueString()
	givenMSID, givenEmail := cfg.MSID, cfg.Email
	key := vb365.ProtectedKey{MSID: givenMSID.ValueString(), Email: givenEmail.ValueString()}
	if key.MSID != "" && !needsProtectedData(&resp.Diagnostics, d.client, "Unable to look up the protected user", "A lookup by msid", path.Root("msid")) {
		return
	}
	if id := cfg.UserID.ValueString(); id != "" {
		u, err := d.client.GetUser(ctx, orgID, id)
		if err != nil {
			addUserIDError(&resp.Diagnostics, orgID, id, err)
			return
		}
		key = vb365.ProtectedKey{MSID: u.MSID, Email: u.Name}
	}
	p, err := d.client.UserProtectionOf(ctx, orgID, key)
	if err != nil {
		addProtectedUserError(&resp.Diagnostics, orgID, cfg, err)
		return
	}
	switch {
	case p.Protected != nil:
		cfg.protectedUserAttrs = protectedAttrsOf(p.Protected)
	case p.Licensed != nil:
		cfg.protectedUserAttrs = licensedAttrsOf(p.Licensed)
	default:
		// Not in a backup: what the lookup knew of the user, the rest null.
		cfg.protectedUserAttrs = protectedUserAttrs{IsBackedUp: types.BoolValue(false), Email: optional(key.Email), MSID: types.StringNull()}
		if d.client.APIVersion().SupportsProtectedData() {
			cfg.MSID = optional(key.MSID)
		}
	}
	// An argument keeps the spelling the configuration gave it.
	if !givenEmail.IsNull() {
		cfg.Email = givenEmail
	}
	if !givenMSID.IsNull() {
		cfg.MSID = givenMSID
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, cfg)...)
}

// addUserIDError explains a user_id that names no user.
func addUserIDError(diags *diag.Diagnostics, orgID, id string, err error) {
	switch {
	case vb365.IsOrganizationNotFound(err):
		addOrganizationNotFound(diags, "Unable to read the user", "", orgID)
	case errors.Is(err, vb365.ErrNotFound):
		diags.AddAttributeError(path.Root("user_id"), "Unable to find user",
			fmt.Sprintf("Organization %s has no user with ID %q. IDs are opaque strings exactly as vb365_user and vb365_users return them; "+
				"the user may have been removed from the organization.", orgID, id))
	default:
		addAPIError(diags, "read", "the user", err)
	}
}

// addProtectedUserError explains a failed protection lookup.
func addProtectedUserError(diags *diag.Diagnostics, orgID string, cfg protectedUserModel, err error) {
	var amb *vb365.AmbiguousError
	switch {
	case vb365.IsOrganizationNotFound(err):
		addOrganizationNotFound(diags, "Unable to look up the protected user", "", orgID)
	case errors.As(err, &amb):
		var b strings.Builder
		fmt.Fprintf(&b, "More than one protected user of organization %s has a mailbox at %s:\n", orgID, amb.Value)
		for _, m := range amb.Matches {
			fmt.Fprintf(&b, "  - %q (id %s)\n", m.DisplayName, m.ID)
		}
		b.WriteString("\nLook the user up by user_id or msid instead.")
		attr := "email"
		if !cfg.UserID.IsNull() {
			attr = "user_id"
		}
		diags.AddAttributeError(path.Root(attr), "Unable to identify the protected user", b.String())
	default:
		addAPIError(diags, "look up", "the protected user", err)
	}
}
