package vb365

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
)

// Sentinel errors. Check them with errors.Is; an *APIError matches the
// sentinel that corresponds to its HTTP status code.
var (
	// ErrNotFound: the resource (organization, user, group, ...) does not exist.
	ErrNotFound = errors.New("not found")
	// ErrUnauthorized: the server rejected the credentials or the bearer token.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden: the account may not perform the operation.
	ErrForbidden = errors.New("forbidden")
	// ErrBadRequest: the server refused the request as invalid.
	ErrBadRequest = errors.New("bad request")
	// ErrConflict: the operation conflicts with the server's state.
	ErrConflict = errors.New("conflict")
	// ErrRateLimited: the server answered 429 and the retries ran out.
	ErrRateLimited = errors.New("rate limited")
	// ErrServer: the server failed (5xx) and the retries ran out.
	ErrServer = errors.New("server error")
	// ErrUnsupported: the selected API version does not offer the operation.
	ErrUnsupported = errors.New("not supported by this API version")
	// ErrBadAnswer: the server (or a proxy in front of it) answered something
	// the client cannot use: an empty or non-JSON body, a body over the size
	// limit, a page that repeats, another object than the one asked for.
	ErrBadAnswer = errors.New("unusable answer")
	// ErrAuthentication: the token endpoint refused the credentials. The
	// wrapped *APIError carries the server's reason.
	ErrAuthentication = errors.New("authentication failed")
	// ErrAmbiguous: a lookup that must find one principal found several.
	ErrAmbiguous = errors.New("ambiguous")
)

// ConfigError is a Config that New refuses. Field names the setting, as the
// provider's attribute ("url", "ca_cert_pem", "username", ...).
type ConfigError struct {
	Field string
	Msg   string
}

func (e *ConfigError) Error() string { return e.Msg }

// LoginError is a failed sign-in (a password login, after the refresh
// failed or when there was no token yet). The client signs in on its first
// API call; once a sign-in failed, every later call of that client fails
// with the same LoginError without asking the token endpoint again, so that
// N resources cost one refused login (the real endpoint locks accounts and
// is rate-limited), not N.
type LoginError struct {
	URL string // the REST API, as configured (redacted)
	Err error
}

func (e *LoginError) Error() string { return "signing in to " + e.URL + ": " + e.Err.Error() }

func (e *LoginError) Unwrap() error { return e.Err }

// UnsupportedError is a request the client's API version cannot make: the
// version lacks the Feature. Nothing was sent. It is ErrUnsupported.
type UnsupportedError struct {
	Feature Feature
	Version APIVersion
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("%s need REST API %s or later; the client speaks %s and sent nothing", e.Feature, e.Feature.Since(), e.Version)
}

func (e *UnsupportedError) Is(target error) bool { return target == ErrUnsupported }

// RedirectError is a redirect the client refused to follow. Location is
// redacted (no userinfo).
type RedirectError struct {
	Status   int
	Location string
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("the server redirected (HTTP %d) to %s; the client follows no redirect, so that credentials never go elsewhere: set url to the final address", e.Status, e.Location)
}

// BadAnswerError is an answer the client cannot use (see ErrBadAnswer).
type BadAnswerError struct {
	Method, Path string
	Status       int
	// ContentType of the answer, when it had one.
	ContentType string
	// Reason says what is wrong, and what may be the cause.
	Reason string
}

func (e *BadAnswerError) Error() string {
	s := fmt.Sprintf("%s %s: the server's answer", e.Method, e.Path)
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d", e.Status)
		if e.ContentType != "" {
			s += ", " + e.ContentType
		}
		s += ")"
	}
	return s + " is unusable: " + e.Reason
}

func (e *BadAnswerError) Is(target error) bool { return target == ErrBadAnswer }

// TransportError is a request that got no HTTP answer (connection refused,
// TLS failure, timeout, a refused redirect) after the allowed retries.
type TransportError struct {
	Method, Path string
	Err          error
	// Hint names the likely cause when the error is one that retrying
	// cannot fix (a scheme mismatch, an unknown host); may be empty.
	Hint string
}

