package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

// tflogLogger sends the client's logs to tflog. The client already masks
// tokens and passwords; the secrets listed here are masked once more in
// every message and field, whatever carried them.
type tflogLogger struct {
	secrets []string
}

func (l tflogLogger) ctx(ctx context.Context) context.Context {
	for _, s := range l.secrets {
		if s != "" {
			ctx = tflog.MaskAllFieldValuesStrings(ctx, s)
			ctx = tflog.MaskMessageStrings(ctx, s)
		}
	}
	ctx = tflog.MaskFieldValuesWithFieldKeys(ctx, "Authorization", "password", "userPassword", "access_token", "refresh_token")
	return ctx
}

func (l tflogLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(l.ctx(ctx), msg, fields)
}

func (l tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(l.ctx(ctx), msg, fields)
}

func (l tflogLogger) Trace(ctx context.Context, msg string, fields map[string]any) {
	tflog.Trace(l.ctx(ctx), msg, fields)
}

// resourceClient and dataSourceClient, embedded in a resource or data
// source, hold the configured client and implement Configure.
type resourceClient struct{ client *vb365.Client }

func (c *resourceClient) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	c.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

type dataSourceClient struct{ client *vb365.Client }

func (c *dataSourceClient) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	c.client = clientFrom(req.ProviderData, &resp.Diagnostics)
}

// clientFrom takes the client out of ProviderData. It is nil (with no
// error) before the provider is configured, e.g. during validation.
func clientFrom(data any, diags *diag.Diagnostics) *vb365.Client {
	if data == nil {
		return nil
	}
	c, ok := data.(*vb365.Client)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected *vb365.Client, got %T. This is a bug in the provider; please report it.", data))
		return nil
	}
	return c
}

// timeValue is a time as RFC 3339 in UTC; null for the zero time.
func timeValue(t time.Time) types.String {
	if t.IsZero() {
		return types.StringNull()
	}
	return types.StringValue(t.UTC().Format(time.RFC3339Nano))
}

// optional is null for "".
func optional(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
