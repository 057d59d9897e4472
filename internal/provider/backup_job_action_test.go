package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

// createJob creates a backup job on the fake through the client (api
// version), selecting the chief executive's mailbox.
func createJob(t *testing.T, fake *vb365test.Server, version vb365.APIVersion, name string) *vb365.BackupJob {
	t.Helper()
	c, err := vb365.New(vb365.Config{URL: fake.URL, Username: fake.Username(), Password: fake.Password(), APIVersion: version})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	u, err := c.GetUser(ctx, vb365test.DemoOrganizationID, auditPrincipalID(t, fake, "ceo@contoso.onmicrosoft.com"))
	if err != nil {
		t.Fatal(err)
	}
	job, err := c.CreateBackupJob(ctx, vb365test.DemoOrganizationID, vb365.JobCreate{
		Name: name, BackupType: vb365.JobSelectedItems, RepositoryID: vb365test.DefaultRepositoryID, Enabled: true,
		Selected: []vb365.JobItemEntry{{Type: vb365.ItemUser, Object: vb365.Object{User: u}, Flags: vb365.JobItemFlags{Mailbox: true}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return job
}

// The start and stop actions through the protocol, on each version (v8
// answers the start with a session, v6 and v7 with 204): a full start, a
// start of a running job refused naming job_id, a stop, a missing job.
func TestBackupJobActions(t *testing.T) {
	for _, version := range []vb365.APIVersion{vb365.V8, vb365.V7, vb365.V6} {
		t.Run(string(version), func(t *testing.T) {
			clearProviderEnv(t)
			fake := startJobFake(t, vb365test.Quirks{})
			job := createJob(t, fake, version, "Staff")
			p := newProtoProvider(t)
			p.configure(fake, string(version))

			progress, diags := p.invokeActionWith("vb365_backup_job_start", map[string]tftypes.Value{"job_id": str(strings.ToUpper(job.ID)), "full": tftypes.NewValue(tftypes.Bool, true)})
			requireNoErrorDiags(t, "start", diags)
			if starts := fake.JobStarts(); len(starts) != 1 || !strings.EqualFold(starts[0].JobID, job.ID) || !starts[0].Full {
				t.Fatalf("starts on the server: %+v", starts)
			}
			last := progress[len(progress)-1]
			if !strings.Contains(progress[0], "a full run") || !strings.Contains(last, "started") {
				t.Errorf("progress: %q", progress)
			}
			if version == vb365.V8 && !strings.Contains(last, "session") {
				t.Errorf("v8 answers the start with a session; progress %q", progress)
			}

			_, diags = p.invokeActionWith("vb365_backup_job_start", map[string]tftypes.Value{"job_id": str(job.ID)})
			if got := diagsText(diags); !strings.Contains(got, "already running") || !strings.Contains(got, "enabled = true") {
				t.Errorf("start of a running job: %s", got)
			}

			progress, diags = p.invokeActionWith("vb365_backup_job_stop", map[string]tftypes.Value{"job_id": str(job.ID)})
			requireNoErrorDiags(t, "stop", diags)
			if fake.Job(job.ID).Running || !strings.Contains(progress[len(progress)-1], "stopped") {
				t.Errorf("after the stop: running %v, progress %q", fake.Job(job.ID).Running, progress)
			}

			missing := "00000000-0000-4000-8000-000000000001"
			for _, a := range []string{"vb365_backup_job_start", "vb365_backup_job_stop"} {
				_, diags = p.invokeActionWith(a, map[string]tftypes.Value{"job_id": str(missing)})
				if got := diagsText(diags); !strings.Contains(got, "no backup job with ID") || !strings.Contains(got, "vb365_backup_jobs") {
					t.Errorf("%s of a missing job: %s", a, got)
				}
			}
			if n := len(fake.JobStarts()); n != 1 {
				t.Errorf("%d starts on the server, want 1", n)
			}
		})
	}
}
