package vb365

import (
	"encoding/json"
	"errors"
	"fmt"
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
)

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

func newAPIError(method, path string, status int, body []byte) *APIError {
	e := &APIError{StatusCode: status, Method: method, Path: path}
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
	text := strings.TrimSpace(string(body))
	if len(text) > maxErrorBody {
		text = text[:maxErrorBody] + "..."
	}
	e.Message = text
	return e
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
