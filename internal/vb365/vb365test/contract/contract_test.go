package contract

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

const orgID = "6f144e6f-7f59-475f-8e1d-1bfa0b6bb020"

// v8OrganizationsPage is the v8 example page of organizations, except that the
// abbreviated applicationId ("9f1b…") is written out: the spec declares it a uuid.
const v8OrganizationsPage = `{
  "offset": 0, "limit": 30, "setId": null,
  "results": [{
    "id": "6f144e6f-7f59-475f-8e1d-1bfa0b6bb020",
    "name": "contoso.onmicrosoft.com",
    "officeName": "contoso.onmicrosoft.com",
    "description": null,
    "type": "Office365",
    "region": "Worldwide",
    "isExchangeOnline": true, "isSharePointOnline": true,
    "isTeamsOnline": true, "isTeamsChatsOnline": false,
    "msid": "1c2d3e4f-0000-4000-8000-000000000001",
    "backedUpOrganizationId": null,
    "exchangeOnlineSettings": {"useApplicationOnlyAuth": true, "officeOrganizationName": "contoso.onmicrosoft.com",
      "account": "", "grantAdminAccess": false, "useMfa": true,
      "applicationId": "9f1b2c3d-0000-4000-8000-0000000000aa", "applicationCertificateThumbprint": "A1B2…"},
    "sharePointOnlineSettings": {"useApplicationOnlyAuth": true, "officeOrganizationName": "contoso",
      "sharePointSaveAllWebParts": false, "account": "", "grantAdminAccess": false, "useMfa": true,
      "applicationId": "9f1b2c3d-0000-4000-8000-0000000000aa", "applicationCertificateThumbprint": "A1B2…"},
    "_links": {
      "self": {"href": "/v8/Organizations/6f144e6f-7f59-475f-8e1d-1bfa0b6bb020"},
      "users": {"href": "/v8/Organizations/6f144e6f-7f59-475f-8e1d-1bfa0b6bb020/Users"},
      "groups": {"href": "/v8/Organizations/6f144e6f-7f59-475f-8e1d-1bfa0b6bb020/Groups"},
      "sites": {"href": "/v8/Organizations/6f144e6f-7f59-475f-8e1d-1bfa0b6bb020/Sites"},
      "teams": {"href": "/v8/Organizations/6f144e6f-7f59-475f-8e1d-1bfa0b6bb020/Teams"},
      "jobs": {"href": "/v8/Jobs?organizationId=6f144e6f-7f59-475f-8e1d-1bfa0b6bb020"},
      "usedRepositories": {"href": "/v8/Organizations/6f144e6f-7f59-475f-8e1d-1bfa0b6bb020/UsedRepositories"}
    },
    "_actions": {}
  }],
  "_links": {"self": {"href": "/v8/Organizations?offset=0&limit=30"}}
}`

// v8UsersPage is the v8 example page of users (ellipses kept: IDs are opaque strings).
const v8UsersPage = `{
  "offset": 0, "limit": 30, "setId": "0b8a6c3e-6a43-4a8e-9d7b-3a1f8c2e4d10",
  "results": [{
    "id": "a54b55d8-4a07-4755-9889-5001ded697f000000000-0000-0000-0000-000000000000",
    "displayName": "Adele Vance", "name": "AdeleV@contoso.onmicrosoft.com",
    "type": "User", "locationType": "Cloud", "onPremisesSid": null, "office": "18/2111",
    "eTag": 1, "assignedLicenses": [], "msid": "a54b55d8-4a07-4755-9889-5001ded697f0", "dataLocation": null,
    "_links": {
      "self": {"href": "/v8/Organizations/6f14…b020/Users/a54b55d8-…-000000000000"},
      "organization": {"href": "/v8/Organizations/6f14…b020"},
      "onedrives": {"href": "/v8/Organizations/6f14…b020/Users/a54b55d8-…-000000000000/onedrives"}
    }
  }],
  "_links": {
    "self": {"href": "/v8/Organizations/6f14…b020/Users?offset=0&limit=30"},
    "next": {"href": "/v8/Organizations/6f14…b020/Users?offset=30&limit=30&setId=0b8a6c3e-…"}
  }
}`

