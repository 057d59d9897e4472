package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

var (
	_ datasource.DataSourceWithConfigure        = (*backupRepositoryDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*backupRepositoryDataSource)(nil)
)

// NewBackupRepositoryDataSource finds one backup repository by ID or name.
func NewBackupRepositoryDataSource() datasource.DataSource { return &backupRepositoryDataSource{} }

type backupRepositoryDataSource struct {
	dataSourceClient
}

// backupRepositoryModel is one repository: the singular data source's state
// and an element of vb365_backup_repositories.
type backupRepositoryModel struct {
	ID                         types.String `tfsdk:"id"`
	Name                       types.String `tfsdk:"name"`
	Description                types.String `tfsdk:"description"`
	Path                       types.String `tfsdk:"path"`
	ProxyID                    types.String `tfsdk:"proxy_id"`
	ProxyPoolID                types.String `tfsdk:"proxy_pool_id"`
	OrganizationID             types.String `tfsdk:"organization_id"`
	RetentionType              types.String `tfsdk:"retention_type"`
	RetentionPeriodType        types.String `tfsdk:"retention_period_type"`
	RetentionDays              types.Int64  `tfsdk:"retention_days"`
	RetentionMonths            types.Int64  `tfsdk:"retention_months"`
	RetentionYears             types.Int64  `tfsdk:"retention_years"`
	RetentionKeepForever       types.Bool   `tfsdk:"retention_keep_forever"`
	EncryptionEnabled          types.Bool   `tfsdk:"encryption_enabled"`
	EncryptionKeyID            types.String `tfsdk:"encryption_key_id"`
	ImmutabilityEnabled        types.Bool   `tfsdk:"immutability_enabled"`
	ImmutabilityPeriodDays     types.Int64  `tfsdk:"immutability_period_days"`
	ImmutabilityGovernanceMode types.Bool   `tfsdk:"immutability_governance_mode"`
	ObjectStorageID            types.String `tfsdk:"object_storage_id"`
	ObjectStorageName          types.String `tfsdk:"object_storage_name"`
	ObjectStorageType          types.String `tfsdk:"object_storage_type"`
	ObjectStorageBucket        types.String `tfsdk:"object_storage_bucket"`
	ObjectStorageFolder        types.String `tfsdk:"object_storage_folder"`
	IsLongTerm                 types.Bool   `tfsdk:"is_long_term"`
	IsOutOfSync                types.Bool   `tfsdk:"is_out_of_sync"`
	CapacityBytes              types.Int64  `tfsdk:"capacity_bytes"`
	FreeSpaceBytes             types.Int64  `tfsdk:"free_space_bytes"`
	UsedSpaceBytes             types.Int64  `tfsdk:"used_space_bytes"`
}

