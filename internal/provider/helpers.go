package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
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

func (l tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(l.ctx(ctx), msg, fields)
}

func (l tflogLogger) Trace(ctx context.Context, msg string, fields map[string]any) {
	tflog.Trace(l.ctx(ctx), msg, fields)
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

// addAPIError adds "Unable to <action> <what>" with a detail that says what
// the user can do about the error.
func addAPIError(diags *diag.Diagnostics, action, what string, err error) {
	diags.AddError(fmt.Sprintf("Unable to %s %s", action, what), explain(err))
}

func explain(err error) string {
	msg := err.Error()
	switch {
	case errors.Is(err, vb365.ErrAuthentication), errors.Is(err, vb365.ErrUnauthorized):
		return msg + "\n\nThe VB365 server refused the credentials; check the provider's username and password."
	case errors.Is(err, vb365.ErrForbidden):
		return msg + "\n\nThe account is not allowed to do this; it needs the VB365 REST API administrator role."
	case errors.Is(err, vb365.ErrRateLimited):
		return msg + "\n\nThe server kept answering 429 (too many requests); retry later or raise max_retries."
	case errors.Is(err, vb365.ErrServer):
		return msg + "\n\nThe VB365 server failed; its log (C:\\ProgramData\\Veeam\\Backup365\\Logs) says why. Retry when it is healthy."
	case errors.Is(err, context.DeadlineExceeded):
		return msg + "\n\nThe request timed out; raise request_timeout or check the server's load."
	case vb365.IsCertificateError(err):
		return msg + "\n\nTrust the server's certificate with ca_cert_pem."
	case vb365.IsConnectionError(err):
		return msg + "\n\nThe VB365 server could not be reached; check url and that the REST API service runs."
	}
	return msg
}

// parseDuration is the one reading of a duration attribute, shared by its
// validator and Configure (so " 60s " means the same in both): a Go duration
// around optional white space, positive (or zero when allowed).
func parseDuration(s string, allowZero bool) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil || d < 0 || (d == 0 && !allowZero) {
		kind := "positive"
		if allowZero {
			kind = "non-negative"
		}
		return 0, fmt.Errorf("%q is not a %s duration such as 60s or 2m", s, kind)
	}
	return d, nil
}

// durationValidator accepts what parseDuration accepts.
type durationValidator struct{ allowZero bool }

func (v durationValidator) Description(context.Context) string {
	if v.allowZero {
		return "must be a duration such as 0s, 60s or 5m"
	}
	return "must be a positive duration such as 60s or 2m"
}

func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := parseDuration(req.ConfigValue.ValueString(), v.allowZero); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration", err.Error()+".")
	}
}
