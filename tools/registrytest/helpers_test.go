package registrytest

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The end-to-end tests read a snapshot release and what signed it from
// these variables, which tools/test-release.sh sets (make test-release).
const (
	envDist       = "VB365_RELEASE_DIST"        // goreleaser's dist directory of the snapshot
	envTaggedDist = "VB365_RELEASE_TAGGED_DIST" // and of the release of the tag, on a clone
	envTag        = "VB365_RELEASE_TAG"         // the tag the snapshot stands for, v0.1.0
	envKey        = "VB365_RELEASE_KEY"         // the signing key's public key, ASCII-armored
	envKeyID      = "VB365_RELEASE_KEY_ID"      // its long key ID
	envOtherSig   = "VB365_RELEASE_OTHER_SIG"   // a signature of SHA256SUMS by another key
	envTerraform  = "TF_ACC_TERRAFORM_PATH"     // the CLIs, as tools/get-terraform.sh
	envTofu       = "TOFU_PATH"                 // and tools/get-tofu.sh find them
)

// snapshot is the release under test and the keys it was signed with.
type snapshot struct {
	release  *Release
	key      SigningKey
	otherSig []byte
}

// loadSnapshot reads the release named by the environment, or skips the
// test when there is none (a plain go test; make test-release sets it).
func loadSnapshot(t *testing.T) snapshot {
	t.Helper()
	dist := os.Getenv(envDist)
	if dist == "" {
		t.Skipf("%s is not set: make test-release builds a snapshot release and runs this test on it", envDist)
	}
	tag := os.Getenv(envTag)
	version, ok := strings.CutPrefix(tag, "v")
	if !ok {
		t.Fatalf("%s=%q: want a tag such as v0.1.0", envTag, tag)
	}
	s := snapshot{release: loadRelease(t, dist, version), key: SigningKey{KeyID: os.Getenv(envKeyID)}}
	if s.key.KeyID == "" {
		t.Fatalf("%s is not set", envKeyID)
	}
	armor, err := os.ReadFile(os.Getenv(envKey))
	if err != nil {
		t.Fatalf("%s: %v", envKey, err)
	}
	s.key.ASCIIArmor = string(armor)
	if s.otherSig, err = os.ReadFile(os.Getenv(envOtherSig)); err != nil {
		t.Fatalf("%s: %v", envOtherSig, err)
	}
	return s
}

// loadRelease reads the release of version that goreleaser wrote into dist.
func loadRelease(t *testing.T, dist, version string) *Release {
	t.Helper()
	rel, err := LoadDist(dist, filepath.Join(repoRoot(t), "terraform-registry-manifest.json"), "terraform-provider-vb365", version)
	if err != nil {
		t.Fatal(err)
	}
	return rel
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// zipEntry is one file of a fabricated zip.
type zipEntry struct {
	name string
	mode fs.FileMode
	body string
}

func makeZip(t *testing.T, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		h.SetMode(e.mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// fakeSig stands for a binary OpenPGP signature: a packet whose tag byte has
// its high bit set (0x89: an old-format signature packet).
var fakeSig = []byte{0x89, 0x01, 0x33}

// fabricated builds a release that passes Check: two platforms, each zip
// with its executable, the manifest, SHA256SUMS over all of them and a
// signature. Tests change one thing of it and expect Check to say so.
func fabricated(t *testing.T) *Release {
	t.Helper()
	r := &Release{Name: "terraform-provider-vb365", Version: "0.1.0", Files: map[string][]byte{}}
	r.Files[r.ManifestName()] = []byte(`{"version": 1, "metadata": {"protocol_versions": ["6.0"]}}` + "\n")
	for _, p := range []Platform{{"linux", "amd64"}, {"windows", "arm64"}} {
		r.Files[r.ZipName(p)] = makeZip(t, zipEntry{r.BinaryName(p), 0o755, "binary for " + p.String()})
	}
	resum(r)
	r.Files[r.SigName()] = fakeSig
	return r
}

// resum rewrites SHA256SUMS over the release's zips and manifest.
func resum(r *Release) {
	var b strings.Builder
	for _, n := range []string{r.ManifestName(), r.ZipName(Platform{"linux", "amd64"}), r.ZipName(Platform{"windows", "arm64"})} {
		if body, ok := r.Files[n]; ok {
			fmt.Fprintf(&b, "%x  %s\n", sha256.Sum256(body), n)
		}
	}
	r.Files[r.SumsName()] = []byte(b.String())
}