func (e *TransportError) Error() string {
	s := fmt.Sprintf("%s %s: %v", e.Method, e.Path, e.Err)
	if e.Hint != "" {
		s += " (" + e.Hint + ")"
	}
	return s
}

func (e *TransportError) Unwrap() error { return e.Err }

// IsConnectionError reports whether err means the server could not be
// reached (as opposed to an answer the server gave).
func IsConnectionError(err error) bool {
	var te *TransportError
	if !errors.As(err, &te) {
		return false
	}
	var ne net.Error
	var oe *net.OpError
	return errors.As(err, &ne) || errors.As(err, &oe)
}

// APIError is an error answer of the VB365 REST API. It is decoded from the
// RESTExceptionInfo body ({message, errorCode, stackTrace}) or, for /token,
// from the OAuth form ({error, error_description}).
type APIError struct {
	StatusCode int
	// ErrorCode is RESTExceptionInfo.errorCode (e.g. "ResourceNotFound") or the
	// OAuth "error" field (e.g. "invalid_grant"). It may be empty.
	ErrorCode string
	// Message is the server's human-readable reason. It may be empty.
	Message string
	// Method and Path of the request, for context; never includes the query.
	Method string
	Path   string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: HTTP %d", e.Method, e.Path, e.StatusCode)
	if e.ErrorCode != "" {
		fmt.Fprintf(&b, " %s", e.ErrorCode)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	return b.String()
}

// Is maps the status code (and the RESTExceptionInfo error code) to the
// package's sentinel errors.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound || strings.EqualFold(e.ErrorCode, "ResourceNotFound")
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden || strings.EqualFold(e.ErrorCode, "ResourceAccessDenied")
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrConflict:
		return e.StatusCode == http.StatusConflict || strings.EqualFold(e.ErrorCode, "OperationConflict")
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500
	}
	return false
}

// errorBody covers both error shapes the server uses.
type errorBody struct {
	Message          *string `json:"message"`
	ErrorCode        *string `json:"errorCode"`
	Error            *string `json:"error"`
	ErrorDescription *string `json:"error_description"`
}

// maxErrorBody bounds how much of an error body is kept in Message when it
// is not JSON (an HTML error page from a proxy, for example).
const maxErrorBody = 512

