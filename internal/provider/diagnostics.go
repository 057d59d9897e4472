package provider

// Diagnostics shared by resources and data sources. Summaries read
// "Unable to <action> <what>"; details say what the user can do.

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
)

// addAPIError adds "Unable to <action> <what>" with a detail that says what
// the user can do about the error.
func addAPIError(diags *diag.Diagnostics, action, what string, err error) {
	var login *vb365.LoginError
	if errors.As(err, &login) {
		summary, detail := describeLoginError(login.Err, login.URL)
		diags.AddError(summary, detail)
		return
	}
	diags.AddError(fmt.Sprintf("Unable to %s %s", action, what), explain(err))
}

func explain(err error) string {
	var login *vb365.LoginError
	if errors.As(err, &login) {
		_, detail := describeLoginError(login.Err, login.URL)
		return detail
	}
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

// organizationNotFoundDetail is the one detail for an organization ID that
// VB365 does not know.
func organizationNotFoundDetail(orgID string) string {
	return fmt.Sprintf("VB365 has no organization with ID %q. The vb365_organizations data source lists the organizations there are.", orgID)
}

// addOrganizationNotFound adds it to organization_id under summary; lead,
// when not empty, is a first paragraph saying what failed.
func addOrganizationNotFound(diags *diag.Diagnostics, summary, lead, orgID string) {
	detail := organizationNotFoundDetail(orgID)
	if lead != "" {
		detail = lead + "\n\n" + detail
	}
	diags.AddAttributeError(path.Root("organization_id"), summary, detail)
}

// addListError reports a failed read of the users or groups ("what") of an
// organization.
func addListError(diags *diag.Diagnostics, what, orgID string, err error) {
	if vb365.IsOrganizationNotFound(err) {
		addOrganizationNotFound(diags, "Unable to read "+what, fmt.Sprintf("Unable to read %s of organization %s: not found.", what, orgID), orgID)
		return
	}
	addAPIError(diags, "read", what+" of organization "+orgID, err)
}

// maxListedMatches bounds the candidates an ambiguity error lists.
const maxListedMatches = 20

// ambiguousDetail lists the candidates of an ambiguous lookup so the user
// can pick one by name or ID.
func ambiguousDetail(amb *vb365.AmbiguousError, attrName string) string {
	var b strings.Builder
	count := fmt.Sprint(len(amb.Matches))
	if amb.Truncated {
		count += " or more"
	}
	how := fmt.Sprintf("have the display name %q", amb.Value)
	switch {
	case amb.Key == "name":
		how = fmt.Sprintf("are named %q", amb.Value)
	case vb365.HasWildcard(amb.Value):
		how = fmt.Sprintf("have a display name matching %q", amb.Value)
	}
	fmt.Fprintf(&b, "%s %ss of organization %s %s; %s must identify exactly one:\n", count, amb.Kind, amb.OrganizationID, how, attrName)
	for i, m := range amb.Matches {
		if i == maxListedMatches {
			fmt.Fprintf(&b, "  ... and %d more\n", len(amb.Matches)-maxListedMatches)
			break
		}
		name := m.Name
		if name == "" {
			name = "(no name)"
		}
		fmt.Fprintf(&b, "  - %s, %q (id %s)\n", name, m.DisplayName, m.ID)
	}
	switch {
	case attrName == "display_name" && amb.Kind == vb365.KindTeam:
		b.WriteString("\nSet mail or id instead of display_name to choose one of them, or narrow display_name.")
	case attrName == "display_name":
		b.WriteString("\nSet name or id instead of display_name to choose one of them, or narrow display_name.")
	default:
		b.WriteString("\nSet id instead to choose one of them.")
	}
	return b.String()
}

// lookupKey is the attribute a singular data source searched by.
type lookupKey struct {
	attr, value string
}

// addLookupError explains a failed lookup of one user or group (kind): an
// unknown organization, no match (saying what was searched), several
// matches (listing them), or an API failure.
func addLookupError(diags *diag.Diagnostics, kind, orgID string, by lookupKey, err error) {
	var amb *vb365.AmbiguousError
	switch {
	case vb365.IsOrganizationNotFound(err):
		addOrganizationNotFound(diags, "Unable to read "+kind+"s", fmt.Sprintf("Unable to read %ss of organization %s: not found.", kind, orgID), orgID)
	case errors.As(err, &amb):
		diags.AddAttributeError(path.Root(by.attr), "Unable to identify "+kind, ambiguousDetail(amb, by.attr))
	case errors.Is(err, vb365.ErrNotFound):
		diags.AddAttributeError(path.Root(by.attr), "Unable to find "+kind, notFoundDetail(kind, orgID, by))
	default:
		addAPIError(diags, "read", kind, err)
	}
}

// notFoundDetail says what was searched, where, and how it was matched.
func notFoundDetail(kind, orgID string, by lookupKey) string {
	var searched, hint string
	switch by.attr {
	case "id":
		searched = fmt.Sprintf("with ID %q", by.value)
		hint = fmt.Sprintf("IDs are opaque strings exactly as the vb365_%ss data source returns them; the %s may have been removed from the organization.", kind, kind)
	case "name":
		searched = fmt.Sprintf("named %q", by.value)
		hint = fmt.Sprintf("The name is the mail address, matched in full ignoring case. The vb365_%ss data source lists the %ss there are.", kind, kind)
	case "url":
		searched = fmt.Sprintf("with the URL %q", by.value)
		hint = "The URL is matched in full, ignoring case and a trailing /; personal (OneDrive) sites are searched too. The vb365_sites data source lists the sites there are."
	case "mail":
		searched = fmt.Sprintf("with the mail address %q", by.value)
		hint = fmt.Sprintf("The mail address is matched in full, ignoring case. The vb365_%ss data source lists the %ss there are.", kind, kind)
	default:
		if vb365.HasWildcard(by.value) {
			searched = fmt.Sprintf("with a display name matching %q", by.value)
		} else {
			searched = fmt.Sprintf("with the display name %q", by.value)
		}
		hint = "A display name without * or ? must match in full (ignoring case); use wildcards such as \"Adele*\" to match part of it."
	}
	return fmt.Sprintf("VB365 has no %s %s in organization %s.\n\n%s", kind, searched, orgID, hint)
}

// addPrincipalError explains a failed user or group lookup.
func addPrincipalError(diags *diag.Diagnostics, orgID, kind, id string, attr path.Path, action, what string, err error) {
	summary := fmt.Sprintf("Unable to %s %s", action, what)
	switch {
	case vb365.IsOrganizationNotFound(err):
		addOrganizationNotFound(diags, summary, "", orgID)
	case errors.Is(err, vb365.ErrNotFound) && kind == "group":
		diags.AddAttributeError(attr, summary,
			fmt.Sprintf("Organization %s has no group with ID %q. Only users and groups can be audited: Microsoft Teams teams cannot be audited, "+
				"so to audit a team use the ID of the team's Microsoft 365 group (the vb365_group data source finds it by mail address).", orgID, id))
	case errors.Is(err, vb365.ErrNotFound):
		diags.AddAttributeError(attr, summary,
			fmt.Sprintf("Organization %s has no user with ID %q. Only users and groups can be audited (a team cannot; audit its group with group_id). "+
				"The vb365_user data source finds a user's ID by e-mail address.", orgID, id))
	default:
		addAPIError(diags, action, what, err)
	}
}

func addAuditListError(diags *diag.Diagnostics, action, orgID string, err error) {
	if vb365.IsOrganizationNotFound(err) {
		addOrganizationNotFound(diags, fmt.Sprintf("Unable to %s audit items", action), "", orgID)
		return
	}
	addAPIError(diags, action, "audit items", err)
}

// describeLoginError explains a failed first login in terms of what the
// user can change. It never includes the password.
func describeLoginError(err error, url string) (string, string) {
	switch {
	case errors.Is(err, vb365.ErrAuthentication):
		reason := "the server refused the credentials"
		var apiErr *vb365.APIError
		if errors.As(err, &apiErr) && apiErr.Message != "" {
			reason = apiErr.Message
		}
		return "Unable to authenticate to VB365",
			fmt.Sprintf("The VB365 server at %s refused the username and password: %s\n\nCheck username (%s) and password (%s). The account needs the VB365 REST API role.", url, reason, envUsername, envPassword)
	case vb365.IsCertificateError(err):
		return "Unable to connect to VB365: untrusted certificate",
			fmt.Sprintf("The TLS certificate of %s could not be verified: %v\n\nVB365 ships a self-signed certificate. Put the server's certificate (or its CA) in ca_cert_pem (or %s); "+
				"insecure = true skips the check but is not recommended.", url, errors.Unwrap(err), envCACertPEM)
	case vb365.IsConnectionError(err):
		hint := "Check the host name and port (the REST API listens on 4443 by default) and that the VB365 REST API service runs."
		var te *vb365.TransportError
		if errors.As(err, &te) && te.Hint != "" {
			hint = "Likely cause: " + te.Hint + "."
		}
		return "Unable to connect to VB365",
			fmt.Sprintf("No answer from %s: %v\n\n%s", url, errors.Unwrap(err), hint)
	case errors.As(err, new(*vb365.RedirectError)):
		return "Unable to connect to VB365", fmt.Sprintf("Signing in to %s failed: %v", url, err)
	case errors.Is(err, vb365.ErrBadAnswer):
		return "Unable to connect to VB365",
			fmt.Sprintf("%s did not answer as the VB365 REST API does: %v\n\nCheck url (scheme, host, port and path) and api_version.", url, err)
	default:
		return "Unable to authenticate to VB365", fmt.Sprintf("Signing in to %s failed: %v", url, err)
	}
}