// backupRepositoryAttributes is the schema of one repository; the
// singular data source makes id and name settable.
func backupRepositoryAttributes() map[string]schema.Attribute {
	str := func(d string) schema.Attribute { return schema.StringAttribute{Computed: true, MarkdownDescription: d} }
	num := func(d string) schema.Attribute { return schema.Int64Attribute{Computed: true, MarkdownDescription: d} }
	flag := func(d string) schema.Attribute { return schema.BoolAttribute{Computed: true, MarkdownDescription: d} }
	return map[string]schema.Attribute{
		"id":              str("VB365 ID of the repository."),
		"name":            str("Name of the repository."),
		"description":     str("Description entered in VB365."),
		"path":            str("Folder of a JET repository on its proxy, or the local cache folder of an object storage repository."),
		"proxy_id":        str("ID of the backup proxy the repository belongs to (see `vb365_backup_proxies`); empty when it belongs to a proxy pool."),
		"proxy_pool_id":   str("ID of the proxy pool the repository belongs to (v8; empty before)."),
		"organization_id": str("ID of the organization the repository is assigned to (v8; empty before, and when it is not assigned)."),
		"retention_type":  str("`ItemLevel` or `SnapshotBased`."),
		"retention_period_type": str("`Daily`, `Monthly` or `Yearly`: which of `retention_days`, `retention_months` and " +
			"`retention_years` (or `retention_keep_forever`) holds the retention period."),
		"retention_days":         num("Retention period in days, when `retention_period_type` is `Daily`; null otherwise."),
		"retention_months":       num("Retention period in months, when `retention_period_type` is `Monthly`; null otherwise."),
		"retention_years":        num("Retention period in years, when `retention_period_type` is `Yearly` and backups are not kept forever; null otherwise."),
		"retention_keep_forever": flag("Whether backups are never removed (a yearly retention of `Keep`)."),
		"encryption_enabled": flag("Whether the backups in object storage are encrypted (`objectStorageEncryptionEnabled`). " +
			"False when the server does not say, so a check that requires encryption fails rather than passes."),
		"encryption_key_id": str("ID of the encryption key (password) in use; empty when encryption is off."),
		"immutability_enabled": flag("Whether the object storage keeps backups immutable (Object Lock). False for a JET repository; " +
			"null on REST API v6, which does not say."),
		"immutability_period_days": num("Immutability period in days (v8; null before, and when immutability is off). " +
			"0 means the retention period."),
		"immutability_governance_mode": flag("Whether immutability is in governance mode rather than compliance mode (v8; null " +
			"before, and when immutability is off)."),
		"object_storage_id":     str("ID of the object storage; empty for a JET repository."),
		"object_storage_name":   str("Name of the object storage (v6 and v7, where it is an object of its own; empty in v8)."),
		"object_storage_type":   str("`AzureBlob`, `AmazonS3`, `AmazonS3Compatible`, `AzureBlobArchive`, `AmazonS3Glacier`, `WasabiCloud` or `IBMCloud`; empty for a JET repository."),
		"object_storage_bucket": str("Bucket (Amazon, S3 compatible) or container (Azure) of the object storage."),
		"object_storage_folder": str("Folder in the bucket or container."),
		"is_long_term":          flag("Whether the repository is a long-term (archive tier) one; false when the server does not say."),
		"is_out_of_sync":        flag("Whether VB365 reports the repository's cache out of sync with its object storage; false when the server does not say."),
		"capacity_bytes": num("Capacity in bytes: the volume of a JET repository, or the size limit of an object storage " +
			"repository (null when it has none)."),
		"free_space_bytes": num("Free space in bytes: on the volume of a JET repository, or under the size limit of an object " +
			"storage repository (null when it has none)."),
		"used_space_bytes": num("Space used in bytes: in the object storage, or capacity minus free space on a JET volume."),
	}
}

// backupRepositoryValue is a repository as the data sources show it.
func backupRepositoryValue(r *vb365.BackupRepository) backupRepositoryModel {
	m := backupRepositoryModel{
		ID:                   types.StringValue(r.ID),
		Name:                 types.StringValue(r.Name),
		Description:          types.StringValue(r.Description),
		Path:                 types.StringValue(r.Path),
		ProxyID:              types.StringValue(r.ProxyID),
		ProxyPoolID:          types.StringValue(r.ProxyPoolID),
		OrganizationID:       types.StringValue(r.OrganizationID),
		RetentionType:        types.StringValue(r.RetentionType),
		RetentionPeriodType:  types.StringValue(r.RetentionPeriodType),
		RetentionDays:        types.Int64Null(),
		RetentionMonths:      types.Int64Null(),
		RetentionYears:       types.Int64Null(),
		RetentionKeepForever: types.BoolValue(r.KeepsForever()),
		EncryptionEnabled:    types.BoolValue(r.EncryptionEnabled != nil && *r.EncryptionEnabled),
		EncryptionKeyID:      types.StringValue(r.EncryptionKeyID),
		// A JET repository is not immutable; an object storage one says so
		// from v7 (below).
		ImmutabilityEnabled:        types.BoolValue(false),
		ImmutabilityPeriodDays:     types.Int64Null(),
		ImmutabilityGovernanceMode: types.BoolNull(),
		ObjectStorageID:            types.StringValue(r.ObjectStorageID),
		ObjectStorageName:          types.StringValue(""),
		ObjectStorageType:          types.StringValue(""),
		ObjectStorageBucket:        types.StringValue(""),
		ObjectStorageFolder:        types.StringValue(""),
		IsLongTerm:                 types.BoolValue(r.IsLongTerm != nil && *r.IsLongTerm),
		IsOutOfSync:                types.BoolValue(r.IsOutOfSync != nil && *r.IsOutOfSync),
		CapacityBytes:              types.Int64PointerValue(r.CapacityBytes),
		FreeSpaceBytes:             types.Int64PointerValue(r.FreeSpaceBytes),
		UsedSpaceBytes:             types.Int64Null(),
	}
	switch {
	case strings.EqualFold(r.RetentionPeriodType, "Daily") && r.DailyRetentionPeriod != nil:
		m.RetentionDays = types.Int64Value(int64(*r.DailyRetentionPeriod))
	case strings.EqualFold(r.RetentionPeriodType, "Monthly") && r.MonthlyRetentionPeriod != nil:
		m.RetentionMonths = types.Int64Value(int64(*r.MonthlyRetentionPeriod))
	default:
		if y, ok := r.RetentionYears(); ok {
			m.RetentionYears = types.Int64Value(int64(y))
		}
	}
	if r.CapacityBytes != nil && r.FreeSpaceBytes != nil {
		m.UsedSpaceBytes = types.Int64Value(*r.CapacityBytes - *r.FreeSpaceBytes)
	}
	if o := r.ObjectStorage; o != nil {
		m.ObjectStorageName = types.StringValue(o.Name)
		m.ObjectStorageType = types.StringValue(o.Type)
		m.ObjectStorageBucket = types.StringValue(o.Bucket)
		m.ObjectStorageFolder = types.StringValue(o.Folder)
		m.ImmutabilityEnabled = types.BoolPointerValue(o.ImmutabilityEnabled)
		if o.ImmutabilityEnabled != nil && *o.ImmutabilityEnabled {
			m.ImmutabilityPeriodDays = types.Int64PointerValue(o.ImmutabilityPeriodDays)
			m.ImmutabilityGovernanceMode = types.BoolPointerValue(o.ImmutabilityGovernanceMode)
		}
		m.CapacityBytes, m.FreeSpaceBytes = types.Int64Null(), types.Int64PointerValue(o.FreeSpaceBytes)
		if o.SizeLimitEnabled != nil && *o.SizeLimitEnabled && o.SizeLimitGB != nil {
			m.CapacityBytes = types.Int64Value(*o.SizeLimitGB << 30)
		}
		m.UsedSpaceBytes = types.Int64PointerValue(o.UsedSpaceBytes)
	}
	return m
}

func (d *backupRepositoryDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_backup_repository"
}

func (d *backupRepositoryDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := backupRepositoryAttributes()
	attrs["id"] = schema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: "VB365 ID of the repository.",
		Validators: []validator.String{stringvalidator.LengthAtLeast(1), idValidator{}}}
	attrs["name"] = schema.StringAttribute{Optional: true, Computed: true, MarkdownDescription: "Name of the repository, matched in full ignoring case.",
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)}}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds one backup repository, by `id` or by `name` (exactly one of the two), with its retention, " +
			"encryption, immutability, object storage and space: where backed-up data lives and how it is protected at rest. " +
			"REST API v6 and later.",
		Attributes: attrs,
	}
}

func (d *backupRepositoryDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (d *backupRepositoryDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg backupRepositoryModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var (
		r   *vb365.BackupRepository
		err error
		by  = lookupKey{attr: "id", value: cfg.ID.ValueString()}
	)
	if !cfg.ID.IsNull() {
		r, err = d.client.GetBackupRepository(ctx, by.value)
	} else {
		by = lookupKey{attr: "name", value: cfg.Name.ValueString()}
		r, err = d.client.FindBackupRepositoryByName(ctx, by.value)
	}
	if err != nil {
		addRepositoryLookupError(&resp.Diagnostics, by, err)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, backupRepositoryValue(r))...)
}

// addRepositoryLookupError explains a failed lookup of one repository: none
// with that ID or name, several with that name (listing them), or another
// failure (an object storage the repository names and the server lacks is
// one of those, not a missing repository).
func addRepositoryLookupError(diags *diag.Diagnostics, by lookupKey, err error) {
	var (
		nf  *vb365.NotFoundError
		amb *vb365.AmbiguousError
	)
	switch {
	case errors.As(err, &nf) && nf.Kind == vb365.KindRepository:
		what := fmt.Sprintf("with ID %q", by.value)
		hint := "IDs are opaque strings exactly as the vb365_backup_repositories data source returns them; the repository may have been removed."
		if by.attr == "name" {
			what = fmt.Sprintf("named %q", by.value)
			hint = "The name is matched in full, ignoring case. The vb365_backup_repositories data source lists the repositories there are."
		}
		diags.AddAttributeError(path.Root(by.attr), "Unable to find backup repository",
			fmt.Sprintf("%s = %q matches no backup repository: VB365 has none %s.\n\n%s", by.attr, by.value, what, hint))
	case errors.As(err, &amb):
		var b strings.Builder
		fmt.Fprintf(&b, "%d backup repositories are named %q; %s must identify exactly one:\n", len(amb.Matches), amb.Value, by.attr)
		for _, m := range amb.Matches {
			fmt.Fprintf(&b, "  - %s (id %s)\n", m.Name, m.ID)
		}
		b.WriteString("\nSet id instead to choose one of them.")
		diags.AddAttributeError(path.Root(by.attr), "Unable to identify backup repository", b.String())
	default:
		addAPIError(diags, "read", "backup repository", err)
	}
}