// newAPIError decodes an error answer; mask hides secrets the server may
// echo in its message.
func newAPIError(method, path string, status int, contentType string, body []byte, mask func(string) string) *APIError {
	e := &APIError{StatusCode: status, Method: method, Path: path}
	defer func() { e.Message, e.ErrorCode = mask(e.Message), mask(e.ErrorCode) }()
	var eb errorBody
	if err := json.Unmarshal(body, &eb); err == nil {
		e.Message = deref(eb.Message)
		e.ErrorCode = deref(eb.ErrorCode)
		if e.ErrorCode == "" {
			e.ErrorCode = deref(eb.Error)
		}
		if e.Message == "" {
			e.Message = deref(eb.ErrorDescription)
		}
		return e
	}
	// Mask before describeNonJSON cuts the text: a secret across the cut
	// would otherwise leave its first part behind.
	e.Message = describeNonJSON(contentType, []byte(mask(string(body))))
	return e
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// describeNonJSON renders a body that is not JSON (an HTML page from a
// proxy, plain text) for an error message: its content type and its first
// bytes, never the whole of it. The caller masks secrets.
func describeNonJSON(contentType string, body []byte) string {
	text := strings.TrimSpace(string(body))
	if text == "" {
		return ""
	}
	text = cutText(text, maxErrorBody)
	contentType = cutText(contentType, maxMediaType)
	if contentType == "" || strings.Contains(contentType, "json") {
		return text
	}
	return fmt.Sprintf("a %s body, not JSON: %s", contentType, text)
}

// Kind names what a lookup searched for.
type Kind string

// The kinds of objects a NotFoundError or AmbiguousError can name.
const (
	KindOrganization Kind = "organization"
	KindUser         Kind = "user"
	KindGroup        Kind = "group"
	KindSite         Kind = "site"
	KindTeam         Kind = "team"
	KindRole         Kind = "restore operator role"
	// The protected-data and licensing lists (protected_data.go,
	// licensed_users.go).
	KindProtectedUser  Kind = "protected user"
	KindProtectedGroup Kind = "protected group"
	KindProtectedSite  Kind = "protected site"
	KindProtectedTeam  Kind = "protected team"
	KindLicensedUser   Kind = "licensed user"
	// Backup infrastructure: server-wide, not an organization's.
	KindRepository    Kind = "backup repository"
	KindObjectStorage Kind = "object storage"
	KindJob           Kind = "backup job"
)

// Plural is the kind's plural, for messages.
func (k Kind) Plural() string {
	if s, ok := strings.CutSuffix(string(k), "y"); ok {
		return s + "ies"
	}
	return string(k) + "s"
}

// NotFoundError says what was searched and not found. It matches ErrNotFound.
type NotFoundError struct {
	Kind Kind

	Key   string // "id", "name", "display_name"
	Value string
	// Scope narrows the search, e.g. `in organization "..."`. Optional.
	Scope string
}

func (e *NotFoundError) Error() string {
	s := "no " + string(e.Kind) + " with " + e.Key + " " + quote(e.Value)
	if e.Scope != "" {
		s += " " + e.Scope
	}
	return s
}

func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

func quote(s string) string { return `"` + s + `"` }

// Match is one candidate of an ambiguous lookup.
type Match struct {
	ID, Name, DisplayName string
}

// AmbiguousError says what was searched and which principals matched. It
// matches ErrAmbiguous.
type AmbiguousError struct {
	Kind  Kind   // KindUser, KindGroup
	Key   string // "display_name"
	Value string
	// OrganizationID scopes the search; empty for a server-wide kind
	// (KindRepository).
	OrganizationID string
	// Matches in the server's order. The lookup stops paging once two
	// principals match; Truncated says it stopped after a full page, so
	// more principals may match.
	Matches   []Match
	Truncated bool
}

func (e *AmbiguousError) Error() string {
	var b strings.Builder
	more := ""
	if e.Truncated {
		more = " or more"
	}
	fmt.Fprintf(&b, "%d%s %s with %s %s", len(e.Matches), more, e.Kind.Plural(), e.Key, quote(e.Value))
	if e.OrganizationID != "" {
		fmt.Fprintf(&b, " in organization %s", e.OrganizationID)
	}
	b.WriteString(":")
	for i, m := range e.Matches {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, " %s (id %s)", m.Name, m.ID)
	}
	return b.String()
}

func (e *AmbiguousError) Is(target error) bool { return target == ErrAmbiguous }

// IsOrganizationNotFound reports whether err says that the organization
// itself does not exist (as opposed to a user or group in it).
func IsOrganizationNotFound(err error) bool {
	var nf *NotFoundError
	return errors.As(err, &nf) && nf.Kind == KindOrganization
}

func organizationNotFound(orgID string) error {
	return &NotFoundError{Kind: KindOrganization, Key: "id", Value: orgID}
}

// listError turns a 404 of a path whose only ID is the organization's
// (user, group and audit-item lists, audit-item writes) into the
// organization's *NotFoundError.
func listError(err error, orgID string) error {
	if errors.Is(err, ErrNotFound) {
		return organizationNotFound(orgID)
	}
	return err
}

// getError tells a missing principal from a missing organization after a
// 404 of GET .../{kind}s/{id}; it costs one more request, on misses only.
func (c *Client) getError(ctx context.Context, err error, orgID string, kind Kind, id string) error {
	if !errors.Is(err, ErrNotFound) {
		return err
	}
	_, oerr := c.GetOrganization(ctx, orgID)
	switch {
	case oerr == nil:
		return &NotFoundError{Kind: kind, Key: "id", Value: id, Scope: "in organization " + orgID}
	case errors.Is(oerr, ErrNotFound):
		return organizationNotFound(orgID)
	}
	return err
}

