// Command benchtf measures what Terraform commands cost against the fake
// VB365 server: per phase (apply, plan, destroy) the requests by route, the
// API's floor and the ratio, the wall time, the provider's peak RSS and CPU
// and Terraform's own peak RSS, for N vb365_audit_item, the same N in one
// vb365_audit_items, and vb365_users over large organizations, at injected
// latencies.
//
//	make bench-tf   # or: go run ./tools/benchtf -terraform $(tools/get-terraform.sh) -provider bin/terraform-provider-vb365
//
// It prints a Markdown table (the one in docs/guides/performance.md).
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365"
	"github.com/terraform-vb365/terraform-provider-vb365/internal/vb365/vb365test"
)

func main() {
	// Launcher mode: runs Terraform and records its peak RSS.
	if usage := os.Getenv("BENCHTF_LAUNCH"); usage != "" {
		os.Exit(launch(usage, os.Args[1], os.Args[2:]))
	}
	// Wrapper mode: Terraform starts this binary as the provider; it runs
	// the real one and records its process ID.
	if target := os.Getenv("BENCHTF_PROVIDER"); target != "" {
		os.Exit(wrap(target, os.Getenv("BENCHTF_PIDS")))
	}
	// The providers' wrappers exit without reaping them, so that their
	// usage is not counted as Terraform's: they become this process's
	// children, and it reaps them (reapProviders).
	check(becomeSubreaper())
	tf := flag.String("terraform", "terraform", "Terraform (or OpenTofu) CLI")
	provider := flag.String("provider", "bin/terraform-provider-vb365", "the provider binary to measure")
	ns := flag.String("n", "10,100,500", "numbers of audited users")
	users := flag.String("users", "25000,100000", "organization sizes for vb365_users")
	jobs := flag.String("jobs", "10,100", "numbers of vb365_backup_job (one selected user each)")
	latencies := flag.String("latency", "0,200ms", "latencies injected before every API request")
	flag.Parse()

	self, err := os.Executable()
	check(err)
	measured, err := filepath.Abs(*provider)
	check(err)
	fmt.Println("| scenario | latency | phase | requests by route | requests | floor | ratio | wall | provider peak RSS | provider CPU | Terraform peak RSS |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|")
	for _, lat := range splitDurations(*latencies) {
		for _, n := range splitInts(*ns) {
			runScenario(*tf, self, measured, lat, auditItemScenario(n))
			runScenario(*tf, self, measured, lat, auditItemsScenario(n))
		}
		for _, u := range splitInts(*users) {
			runScenario(*tf, self, measured, lat, usersScenario(u))
		}
		for _, n := range splitInts(*jobs) {
			runScenario(*tf, self, measured, lat, backupJobScenario(n))
		}
	}
}

type phase struct {
	name  string
	args  []string
	floor int // the fewest requests the API allows for this phase
}

type scenario struct {
	name   string
	seed   func(*vb365test.Server) string // returns the configuration
	phases []phase
}

const org = vb365test.DemoOrganizationID

var (
	apply   = []string{"apply", "-auto-approve", "-input=false", "-no-color"}
	plan    = []string{"plan", "-input=false", "-no-color"}
	destroy = []string{"destroy", "-auto-approve", "-input=false", "-no-color"}
)

func ceilDiv(a, b int) int { return (a + b - 1) / b }

func header() string {
	return `terraform {
  required_providers {
    vb365 = { source = "terraform-vb365/vb365" }
  }
}
`
}

// userIDs adds n users and returns their IDs, quoted for HCL.
func userIDs(fake *vb365test.Server, n int) []string {
	fake.AddUsers(org, n)
	all := fake.Organization(org).Users
	ids := make([]string, 0, n)
	for _, u := range all[len(all)-n:] {
		ids = append(ids, strconv.Quote(u.ID))
	}
	return ids
}