// auditItemsBody is the example POST body of audit items.
const auditItemsBody = `[
  {"type": "User",
   "user": {"id": "a54b55d8-4a07-4755-9889-5001ded697f000000000-0000-0000-0000-000000000000",
            "displayName": "admin", "name": "admin@abc.onmicrosoft.com",
            "type": "User", "locationType": "Cloud"}},
  {"type": "Group",
   "group": {"id": "16f8226c-9531-4ed2-9b87-856f7c76a42600000000-0000-0000-0000-000000000000",
             "displayName": "HR", "name": "HR@abc.onmicrosoft.com",
             "type": "Office365", "locationType": "Cloud"}}
]`

// tokenResponse is the example token answer (RFC 1123 .issued/.expires).
const tokenResponse = `{
  "access_token": "AQAAANCMnd8BFdERjHoAwE_Cl-sBAAAA...",
  "token_type": "bearer",
  "expires_in": 3600,
  "refresh_token": "4d7c0c1e2b0f4e7e9f3a...",
  "userName": "VB365\\administrator",
  ".issued": "Mon, 01 Jan 2024 10:00:00 GMT",
  ".expires": "Mon, 01 Jan 2024 11:00:00 GMT"
}`

// v8AuditEmailSettingsPut is the example v8 PUT of audit e-mail settings.
const v8AuditEmailSettingsPut = `{
  "enableNotification": true,
  "authenticationType": "CustomSmtp",
  "smtpServer": "smtp.office365.com",
  "port": 587,
  "useAuthentication": true,
  "username": "user@abc.onmicrosoft.com",
  "userPassword": "********",
  "useSSL": true,
  "from": "VBOserver@abc.onmicrosoft.com",
  "to": "SecurityOfficer@abc.onmicrosoft.com;soc@abc.onmicrosoft.com",
  "subject": "[Audit] %OrganizationName% - %DisplayName% - %Action% initiated by %InitiatedByUserName% at %StartTime%"
}`

const notFoundBody = `{"message":"Organization with ID 6f144e6f-7f59-475f-8e1d-1bfa0b6bb020 was not found","errorCode":"ResourceNotFound","stackTrace":null}`

type exchange struct {
	method, path, contentType, reqBody string
	status                             int
	respContentType, respBody          string
}

func load(t *testing.T, version string) *Validator {
	t.Helper()
	v, err := Load(version)
	if err != nil {
		t.Fatalf("Load(%q): %v", version, err)
	}
	return v
}

// do runs one exchange through the validating transport against a raw
// httptest handler, checks that request and response bodies pass through
// unchanged, and returns the violations it caused.
func do(t *testing.T, v *Validator, ex exchange) []string {
	t.Helper()
	before := len(v.Violations())
	var gotReqBody string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotReqBody = string(b)
		if ex.respBody != "" {
			ct := ex.respContentType
			if ct == "" {
				ct = "application/json; charset=utf-8"
			}
			w.Header().Set("Content-Type", ct)
		}
		w.WriteHeader(ex.status)
		_, _ = io.WriteString(w, ex.respBody)
	}))
	defer srv.Close()

	var body io.Reader
	if ex.reqBody != "" {
		body = strings.NewReader(ex.reqBody)
	}
	req, err := http.NewRequest(ex.method, srv.URL+ex.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if ex.contentType != "" {
		req.Header.Set("Content-Type", ex.contentType)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer test")
	client := &http.Client{Transport: v.Transport(nil)}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", ex.method, ex.path, err)
	}
	defer resp.Body.Close()
	gotRespBody, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if gotReqBody != ex.reqBody {
		t.Errorf("request body changed in transit: got %q, want %q", gotReqBody, ex.reqBody)
	}
	if string(gotRespBody) != ex.respBody {
		t.Errorf("response body changed in transit: got %q, want %q", gotRespBody, ex.respBody)
	}
	if resp.StatusCode != ex.status {
		t.Errorf("status changed in transit: got %d, want %d", resp.StatusCode, ex.status)
	}
	return v.Violations()[before:]
}

func expectNone(t *testing.T, got []string) {
	t.Helper()
	if len(got) > 0 {
		t.Errorf("unexpected violations:\n  %s", strings.Join(got, "\n  "))
	}
}

func expectSome(t *testing.T, got []string, substr string) {
	t.Helper()
	for _, g := range got {
		if strings.Contains(g, substr) {
			t.Logf("reported as expected: %s", g)
			return
		}
	}
	t.Errorf("expected a violation containing %q, got:\n  %s", substr, strings.Join(got, "\n  "))
}

func TestLoadAllVersions(t *testing.T) {
	for _, ver := range Versions {
		load(t, ver)
	}
	if _, err := Load("v5"); err == nil {
		t.Error("Load(v5) succeeded, want error")
	}
}

func TestValidOrganizationsPageV8(t *testing.T) {
	v := load(t, "v8")
	expectNone(t, do(t, v, exchange{
		method: "GET", path: "/v8/Organizations?limit=30&offset=0&extendedView=false",
		status: 200, respBody: v8OrganizationsPage,
	}))
	if got := v.Routes()["GET /v8/Organizations"]; got != 1 {
		t.Errorf("Routes()[GET /v8/Organizations] = %d, want 1 (routes %v)", got, v.Routes())
	}
}

func TestWrongTypeInResponseIsReported(t *testing.T) {
	v := load(t, "v8")
	bad := strings.Replace(v8OrganizationsPage, `"offset": 0`, `"offset": "x"`, 1)
	expectSome(t, do(t, v, exchange{method: "GET", path: "/v8/Organizations", status: 200, respBody: bad}), "offset")
}

func TestMissingRequiredPagePropertyIsReported(t *testing.T) {
	v := load(t, "v8")
	expectSome(t, do(t, v, exchange{method: "GET", path: "/v8/Organizations", status: 200,
		respBody: `{"offset":0,"limit":30}`}), "results")
}

func TestV7OrganizationsIsBareArray(t *testing.T) {
	v := load(t, "v7")
	page := strings.ReplaceAll(v8OrganizationsPage, "/v8/", "/v7/")
	expectSome(t, do(t, v, exchange{method: "GET", path: "/v7/Organizations", status: 200, respBody: page}), "array")
	org := `[{"id":"` + orgID + `","name":"contoso.onmicrosoft.com","officeName":"contoso.onmicrosoft.com","type":"Office365","region":"Worldwide","_links":{"self":{"href":"/v7/Organizations/` + orgID + `"}},"_actions":{}}]`
	expectNone(t, do(t, v, exchange{method: "GET", path: "/v7/Organizations", status: 200, respBody: org}))
}

func TestUsersPageV8(t *testing.T) {
	v := load(t, "v8")
	expectNone(t, do(t, v, exchange{
		method: "GET", path: "/v8/Organizations/" + orgID + "/Users?limit=30&offset=0&setId=0b8a6c3e-6a43-4a8e-9d7b-3a1f8c2e4d10",
		status: 200, respBody: v8UsersPage,
	}))
	// A malformed uuid query parameter is reported.
	expectSome(t, do(t, v, exchange{
		method: "GET", path: "/v8/Organizations/" + orgID + "/Users?setId=not-a-uuid",
		status: 200, respBody: v8UsersPage,
	}), `parameter "setId"`)
	// So is a non-uuid organization ID in the path.
	expectSome(t, do(t, v, exchange{
		method: "GET", path: "/v8/Organizations/contoso/Users",
		status: 200, respBody: v8UsersPage,
	}), `parameter "organizationId"`)
}

func TestAuditItemsPostBodyMustBeArray(t *testing.T) {
	v := load(t, "v8")
	path := "/v8/Organizations/" + orgID + "/AuditItems"
	expectNone(t, do(t, v, exchange{method: "POST", path: path, contentType: "application/json",
		reqBody: auditItemsBody, status: 204}))
	object := `{"type":"User","user":{"id":"a54b55d8-4a07-4755-9889-5001ded697f000000000-0000-0000-0000-000000000000","displayName":"admin","name":"admin@abc.onmicrosoft.com"}}`
	expectSome(t, do(t, v, exchange{method: "POST", path: path, contentType: "application/json",
		reqBody: object, status: 204}), "request body")
	// A wrong item type is reported too.
	badType := strings.Replace(auditItemsBody, `"type": "Group"`, `"type": "Office365"`, 1)
	expectSome(t, do(t, v, exchange{method: "POST", path: path, contentType: "application/json",
		reqBody: badType, status: 204}), "request body")
}

func TestAuditItemsPostStatusPerVersion(t *testing.T) {
	v8 := load(t, "v8")
	path8 := "/v8/Organizations/" + orgID + "/AuditItems"
	expectSome(t, do(t, v8, exchange{method: "POST", path: path8, contentType: "application/json",
		reqBody: auditItemsBody, status: 201}), "status 201 is not declared")

	v6 := load(t, "v6")
	path6 := "/v6/Organizations/" + orgID + "/AuditItems"
	expectNone(t, do(t, v6, exchange{method: "POST", path: path6, contentType: "application/json",
		reqBody: auditItemsBody, status: 201}))
	// v6 declares 201 without content: a body is reported.
	expectSome(t, do(t, v6, exchange{method: "POST", path: path6, contentType: "application/json",
		reqBody: auditItemsBody, status: 201, respBody: auditItemsBody}), "declares no body")
}

func TestAuditItemsRemoveAndList(t *testing.T) {
	v := load(t, "v8")
	base := "/v8/Organizations/" + orgID + "/AuditItems"
	expectNone(t, do(t, v, exchange{method: "POST", path: base + "/remove", contentType: "application/json",
		reqBody: `{"itemIds":["a581ee43-e944-4976-8bf1-2f7479ab918efac93c3f-9f27-426a-97e6-c607c4610e7200000000-0000-0000-0000-000000000000"]}`,
		status:  204}))
	list := `[{"id":"a581ee43-e944-4976-8bf1-2f7479ab918efac93c3f-9f27-426a-97e6-c607c4610e7200000000-0000-0000-0000-000000000000","type":"User",` +
		`"user":{"id":"a54b55d8-4a07-4755-9889-5001ded697f000000000-0000-0000-0000-000000000000","displayName":"admin","name":"admin@abc.onmicrosoft.com","type":"User","locationType":"Cloud"},` +
		`"_links":{"organization":{"href":"/v8/Organizations/` + orgID + `"}}}]`
	expectNone(t, do(t, v, exchange{method: "GET", path: base, status: 200, respBody: list}))
	expectSome(t, do(t, v, exchange{method: "GET", path: base, status: 200,
		respBody: strings.Replace(list, `"type":"User",`, `"type":"Team",`, 1)}), "response body")
}

func TestErrorResponsesUseDefault(t *testing.T) {
	v := load(t, "v8")
	path := "/v8/Organizations/" + orgID
	expectNone(t, do(t, v, exchange{method: "GET", path: path, status: 404, respBody: notFoundBody}))
	expectSome(t, do(t, v, exchange{method: "GET", path: path, status: 404,
		respBody: `{"message":42,"errorCode":"ResourceNotFound"}`}), "message")
	expectSome(t, do(t, v, exchange{method: "GET", path: path, status: 404,
		respBody: `{"message":"x","errorCode":"NoSuchCode"}`}), "errorCode")
	// Tolerance 3: a plain-text 429 from the throttle is not body-checked.
	expectNone(t, do(t, v, exchange{method: "POST", path: "/v8/token",
		contentType: "application/x-www-form-urlencoded", reqBody: "grant_type=password&username=u&password=p",
		status: 429, respContentType: "text/plain", respBody: "API calls quota exceeded! maximum admitted 5 per Minute."}))
}

func TestUndocumentedRouteIsReported(t *testing.T) {
	v := load(t, "v8")
	expectSome(t, do(t, v, exchange{method: "GET", path: "/v8/CopyJobs", status: 200, respBody: `[]`}), "undocumented route")
	// Known path, undocumented method.
	expectSome(t, do(t, v, exchange{method: "DELETE", path: "/v8/Organizations/" + orgID + "/AuditItems", status: 204}), "undocumented route")
	// v8 renamed SendTest to SendTestEmail.
	expectSome(t, do(t, v, exchange{method: "POST", path: "/v8/AuditEmailSettings/SendTest", status: 204}), "undocumented route")
	if n := len(v.Routes()); n != 0 {
		t.Errorf("undocumented routes were counted: %v", v.Routes())
	}
}

func TestTokenFormRequest(t *testing.T) {
	for _, ver := range Versions {
		t.Run(ver, func(t *testing.T) {
			v := load(t, ver)
			form := url.Values{"grant_type": {"password"}, "username": {`VB365\administrator`}, "password": {"secret"}}
			if ver != "v6" {
				form.Set("disable_antiforgery_token", "true")
			}
			expectNone(t, do(t, v, exchange{method: "POST", path: "/" + ver + "/token",
				contentType: "application/x-www-form-urlencoded", reqBody: form.Encode(),
				status: 200, respBody: tokenResponse}))
			// grant_type is required.
			expectSome(t, do(t, v, exchange{method: "POST", path: "/" + ver + "/token",
				contentType: "application/x-www-form-urlencoded", reqBody: "username=u&password=p",
				status: 200, respBody: tokenResponse}), "grant_type")
			// A token response without access_token is reported.
			expectSome(t, do(t, v, exchange{method: "POST", path: "/" + ver + "/token",
				contentType: "application/x-www-form-urlencoded", reqBody: form.Encode(),
				status: 200, respBody: `{"token_type":"bearer","expires_in":3600,"refresh_token":"r",".issued":"x",".expires":"y"}`}), "access_token")
		})
	}
	// v8 dropped grant_type=integration.
	v8 := load(t, "v8")
	expectSome(t, do(t, v8, exchange{method: "POST", path: "/v8/token",
		contentType: "application/x-www-form-urlencoded", reqBody: "grant_type=integration&integration_token=x",
		status: 200, respBody: tokenResponse}), "grant_type")
}

func TestAuditEmailSettingsV8(t *testing.T) {
	v := load(t, "v8")
	expectNone(t, do(t, v, exchange{method: "PUT", path: "/v8/AuditEmailSettings", contentType: "application/json",
		reqBody: v8AuditEmailSettingsPut, status: 204}))
	expectSome(t, do(t, v, exchange{method: "PUT", path: "/v8/AuditEmailSettings", contentType: "application/json",
		reqBody: strings.Replace(v8AuditEmailSettingsPut, `"port": 587`, `"port": "587"`, 1), status: 204}), "port")
	expectSome(t, do(t, v, exchange{method: "PUT", path: "/v8/AuditEmailSettings", contentType: "application/json",
		reqBody: v8AuditEmailSettingsPut, status: 200}), "status 200 is not declared")
	expectNone(t, do(t, v, exchange{method: "POST", path: "/v8/AuditEmailSettings/SendTestEmail", status: 204}))
	get := `{"enableNotification":false,"smtpServer":"","port":25,"useAuthentication":false,"username":"","useSSL":false,` +
		`"from":"","to":"","subject":"[Audit] %OrganizationName%","authenticationType":"CustomSmtp","clientId":null,"tenantId":null,` +
		`"userId":"","mailApiUrl":null,"isAuthenticated":false,"_links":{},"_actions":{}}`
	expectNone(t, do(t, v, exchange{method: "GET", path: "/v8/AuditEmailSettings", status: 200, respBody: get}))
	expectSome(t, do(t, v, exchange{method: "GET", path: "/v8/AuditEmailSettings", status: 200,
		respBody: strings.Replace(get, `"CustomSmtp"`, `"Smtp"`, 1)}), "authenticationType")
}