// MayHaveWritten reports whether a write that failed with err may still
// have been carried out by the server: a 5xx, no answer, or the caller's
// context ending while the request was under way (an interrupted apply).
func MayHaveWritten(err error) bool {
	return err != nil && (uncertainWrite(err) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded))
}

// uncertainWrite reports whether a write that failed with err may still
// have been carried out: a 5xx, or no answer (dropped connection, timeout)
// that retrying can change. A 4xx or a refused redirect means it was not.
func uncertainWrite(err error) bool {
	if errors.Is(err, ErrServer) {
		return true
	}
	var te *TransportError
	if errors.As(err, &te) {
		permanent, _ := permanentTransportError(te.Err)
		return !permanent
	}
	return false
}

// IsCertificateError reports whether err comes from TLS certificate
// verification (unknown authority, wrong host name, expired certificate).
func IsCertificateError(err error) bool {
	var (
		verr *tls.CertificateVerificationError
		uerr x509.UnknownAuthorityError
		herr x509.HostnameError
		cerr x509.CertificateInvalidError
	)
	return errors.As(err, &verr) || errors.As(err, &uerr) || errors.As(err, &herr) || errors.As(err, &cerr)
}

// TooManyError says that a listing matched more than the caller allowed.
type TooManyError struct {
	What string
	Max  int
}

func (e *TooManyError) Error() string {
	return fmt.Sprintf("more than %d %s match", e.Max, e.What)
}

// RoleNameTakenError refuses a restore operator role whose name another
// role of the organization already has (compared ignoring case). The client
// never adopts that role: it may be another team's grant. It matches
// ErrConflict.
type RoleNameTakenError struct {
	OrganizationID, Name string
	// Role is the role that has the name.
	Role RestoreOperatorRole
	// Cause, when not nil, is the failure of the create (a 5xx, a lost
	// answer, a refusal) after which the role was found: it appeared while
	// the create was under way, and it is not the role that was sent.
	Cause error
}

func (e *RoleNameTakenError) Error() string {
	s := fmt.Sprintf("organization %s already has a restore operator role named %s (id %s)", e.OrganizationID, quote(e.Role.Name), e.Role.ID)
	if e.Cause != nil {
		s += fmt.Sprintf(", which is not the one this create sent (the create failed: %v)", e.Cause)
	}
	return s
}

func (e *RoleNameTakenError) Is(target error) bool { return target == ErrConflict }

// roleError turns a 404 of a role's path into the role's *NotFoundError.
func roleError(err error, roleID string) error {
	if errors.Is(err, ErrNotFound) {
		return &NotFoundError{Kind: KindRole, Key: "id", Value: roleID}
	}
	return err
}

// JobNameTakenError refuses a backup job whose name another job of the
// organization already has (compared ignoring case). The client never
// adopts that job: it may be another team's. It matches ErrConflict.
type JobNameTakenError struct {
	OrganizationID, Name string
	// Job is the job that has the name.
	Job BackupJob
	// Cause, when not nil, is the failure of the create (a 5xx, a lost
	// answer, a refusal) after which the job was found: it appeared while
	// the create was under way, and it is not the job that was sent.
	Cause error
}

func (e *JobNameTakenError) Error() string {
	s := fmt.Sprintf("organization %s already has a backup job named %s (id %s)", e.OrganizationID, quote(e.Job.Name), e.Job.ID)
	if e.Cause != nil {
		s += fmt.Sprintf(", which is not the one this create sent (the create failed: %v)", e.Cause)
	}
	return s
}

func (e *JobNameTakenError) Is(target error) bool { return target == ErrConflict }

// jobError turns a 404 of a job's path into the job's *NotFoundError.
func jobError(err error, jobID string) error {
	if errors.Is(err, ErrNotFound) {
		return &NotFoundError{Kind: KindJob, Key: "id", Value: jobID}
	}
	return err
}