// N vb365_audit_item. Floors: create, one sign-in, the principal lookups
// (one GET each up to vb365.ListThreshold, then one page of the
// organization's users for the rest), per item the POST the resource
// makes, and one list per 10 parallel creates (Terraform's parallelism); a
// refresh, one sign-in and one list; destroy, the refresh, then a sign-in
// and one remove per item.
func auditItemScenario(n int) scenario {
	return scenario{
		name: fmt.Sprintf("%d × vb365_audit_item", n),
		seed: func(fake *vb365test.Server) string {
			return header() + fmt.Sprintf(`
locals { user_ids = [%s] }
resource "vb365_audit_item" "u" {
  count           = length(local.user_ids)
  organization_id = %q
  user_id         = local.user_ids[count.index]
}
`, strings.Join(userIDs(fake, n), ", "), org)
		},
		phases: []phase{
			{"apply", apply, 1 + lookups(n) + n + ceilDiv(n, 10)},
			{"plan", plan, 2},
			{"destroy", destroy, 2 + 1 + n},
		},
	}
}

// lookups is what looking up n users one create at a time costs: a GET
// each up to vb365.ListThreshold, then one page of the organization's users.
func lookups(n int) int {
	if n <= vb365.ListThreshold {
		return n
	}
	return vb365.ListThreshold + 1
}

// N users in one vb365_audit_items. Floors: the plan walk, a sign-in and
// the list that warns about undeclared removals; the apply walk, a sign-in,
// the users (one page per 10,000, or one lookup each when fewer), the
// current list, one POST and the list that reads it back. Refresh, a
// sign-in and a list. Destroy: the refresh, then a sign-in, the list that
// finds the item IDs and one remove.
func auditItemsScenario(n int) scenario {
	return scenario{
		name: fmt.Sprintf("%d users in vb365_audit_items", n),
		seed: func(fake *vb365test.Server) string {
			return header() + fmt.Sprintf(`
resource "vb365_audit_items" "all" {
  organization_id = %q
  user_ids        = [%s]
}
`, org, strings.Join(userIDs(fake, n), ", "))
		},
		phases: []phase{
			{"apply", apply, 2 + 1 + min(n, ceilDiv(n+7, 10000)) + 3},
			{"plan", plan, 2},
			{"destroy", destroy, 2 + 3},
		},
	}
}

// vb365_users over an organization of u generated users (plus the 7
// seeded): a sign-in and one request per 10,000 users.
func usersScenario(u int) scenario {
	return scenario{
		name: fmt.Sprintf("vb365_users over %d users", u+7),
		seed: func(fake *vb365test.Server) string {
			fake.AddUsers(org, u)
			return header() + fmt.Sprintf(`
data "vb365_users" "all" { organization_id = %q }
output "count" { value = length(data.vb365_users.all.users) }
`, org)
		},
		phases: []phase{{"plan", plan, 1 + ceilDiv(u+7, 10000)}},
	}
}

// N vb365_backup_job of one organization, one selected user each (REST API
// v8, the default). Floors: create, one sign-in, the user lookups, one job
// list (the name check, shared), per job the POST and the two item lists
// that read it back; a refresh, one sign-in, one job list page per 100 jobs
// and two item lists per job (the API has no request that answers a job
// with its items); destroy, the refresh, then a sign-in and one DELETE per
// job.
func backupJobScenario(n int) scenario {
	refresh := 1 + ceilDiv(n, 100) + 2*n
	return scenario{
		name: fmt.Sprintf("%d × vb365_backup_job", n),
		seed: func(fake *vb365test.Server) string {
			return header() + fmt.Sprintf(`
locals { user_ids = [%s] }
resource "vb365_backup_job" "j" {
  count           = length(local.user_ids)
  organization_id = %q
  repository_id   = %q
  name            = "Job ${count.index}"
  backup_type     = "SelectedItems"
  selected_items  = [{ type = "User", user_id = local.user_ids[count.index], mailbox = true }]
}
`, strings.Join(userIDs(fake, n), ", "), org, vb365test.DefaultRepositoryID)
		},
		phases: []phase{
			{"apply", apply, 1 + lookups(n) + 1 + 3*n},
			{"plan", plan, refresh},
			{"destroy", destroy, refresh + 1 + n},
		},
	}
}

