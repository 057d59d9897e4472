package contract

// The validating transport: each request is checked against the document
// as written, each response against the relaxed copy (the tolerances of the
// package doc), and both are forwarded unchanged.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// Transport returns a RoundTripper that validates every request and response
// passing through it and forwards both unchanged. next == nil means
// http.DefaultTransport.
func (v *Validator) Transport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return &transport{v: v, next: next}
}

type transport struct {
	v    *Validator
	next http.RoundTripper
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	v := t.v
	ctx := req.Context()

	// Buffer the request body (and close the caller's, as RoundTrip must).
	var reqBody []byte
	hasBody := req.Body != nil && req.Body != http.NoBody
	if hasBody {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		reqBody = b
	}
	newBody := func() io.ReadCloser {
		if !hasBody {
			return http.NoBody
		}
		return io.NopCloser(bytes.NewReader(reqBody))
	}

	// Forwarded copy: same method, URL, headers and body bytes.
	out := req.Clone(ctx)
	out.Body = newBody()
	if hasBody {
		out.GetBody = func() (io.ReadCloser, error) { return newBody(), nil }
	}

	// Validation copy.
	vreq := req.Clone(ctx)
	vreq.Body = newBody()
	vreq.ContentLength = int64(len(reqBody))

	method, path := req.Method, req.URL.Path
	var errs []string
	routeKey := ""

	reqRoute, pathParams, routeErr := v.reqRouter.FindRoute(vreq)
	if routeErr != nil {
		errs = append(errs, fmt.Sprintf("undocumented route (%v)", routeErr))
	} else {
		routeKey = method + " " + reqRoute.Path
		in := &openapi3filter.RequestValidationInput{
			Request:    vreq,
			PathParams: pathParams,
			Route:      reqRoute,
			Options:    v.options,
		}
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			for _, e := range flatten(err) {
				errs = append(errs, "request: "+e)
			}
		}
	}

	resp, err := t.next.RoundTrip(out)
	if err != nil {
		v.record(method, path, 0, errs, routeKey)
		return resp, err
	}

	// Buffer the response body and put an equivalent one back.
	respBody, readErr := io.ReadAll(resp.Body)
	resp.Body.Close()
	if readErr != nil {
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(respBody), errReader{readErr}))
		errs = append(errs, "response: reading body: "+readErr.Error())
		v.record(method, path, resp.StatusCode, errs, routeKey)
		return resp, nil //nolint:nilerr // the read error reaches the caller through the restored body
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))

	if routeErr == nil {
		errs = append(errs, v.checkResponse(ctx, vreq, resp, respBody)...)
	}
	v.record(method, path, resp.StatusCode, errs, routeKey)
	return resp, nil
}

func (v *Validator) checkResponse(ctx context.Context, vreq *http.Request, resp *http.Response, body []byte) []string {
	route, pathParams, err := v.respRouter.FindRoute(vreq)
	if err != nil {
		return []string{fmt.Sprintf("response: route lookup: %v", err)}
	}
	status := resp.StatusCode
	responses := route.Operation.Responses
	declared := responses.Status(status)
	if declared == nil && status >= 400 {
		declared = responses.Default()
	}
	if declared == nil {
		return []string{fmt.Sprintf("response: status %d is not declared (declared: %s)",
			status, strings.Join(declaredStatuses(responses), ", "))}
	}
	if declared.Value != nil && len(declared.Value.Content) == 0 {
		if len(body) > 0 {
			return []string{fmt.Sprintf("response: status %d declares no body, got %d bytes", status, len(body))}
		}
		return nil
	}
	if status == http.StatusTooManyRequests && !isJSON(resp.Header.Get("Content-Type")) {
		return nil // tolerance 3
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request:    vreq,
			PathParams: pathParams,
			Route:      route,
			Options:    v.options,
		},
		Status:  status,
		Header:  resp.Header,
		Body:    io.NopCloser(bytes.NewReader(body)),
		Options: v.options,
	}
	if err := openapi3filter.ValidateResponse(ctx, in); err != nil {
		return []string{"response: " + flattenOne(err)}
	}
	return nil
}

func declaredStatuses(r *openapi3.Responses) []string {
	var out []string
	for k := range r.Map() {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func isJSON(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json"))
}

// flatten splits a kin-openapi MultiError into one message per error.
func flatten(err error) []string {
	// Only a top-level MultiError is split: a nested one belongs to the
	// parameter or body error that wraps it and keeps that context.
	if me, ok := err.(openapi3.MultiError); ok { //nolint:errorlint // only a top-level MultiError, by design
		var out []string
		for _, e := range me {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []string{flattenOne(err)}
}

func flattenOne(err error) string {
	return strings.ReplaceAll(err.Error(), "\n", " ")
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }
