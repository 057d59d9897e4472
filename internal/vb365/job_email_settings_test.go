package vb365

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test/contract"
)

// TestJobEmailSettingsContract runs every job notification operation through
// the OpenAPI validator of each version, and checks that writing the job
// settings leaves the audit settings as they are (and the other way round).
func TestJobEmailSettingsContract(t *testing.T) {
	for _, v := range []APIVersion{V8, V7, V6} {
		t.Run(string(v), func(t *testing.T) {
			val, err := contract.Load(string(v))
			if err != nil {
				t.Fatal(err)
			}
			fake := vb365test.Start(t, vb365test.Options{})
			c := newTestClient(t, fake.URL, withVersion(v), func(cfg *Config) {
				cfg.HTTPClient = &http.Client{Transport: val.Transport(http.DefaultTransport)}
			})
			ctx := context.Background()
			audit := fake.AuditEmailSettings()

			got, err := c.GetJobEmailSettings(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !got.NotifyOnFailure || got.Subject != vb365test.DefaultJobSubject || len(got.NullBooleans) != 0 {
				t.Fatalf("defaults: %+v", got)
			}
			u := JobEmailSettingsUpdate{
				EmailSettingsUpdate:    smtpUpdate("job-pw"),
				NotifyOnSuccess:        auditPtr(false),
				NotifyOnWarning:        auditPtr(false),
				NotifyOnFailure:        auditPtr(true),
				SuppressUntilLastRetry: auditPtr(false),
				AttachDetailedReport:   auditPtr(true),
			}
			u.Subject = auditPtr("[%JobResult%] %JobName%")
			if err := c.UpdateJobEmailSettings(ctx, u); err != nil {
				t.Fatal(err)
			}
			got, err = c.GetJobEmailSettings(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got.NotifyOnSuccess || got.NotifyOnWarning || !got.NotifyOnFailure || got.SuppressUntilLastRetry || !got.AttachDetailedReport ||
				got.SMTPServer != "smtp.office365.com" || got.Subject != "[%JobResult%] %JobName%" || len(got.To) != 2 {
				t.Fatalf("after PUT: %+v", got)
			}
			if stored := fake.JobEmailSettings(); stored.Password != "job-pw" || stored.SupressUntilLastRetry {
				t.Fatalf("stored: %+v", stored)
			}
			if after := fake.AuditEmailSettings(); !reflect.DeepEqual(after, audit) {
				t.Fatalf("writing the job settings changed the audit settings:\n%+v\n%+v", after, audit)
			}
			// The other way round.
			job := fake.JobEmailSettings()
			if err := c.UpdateAuditEmailSettings(ctx, smtpUpdate("audit-pw")); err != nil {
				t.Fatal(err)
			}
			if after := fake.JobEmailSettings(); !reflect.DeepEqual(after, job) {
				t.Fatalf("writing the audit settings changed the job settings")
			}
			if err := c.SendJobTestEmail(ctx); err != nil {
				t.Fatal(err)
			}
			if sent := fake.SentTestEmails(); len(sent) != 1 || sent[0].Path != "/VboEmailSettings" {
				t.Fatalf("sent: %+v", sent)
			}
			// An error answer is checked too.
			bad := JobEmailSettingsUpdate{EmailSettingsUpdate: EmailSettingsUpdate{SMTPServer: auditPtr(""), EnableNotification: auditPtr(true)}}
			if err := c.UpdateJobEmailSettings(ctx, bad); !errors.Is(err, ErrBadRequest) {
				t.Fatalf("want a 400: %v", err)
			}
			if v == V6 {
				oauth := JobEmailSettingsUpdate{EmailSettingsUpdate: EmailSettingsUpdate{AuthenticationType: auditPtr(EmailAuthMicrosoft365)}}
				if err := c.UpdateJobEmailSettings(ctx, oauth); !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "job e-mail") {
					t.Fatalf("OAuth on v6: %v", err)
				}
			}
			test := "/SendTest"
			if v == V8 {
				test = "/SendTestEmail"
			}
			p := "/" + string(v) + "/VboEmailSettings"
			if vs := val.Violations(); len(vs) > 0 {
				t.Fatalf("contract violations:\n%s", strings.Join(vs, "\n"))
			}
			seen := val.Routes()
			for _, r := range []string{"GET " + p, "PUT " + p, "POST " + p + test} {
				if seen[r] == 0 {
					t.Errorf("route %s was not validated (validated: %v)", r, seen)
				}
			}
			if c.JobTestEmailPath() != p+test {
				t.Errorf("JobTestEmailPath = %s", c.JobTestEmailPath())
			}
		})
	}
}

// TestJobEmailSettingsNullBooleans: a flag the server leaves out is named,
// not read as a silent false.
func TestJobEmailSettingsNullBooleans(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	fake.InjectFault(vb365test.Fault{Route: "GET /VboEmailSettings", Body: ptr(`{"enableNotification": true, "notifyOnFailure": true, "notifyOnSuccess": null}`), ContentType: "application/json"})
	c := newTestClient(t, fake.URL)
	got, err := c.GetJobEmailSettings(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"notifyOnSuccess", "notifyOnWarning", "supressUntilLastRetry", "attachDetailedReport", "useSSL"} {
		if !got.NullBooleans[name] {
			t.Errorf("%s not named as null: %v", name, got.NullBooleans)
		}
	}
	if got.NullBooleans["notifyOnFailure"] || !got.NotifyOnFailure {
		t.Errorf("notifyOnFailure: %+v", got)
	}
}

// TestFakeJobEmailOutOfBand covers the fake's out-of-band route for the job
// settings (used by the demo): it changes the job flags and the shared
// fields, and leaves the audit settings alone.
func TestFakeJobEmailOutOfBand(t *testing.T) {
	fake := vb365test.Start(t, vb365test.Options{})
	audit := fake.AuditEmailSettings()
	req, _ := http.NewRequest(http.MethodPatch, fake.URL+"/_fake/job-email-settings", strings.NewReader(`{"notifyOnSuccess": false, "attachDetailedReport": true, "to": "noc@contoso.onmicrosoft.com"}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("PATCH = %d", resp.StatusCode)
	}
	s := fake.JobEmailSettings()
	if s.NotifyOnSuccess || !s.AttachDetailedReport || s.To != "noc@contoso.onmicrosoft.com" || !s.NotifyOnFailure {
		t.Fatalf("after PATCH: %+v", s)
	}
	if !reflect.DeepEqual(fake.AuditEmailSettings(), audit) {
		t.Fatal("the job PATCH changed the audit settings")
	}
}
