package vb365

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

func TestNotFound(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.SeedDemo()
	c := newTestClient(t, fake.URL)
	_, err := c.GetOrganization(context.Background(), "11111111-2222-3333-4444-555555555555")
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err %T is not an APIError", err)
	}
	if apiErr.StatusCode != 404 || apiErr.ErrorCode != "ResourceNotFound" ||
		apiErr.Message != "Organization with ID 11111111-2222-3333-4444-555555555555 was not found." ||
		apiErr.Path != "/v8/Organizations/11111111-2222-3333-4444-555555555555" {
		t.Fatalf("apiErr = %+v", apiErr)
	}
	if n := fake.Count("GET /Organizations/{organizationId}"); n != 1 {
		t.Fatalf("a 404 was retried: %d requests", n)
	}
}

func TestNewAPIErrorBodies(t *testing.T) {
	html := "<html><head><title>502 Bad Gateway</title></head><body>" + strings.Repeat("<p>nginx</p>", 200) + "</body></html>"
	tests := []struct {
		name      string
		status    int
		body      string
		code, msg string
		is        error
	}{
		{"v8", 404, `{"message":"Organization was not found.","errorCode":"ResourceNotFound","stackTrace":null}`, "ResourceNotFound", "Organization was not found.", ErrNotFound},
		{"v8 code only", 400, `{"message":"Access denied.","errorCode":"ResourceAccessDenied","stackTrace":"at X.Y()"}`, "ResourceAccessDenied", "Access denied.", ErrForbidden},
		{"v8 conflict", 400, `{"message":"busy","errorCode":"OperationConflict","stackTrace":null}`, "OperationConflict", "busy", ErrConflict},
		{"v7 null code", 500, `{"message":"Unexpected.","errorCode":null}`, "", "Unexpected.", ErrServer},
		{"v6", 403, `{"message":"Forbidden."}`, "", "Forbidden.", ErrForbidden},
		{"oauth", 400, `{"error":"invalid_grant","error_description":"The user name or password is incorrect."}`, "invalid_grant", "The user name or password is incorrect.", ErrBadRequest},
		{"401 default", 401, `{"message":"Authorization has been denied for this request."}`, "", "Authorization has been denied for this request.", ErrUnauthorized},
		{"empty", 409, ``, "", "", ErrConflict},
		{"text", 429, "API calls quota exceeded! maximum admitted 1 per Second.", "", "API calls quota exceeded! maximum admitted 1 per Second.", ErrRateLimited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newAPIError("GET", "/v8/Organizations/x", tt.status, "", []byte(tt.body), noMask)
			if e.StatusCode != tt.status || e.ErrorCode != tt.code || e.Message != tt.msg {
				t.Fatalf("got %+v, want code %q message %q", e, tt.code, tt.msg)
			}
			if !errors.Is(e, tt.is) {
				t.Fatalf("%v does not match %v", e, tt.is)
			}
		})
	}
	t.Run("html", func(t *testing.T) {
		e := newAPIError("GET", "/v8/Organizations", 502, "", []byte("\n"+html), noMask)
		if len(e.Message) != maxErrorBody+len("...") || !strings.HasPrefix(e.Message, "<html><head><title>502 Bad Gateway") || !strings.HasSuffix(e.Message, "...") {
			t.Fatalf("message (%d bytes) = %q", len(e.Message), e.Message)
		}
		if !errors.Is(e, ErrServer) || errors.Is(e, ErrNotFound) {
			t.Fatal("a 502 should match ErrServer only")
		}
		if len(e.Error()) > 600 {
			t.Fatalf("Error() is %d bytes long", len(e.Error()))
		}
	})
}

func TestAPIErrorString(t *testing.T) {
	tests := []struct {
		e    APIError
		want string
	}{
		{APIError{StatusCode: 404, ErrorCode: "ResourceNotFound", Message: "Organization was not found.", Method: "GET", Path: "/v8/Organizations/1"},
			"GET /v8/Organizations/1: HTTP 404 ResourceNotFound: Organization was not found."},
		{APIError{StatusCode: 403, Message: "Forbidden.", Method: "PUT", Path: "/v6/AuditEmailSettings"},
			"PUT /v6/AuditEmailSettings: HTTP 403: Forbidden."},
		{APIError{StatusCode: 500, Method: "POST", Path: "/v8/token"}, "POST /v8/token: HTTP 500"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	nf := &NotFoundError{Kind: "user", Key: "name", Value: "a@b", Scope: `in organization "contoso"`}
	if got := nf.Error(); got != `no user with name "a@b" in organization "contoso"` || !errors.Is(nf, ErrNotFound) {
		t.Errorf("NotFoundError = %q", got)
	}
}

func TestMayHaveWritten(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{&APIError{StatusCode: 503}, true},
		{&APIError{StatusCode: 403}, false},
		{&APIError{StatusCode: 400}, false},
		{&TransportError{Err: io.ErrUnexpectedEOF}, true},
		{&TransportError{Err: &RedirectError{Status: 307}}, false},
		{fmt.Errorf("POST x: %w", context.Canceled), true},
		{organizationNotFound("o"), false},
	} {
		if got := MayHaveWritten(tc.err); got != tc.want {
			t.Errorf("MayHaveWritten(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}

func FuzzNewAPIError(f *testing.F) {
	f.Add(404, "application/json", `{"message":"Organization was not found.","errorCode":"ResourceNotFound"}`, "hunter2")
	f.Add(400, "", `{"error":"invalid_grant","error_description":"bad hunter2"}`, "hunter2")
	f.Add(502, "text/html", "<html>"+strings.Repeat("x", 2000)+"</html>", "x")
	f.Add(500, "text/plain", "", "")
	// A secret across the 512-byte cut of a non-JSON body.
	f.Add(502, "text/html", strings.Repeat("y", 505)+"Secret-4711-abc", "Secret-4711-abc")
	f.Fuzz(func(t *testing.T, status int, ctype, body, secret string) {
		var s secretSet
		s.remember(secret)
		e := newAPIError("GET", "/v8/x", status, ctype, []byte(body), s.mask)
		// What the server wrote (message and code) never shows the secret.
		// (A "secret" that is part of the client's own framing words, such
		// as " " or "body", is not the server's text.)
		framing := "a " + ctype + " body, not JSON: " + Redacted
		for _, msg := range []string{e.Message, e.ErrorCode} {
			if strings.Trim(secret, "*") != "" && !strings.Contains(framing, secret) && strings.Contains(msg, secret) {
				t.Fatalf("the error shows the secret %q: %q", secret, msg)
			}
		}
		// Non-JSON bodies are cut; a JSON message is the server's own.
		if !json.Valid([]byte(body)) && len(e.Message) > maxErrorBody*4+64 {
			t.Fatalf("message of %d bytes from a non-JSON body", len(e.Message))
		}
		_ = errors.Is(e, ErrNotFound)
	})
}