// withLatency delays every API request (not the fake's /_fake/ routes).
func withLatency(h http.Handler, d time.Duration) http.Handler {
	if d == 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/_fake/") {
			time.Sleep(d)
		}
		h.ServeHTTP(w, r)
	})
}

func runScenario(tf, self, measured string, lat time.Duration, sc scenario) {
	fake := vb365test.New(vb365test.Options{})
	fake.SeedDemo()
	srv := httptest.NewServer(withLatency(fake, lat))
	defer srv.Close()

	dir, err := os.MkdirTemp("", "benchtf-")
	check(err)
	defer os.RemoveAll(dir)
	plugins := filepath.Join(dir, "plugins")
	check(os.MkdirAll(plugins, 0o755))
	check(os.Symlink(self, filepath.Join(plugins, "terraform-provider-vb365")))
	rc := filepath.Join(dir, "dev.tfrc")
	check(os.WriteFile(rc, []byte(fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/terraform-vb365/vb365" = %q
    "registry.opentofu.org/terraform-vb365/vb365" = %q
  }
  direct {}
}
`, plugins, plugins)), 0o600))
	work := filepath.Join(dir, "work")
	check(os.MkdirAll(work, 0o755))
	check(os.WriteFile(filepath.Join(work, "main.tf"), []byte(sc.seed(fake)), 0o600))
	pids := filepath.Join(dir, "pids")

	for _, ph := range sc.phases {
		fake.ResetRequests()
		_ = os.Remove(pids)
		tfUsage := filepath.Join(dir, "terraform-rusage")
		cmd := exec.Command(self, append([]string{tf}, ph.args...)...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
			"VB365_URL="+srv.URL, "VB365_USERNAME="+fake.Username(), "VB365_PASSWORD="+fake.Password(),
			"BENCHTF_PROVIDER="+measured, "BENCHTF_PIDS="+pids, "BENCHTF_LAUNCH="+tfUsage)
		start := time.Now()
		out, err := cmd.CombinedOutput()
		wall := time.Since(start)
		peak, cpu := reapProviders(pids)
		if err != nil {
			fmt.Fprintf(os.Stderr, "benchtf: %s %s: %v\n%s\n", sc.name, ph.name, err, out)
			os.Exit(1)
		}
		routes := fake.CountByRoute()
		total := 0
		var parts []string
		for r, c := range routes {
			total += c
			parts = append(parts, fmt.Sprintf("%s %d", shortRoute(r), c))
		}
		sort.Strings(parts)
		var tfPeak int64 // KiB
		if b, err := os.ReadFile(tfUsage); err == nil {
			tfPeak, _ = strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		}
		fmt.Printf("| %s | %s | %s | %s | %d | %d | %.2f | %.1f s | %d MiB | %.1f s | %d MiB |\n",
			sc.name, lat, ph.name, strings.Join(parts, ", "), total, ph.floor, float64(total)/float64(ph.floor),
			wall.Seconds(), peak/1024, cpu, tfPeak/1024)
	}
}

// shortRoute drops the organization prefix of a route for the table.
func shortRoute(r string) string {
	return strings.ReplaceAll(r, "/Organizations/{organizationId}", "")
}

// launch runs Terraform (tf with args) as its child and writes its peak RSS
// in KiB to usage. Terraform is not benchtf's own child because a child
// started by vfork, as Go starts them, inherits as its peak RSS the peak of
// the process it was forked from: benchtf's, which holds the fake with 100k
// users; this launcher is small. Terraform's peak counts its own and its
// wrappers' (which start from Terraform's), not the providers' (wrap).
func launch(usage, tf string, args []string) int {
	cmd := exec.Command(tf, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = slices.DeleteFunc(os.Environ(), func(e string) bool { return strings.HasPrefix(e, "BENCHTF_LAUNCH=") })
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "benchtf launcher:", err)
		return 1
	}
	err := cmd.Wait()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		_ = os.WriteFile(usage, []byte(strconv.FormatInt(ru.Maxrss, 10)), 0o600)
	}
	if err != nil {
		return cmd.ProcessState.ExitCode()
	}
	return 0
}

// becomeSubreaper makes this process the one that orphaned descendants
// (the providers whose wrappers exited) are given to.
func becomeSubreaper() error {
	const prSetChildSubreaper = 36
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); errno != 0 {
		return fmt.Errorf("prctl(PR_SET_CHILD_SUBREAPER): %w", errno)
	}
	return nil
}

// reapProviders waits for the provider processes a phase started (their
// IDs, one a line, in path), and returns the largest peak RSS (KiB) and the
// total CPU seconds among them.
func reapProviders(path string) (peakKiB int64, cpu float64) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, 0
	}
	for _, f := range strings.Fields(string(b)) {
		pid, err := strconv.Atoi(f)
		if err != nil {
			continue
		}
		var status syscall.WaitStatus
		var ru syscall.Rusage
		for {
			_, err = syscall.Wait4(pid, &status, 0, &ru)
			if !errors.Is(err, syscall.EINTR) {
				break
			}
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "benchtf: provider %d: %v\n", pid, err)
			continue
		}
		peakKiB = max(peakKiB, ru.Maxrss)
		cpu += time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
	}
	return peakKiB, cpu
}

// wrap runs the real provider with this process's arguments and standard
// streams (the plugin handshake goes through stdout), appends its process
// ID to pids, and exits when it does with its exit code, without reaping
// it: the provider then becomes a child of benchtf, which reaps it and
// reads its resource usage, and Terraform's usage (which counts what its
// children reaped) stays Terraform's own.
func wrap(target, pids string) int {
	cmd := exec.Command(target, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "benchtf wrapper:", err)
		return 1
	}
	if f, err := os.OpenFile(pids, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600); err == nil {
		fmt.Fprintln(f, cmd.Process.Pid)
		_ = f.Close()
	}
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	return waitNoReap(cmd.Process.Pid)
}

// waitNoReap waits for the process pid to exit, leaves it to be reaped, and
// returns its exit code (128 + the signal that killed it).
func waitNoReap(pid int) int {
	const (
		pPID    = 1
		wExited = 4
		wNoWait = 0x01000000
		// siginfo_t on 64-bit Linux: si_code at byte 8, si_status at 24.
		cldExited = 1
	)
	var info [128]byte
	for {
		_, _, errno := syscall.Syscall6(syscall.SYS_WAITID, pPID, uintptr(pid), uintptr(unsafe.Pointer(&info[0])), wExited|wNoWait, 0, 0)
		if errno == syscall.EINTR {
			continue
		}
		if errno != 0 {
			fmt.Fprintln(os.Stderr, "benchtf wrapper: waitid:", errno)
			return 1
		}
		break
	}
	code := int(int32(binary.NativeEndian.Uint32(info[8:])))
	status := int(int32(binary.NativeEndian.Uint32(info[24:])))
	if code == cldExited {
		return status
	}
	return 128 + status
}

func splitInts(s string) []int {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			n, err := strconv.Atoi(f)
			check(err)
			out = append(out, n)
		}
	}
	return out
}

func splitDurations(s string) []time.Duration {
	var out []time.Duration
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "0" {
			out = append(out, 0)
			continue
		}
		d, err := time.ParseDuration(f)
		check(err)
		out = append(out, d)
	}
	return out
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtf:", err)
		os.Exit(1)
	}
}