func TestRequestBodyWhereNoneDeclared(t *testing.T) {
	v := load(t, "v7")
	expectSome(t, do(t, v, exchange{method: "POST", path: "/v7/AuditEmailSettings/SendTest",
		contentType: "application/json", reqBody: `{}`, status: 200}), "request body not allowed")
}

func TestConcurrentUse(t *testing.T) {
	v := load(t, "v8")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/v8/ServiceInstance" {
			_, _ = io.WriteString(w, `{"installationId":"1c2d3e4f-0000-4000-8000-000000000001","version":"8.1.0.305"}`)
			return
		}
		_, _ = io.WriteString(w, `{"installationId":7}`)
	}))
	defer srv.Close()
	client := &http.Client{Transport: v.Transport(nil)}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := "/v8/ServiceInstance"
			if i%2 == 1 {
				path = "/v8/Nope"
			}
			resp, err := client.Get(srv.URL + path)
			if err != nil {
				t.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			_ = v.Violations()
			_ = v.Routes()
		}()
	}
	wg.Wait()
	if got := v.Routes()["GET /v8/ServiceInstance"]; got != 10 {
		t.Errorf("GET /v8/ServiceInstance counted %d times, want 10", got)
	}
	if got := len(v.Violations()); got != 10 {
		t.Errorf("got %d violations, want 10 (one per undocumented request):\n%s", got, strings.Join(v.Violations(), "\n"))
	}
}

func ExampleValidator_Transport() {
	v, err := Load("v8")
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"installationId":"1c2d3e4f-0000-4000-8000-000000000001","version":"8.1"}`)
	}))
	defer srv.Close()
	client := &http.Client{Transport: v.Transport(http.DefaultTransport)}
	resp, err := client.Get(srv.URL + "/v8/ServiceInstance")
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(v.Routes(), len(v.Violations()))
	// Output: map[GET /v8/ServiceInstance:1] 0
}

// Tolerance 1 (package doc): optional properties may be null in responses only.
func TestNullTolerance(t *testing.T) {
	v := load(t, "v8")
	base := "/v8/Organizations/" + orgID + "/AuditItems"
	withNulls := `[{"id":"x","type":null,"group":null,"user":{"id":"u","displayName":"d","name":"n","type":null,"locationType":null,"onPremisesSid":null,"office":null,"_links":null},"_links":null}]`
	expectNone(t, do(t, v, exchange{method: "GET", path: base, status: 200, respBody: withNulls}))
	// Required properties stay non-nullable.
	expectSome(t, do(t, v, exchange{method: "GET", path: "/v8/Organizations", status: 200,
		respBody: `{"offset":null,"limit":30,"results":[]}`}), "offset")
	// Array items do not become nullable.
	expectSome(t, do(t, v, exchange{method: "GET", path: base, status: 200, respBody: `[null]`}), "response body")
	// Requests are checked as written: a null for a non-nullable property is reported.
	expectSome(t, do(t, v, exchange{method: "POST", path: base, contentType: "application/json",
		reqBody: `[{"type":"User","user":{"id":"u","displayName":"d","name":"n","onPremisesSid":null}}]`, status: 204}), "onPremisesSid")
	expectSome(t, do(t, v, exchange{method: "PUT", path: "/v8/AuditEmailSettings", contentType: "application/json",
		reqBody: `{"smtpServer":null}`, status: 204}), "smtpServer")
}
