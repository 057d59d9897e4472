package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Shared by the list resources (Terraform 1.14 `terraform query`), whose
// configuration is one organization_id.

type listByOrganization struct {
	OrganizationID types.String `tfsdk:"organization_id"`
}

// organizationListSchema is a list resource schema with organization_id,
// required or optional; when set it must be a usable ID, not "" (checked
// when Terraform validates the list configuration, before any request).
func organizationListSchema(description string, required bool, orgDescription string) schema.Schema {
	return schema.Schema{
		MarkdownDescription: description,
		Attributes: map[string]schema.Attribute{
			"organization_id": schema.StringAttribute{
				Required:    required,
				Optional:    !required,
				Description: orgDescription,
				Validators:  append(nonEmpty(), idValidator{}),
			},
		},
	}
}

// listOrganization reads organization_id from the list configuration; on
// failure the stream reports it.
func listOrganization(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) (string, bool) {
	var cfg listByOrganization
	if diags := req.Config.Get(ctx, &cfg); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return "", false
	}
	return cfg.OrganizationID.ValueString(), true
}

// listFailed ends the stream with the error of listing what.
func listFailed(stream *list.ListResultsStream, what, orgID string, err error) {
	var diags diag.Diagnostics
	addListError(&diags, what, orgID, err)
	stream.Results = list.ListResultsStreamDiagnostics(diags)
}
