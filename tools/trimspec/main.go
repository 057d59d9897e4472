// Command trimspec cuts one of Veeam's VB365 REST OpenAPI documents down to the
// operations the provider uses, plus every component they reference, and strips
// all prose from the result.
//
// Veeam's OpenAPI documents (../shared/vb365-api/vb365_rest_v{6,7,8}.json) must
// not be republished. What trimspec writes keeps facts only: paths, methods,
// parameters, request bodies, schemas, status codes, media types and security
// schemes. It drops, wherever they are OpenAPI keywords (never when they are
// the names of schema properties, parameters, media types, etc.):
//
//   - description, summary, title, example, examples, externalDocs, tags
//   - every specification extension (x-*), which covers x-veeam-*, x-summary,
//     x-displayName, x-ms-enum, x-anyOf, x-codegen-request-body-name, ...
//   - info (replaced by a neutral title of our own and the original version)
//   - the top-level tags list (tag descriptions are prose)
//
// Quirks handled (see also the contract package):
//
//   - OpenAPI 3.0 requires every Response Object to have a description, and
//     kin-openapi's document validation (run by routers/legacy.NewRouter)
//     rejects a response without one. Stripping removes Veeam's text, so the
//     trimmer writes an empty "description": "" on every response object.
//   - x-anyOf on RestOrganizationComposed is an extension (not JSON Schema);
//     it is dropped, so the schemas it names are not pulled in.
//
// Output is deterministic: keys sorted (encoding/json sorts map keys), one-space
// indentation, numbers preserved as written, trailing newline.
//
// Usage (from the repository root):
//
//	go run ./tools/trimspec -in ../shared/vb365-api/vb365_rest_v8.json \
//	    -out internal/vb365/vb365test/contract/testdata/vb365_rest_v8.trimmed.json
//
// or all three at once:
//
//	go run ./tools/trimspec -specdir ../shared/vb365-api \
//	    -outdir internal/vb365/vb365test/contract/testdata
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// keptOp is one operation to keep. Path is relative to the /vN prefix and is
// written with the spec's exact casing. Optional operations exist only in some
// versions; a missing mandatory operation is an error.
type keptOp struct {
	Method   string
	Path     string
	Optional bool
}

var keptOps = []keptOp{
	{"post", "/token", false},
	{"post", "/token/logout", true}, // v7, v8
	{"get", "/ServiceInstance", false},
	{"get", "/Organizations", false},
	{"get", "/Organizations/{organizationId}", false},
	{"get", "/Organizations/{organizationId}/Users", false},
	{"get", "/Organizations/{organizationId}/Users/{userId}", false},
	{"get", "/Organizations/{organizationId}/Groups", false},
	{"get", "/Organizations/{organizationId}/Groups/{groupId}", false},
	{"get", "/Organizations/{organizationId}/AuditItems", false},
	{"post", "/Organizations/{organizationId}/AuditItems", false},
	{"post", "/Organizations/{organizationId}/AuditItems/remove", false},
	{"get", "/AuditEmailSettings", false},
	{"put", "/AuditEmailSettings", false},
	{"post", "/AuditEmailSettings/SendTest", true},            // v6, v7
	{"post", "/AuditEmailSettings/SendTestEmail", true},       // v8
	{"post", "/AuditEmailSettings/PrepareOAuthSignIn", true},  // v7, v8
	{"post", "/AuditEmailSettings/CompleteOAuthSignIn", true}, // v7, v8
	{"get", "/VboEmailSettings", false},
	{"put", "/VboEmailSettings", false},
	{"post", "/VboEmailSettings/SendTest", true},      // v6, v7
	{"post", "/VboEmailSettings/SendTestEmail", true}, // v8
	{"get", "/Organizations/{organizationId}/Sites", false},
	{"get", "/Organizations/{organizationId}/Sites/{siteId}", false},
	{"get", "/Organizations/{organizationId}/Teams", false},
	{"get", "/Organizations/{organizationId}/Teams/{teamId}", false},
	{"get", "/RbacRoles", false},
	{"get", "/RbacRoles/{roleId}", false},
	{"put", "/RbacRoles/{roleId}", false},
	{"delete", "/RbacRoles/{roleId}", false},
	{"get", "/Organizations/{organizationId}/RbacRoles", false},
	{"post", "/Organizations/{organizationId}/RbacRoles", false},
	{"get", "/RbacRoles/{roleId}/operators", false},
	{"post", "/RbacRoles/{roleId}/operators", false},
	{"delete", "/RbacRoles/{roleId}/operators", false},
	{"get", "/RbacRoles/{roleId}/selectedItems", false},
	{"post", "/RbacRoles/{roleId}/selectedItems", false},
	{"delete", "/RbacRoles/{roleId}/selectedItems", false},
	{"get", "/RbacRoles/{roleId}/excludedItems", false},
	{"post", "/RbacRoles/{roleId}/excludedItems", false},
	{"delete", "/RbacRoles/{roleId}/excludedItems", false},
	{"get", "/RestoreSessions", false},
	{"get", "/RestoreSessions/{restoreSessionId}", false},
	{"get", "/RestoreSessions/{restoreSessionId}/Events", false},
	{"get", "/VexEmailSettings", false},
	{"put", "/VexEmailSettings", false},
	{"post", "/VexEmailSettings/SendTest", true},            // v6, v7
	{"post", "/VexEmailSettings/SendTestEmail", true},       // v8
	{"post", "/VexEmailSettings/PrepareOAuthSignIn", true},  // v8
	{"post", "/VexEmailSettings/CompleteOAuthSignIn", true}, // v8
	{"get", "/VeodEmailSettings", false},
	{"put", "/VeodEmailSettings", false},
	{"post", "/VeodEmailSettings/SendTestEmail", false},
	{"post", "/VeodEmailSettings/PrepareOAuthSignIn", true},  // v8
	{"post", "/VeodEmailSettings/CompleteOAuthSignIn", true}, // v8
	{"get", "/VespEmailSettings", false},
	{"put", "/VespEmailSettings", false},
	{"post", "/VespEmailSettings/SendTestEmail", false},
	{"post", "/VespEmailSettings/PrepareOAuthSignIn", true},  // v8
	{"post", "/VespEmailSettings/CompleteOAuthSignIn", true}, // v8
	{"get", "/VetEmailSettings", false},
	{"put", "/VetEmailSettings", false},
	{"post", "/VetEmailSettings/sendTest", true},            // v6, v7 (lower-case s)
	{"post", "/VetEmailSettings/SendTestEmail", true},       // v8
	{"post", "/VetEmailSettings/PrepareOAuthSignIn", true},  // v8
	{"post", "/VetEmailSettings/CompleteOAuthSignIn", true}, // v8
	{"get", "/Organizations/{organizationId}/Groups/{groupId}/Members", false},
	{"get", "/ProtectedUsers", true},  // v8
	{"get", "/ProtectedGroups", true}, // v8
	{"get", "/ProtectedSites", true},  // v8
	{"get", "/ProtectedTeams", true},  // v8
	{"get", "/LicensedUsers", false},
	{"get", "/RestorePortalSettings", false},
	{"get", "/BackupRepositories", false},
	{"get", "/BackupRepositories/{repositoryId}", false},
	{"get", "/objectstoragerepositories", true},                // v6, v7
	{"get", "/objectstoragerepositories/{repositoryId}", true}, // v6, v7
	{"get", "/Proxies", false},
	{"get", "/Jobs", false},
	{"post", "/Jobs", true},                                // v8
	{"get", "/Organizations/{organizationId}/Jobs", true},  // v6, v7
	{"post", "/Organizations/{organizationId}/Jobs", true}, // v6, v7
	{"get", "/Jobs/{jobId}", false},
	{"put", "/Jobs/{jobId}", false},
	{"delete", "/Jobs/{jobId}", false},
	{"post", "/Jobs/{jobId}/enable", false},
	{"post", "/Jobs/{jobId}/disable", false},
	{"post", "/Jobs/{jobId}/start", false},
	{"post", "/Jobs/{jobId}/stop", false},
	{"get", "/Jobs/{jobId}/SelectedItems", false},
	{"post", "/Jobs/{jobId}/SelectedItems", false},
	{"delete", "/Jobs/{jobId}/SelectedItems", false},
	{"put", "/Jobs/{jobId}/SelectedItems/{itemId}", false},
	{"get", "/Jobs/{jobId}/ExcludedItems", false},
	{"post", "/Jobs/{jobId}/ExcludedItems", false},
	{"delete", "/Jobs/{jobId}/ExcludedItems", false},
	{"put", "/Jobs/{jobId}/ExcludedItems/{itemId}", false},
}

// proseKeys are OpenAPI keywords whose values are documentation text (or
// documentation structures) rather than facts.
var proseKeys = map[string]bool{
	"description":  true,
	"summary":      true,
	"title":        true,
	"example":      true,
	"examples":     true,
	"externalDocs": true,
	"tags":         true,
}

// nameMapKeys are keywords whose value is a map from user-chosen names to
// objects (schema properties, status codes, media types, component names...).
// The keys of such a map are facts and are never stripped; each value is an
// ordinary OpenAPI object and is stripped normally.
var nameMapKeys = map[string]bool{
	"properties":        true,
	"patternProperties": true,
	"paths":             true,
	"schemas":           true,
	"responses":         true,
	"parameters":        true, // a map in components; a list in operations
	"requestBodies":     true,
	"headers":           true,
	"securitySchemes":   true,
	"links":             true,
	"callbacks":         true,
	"content":           true,
	"encoding":          true,
	"variables":         true,
	"mapping":           true,
}

// literalKeys hold data values (not OpenAPI objects): copy them verbatim.
var literalKeys = map[string]bool{
	"default": true, // inside a schema; a "default" response is reached via a name map
	"enum":    true,
	"const":   true,
}

func main() {
	in := flag.String("in", "", "full OpenAPI JSON to read")
	out := flag.String("out", "", "trimmed JSON to write")
	specDir := flag.String("specdir", "", "directory holding vb365_rest_v{6,7,8}.json (instead of -in/-out)")
	outDir := flag.String("outdir", "", "directory to write vb365_rest_v{6,7,8}.trimmed.json to (with -specdir)")
	flag.Parse()

	var jobs [][2]string
	switch {
	case *specDir != "" && *outDir != "":
		for _, v := range []string{"v6", "v7", "v8"} {
			jobs = append(jobs, [2]string{
				filepath.Join(*specDir, "vb365_rest_"+v+".json"),
				filepath.Join(*outDir, "vb365_rest_"+v+".trimmed.json"),
			})
		}
	case *in != "" && *out != "":
		jobs = append(jobs, [2]string{*in, *out})
	default:
		fmt.Fprintln(os.Stderr, "usage: trimspec -in FULL.json -out TRIMMED.json | -specdir DIR -outdir DIR")
		os.Exit(2)
	}
	for _, j := range jobs {
		if err := run(j[0], j[1]); err != nil {
			fmt.Fprintf(os.Stderr, "trimspec: %s: %v\n", j[0], err)
			os.Exit(1)
		}
	}
}

func run(inPath, outPath string) error {
	raw, err := os.ReadFile(inPath)
	if err != nil {
		return err
	}
	trimmed, kept, err := Trim(raw)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(outPath), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(outPath, trimmed, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "trimspec: wrote %s (%d bytes): %s\n", outPath, len(trimmed), strings.Join(kept, ", "))
	return nil
}

type object = map[string]any

// Trim returns the trimmed document and the list of kept operations.
func Trim(raw []byte) ([]byte, []string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc object
	if err := dec.Decode(&doc); err != nil {
		return nil, nil, fmt.Errorf("decoding: %w", err)
	}
	openapi, _ := doc["openapi"].(string)
	if !strings.HasPrefix(openapi, "3.0") {
		return nil, nil, fmt.Errorf("unsupported openapi version %q", openapi)
	}
	info, _ := doc["info"].(object)
	version, _ := info["version"].(string)
	if version == "" {
		return nil, nil, errors.New("info.version is missing")
	}
	paths, _ := doc["paths"].(object)
	if paths == nil {
		return nil, nil, errors.New("paths is missing")
	}
	components, _ := doc["components"].(object)

	outPaths := object{}
	var kept []string
	for _, op := range keptOps {
		p := "/" + version + op.Path
		item, _ := paths[p].(object)
		var opObj object
		if item != nil {
			opObj, _ = item[op.Method].(object)
		}
		if opObj == nil {
			if op.Optional {
				continue
			}
			return nil, nil, fmt.Errorf("mandatory operation %s %s not found", strings.ToUpper(op.Method), p)
		}
		outItem, _ := outPaths[p].(object)
		if outItem == nil {
			outItem = object{}
			// Path-level parameters and servers are facts that apply to every
			// operation of the path.
			for _, k := range []string{"parameters", "servers"} {
				if v, ok := item[k]; ok {
					outItem[k] = strip(v)
				}
			}
			outPaths[p] = outItem
		}
		o, ok := strip(opObj).(object)
		if !ok {
			return nil, nil, fmt.Errorf("%s %s: the operation is not an object", op.Method, p)
		}
		fillResponseDescriptions(o)
		outItem[op.Method] = o
		kept = append(kept, strings.ToUpper(op.Method)+" "+p)
	}

	out := object{
		"openapi": openapi,
		"info": object{
			"title":   "VB365 REST API " + version + " contract subset (generated by tools/trimspec)",
			"version": version,
		},
		"paths": outPaths,
	}
	if v, ok := doc["servers"]; ok {
		out["servers"] = strip(v)
	}
	if v, ok := doc["security"]; ok {
		out["security"] = strip(v)
	}

	// Pull in referenced components transitively.
	outComponents := object{}
	type ref struct{ kind, name string }
	var queue []ref
	seen := map[ref]bool{}
	enqueue := func(r string) error {
		if !strings.HasPrefix(r, "#/components/") {
			return fmt.Errorf("unsupported $ref %q (only local component refs are handled)", r)
		}
		parts := strings.Split(strings.TrimPrefix(r, "#/components/"), "/")
		if len(parts) != 2 {
			return fmt.Errorf("unsupported $ref %q", r)
		}
		name := strings.ReplaceAll(strings.ReplaceAll(parts[1], "~1", "/"), "~0", "~")
		k := ref{parts[0], name}
		if !seen[k] {
			seen[k] = true
			queue = append(queue, k)
		}
		return nil
	}
	if err := collectRefs(out, enqueue); err != nil {
		return nil, nil, err
	}
	// Security schemes named by security requirements (root or operation level).
	for _, name := range securitySchemeNames(out) {
		if err := enqueue("#/components/securitySchemes/" + name); err != nil {
			return nil, nil, err
		}
	}
	for len(queue) > 0 {
		r := queue[0]
		queue = queue[1:]
		kind, _ := components[r.kind].(object)
		v, ok := kind[r.name]
		if !ok {
			return nil, nil, fmt.Errorf("dangling reference #/components/%s/%s", r.kind, r.name)
		}
		sv := strip(v)
		if r.kind == "responses" {
			if m, ok := sv.(object); ok {
				if _, isRef := m["$ref"]; !isRef {
					m["description"] = ""
				}
			}
		}
		outKind, _ := outComponents[r.kind].(object)
		if outKind == nil {
			outKind = object{}
			outComponents[r.kind] = outKind
		}
		outKind[r.name] = sv
		if err := collectRefs(sv, enqueue); err != nil {
			return nil, nil, err
		}
	}
	if len(outComponents) > 0 {
		out["components"] = outComponents
	}

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		return nil, nil, err
	}
	// Every reference in the output must resolve inside the output.
	if err := collectRefs(out, func(r string) error {
		parts := strings.Split(strings.TrimPrefix(r, "#/components/"), "/")
		kind, _ := outComponents[parts[0]].(object)
		if len(parts) != 2 || kind == nil || kind[strings.ReplaceAll(strings.ReplaceAll(parts[1], "~1", "/"), "~0", "~")] == nil {
			return fmt.Errorf("internal error: dangling reference %s in output", r)
		}
		return nil
	}); err != nil {
		return nil, nil, err
	}
	if err := checkNoProse(out, ""); err != nil {
		return nil, nil, fmt.Errorf("internal error: prose left in output: %w", err)
	}
	sort.Strings(kept)
	return buf.Bytes(), kept, nil
}

// strip returns a deep copy of v without prose keywords. v is an OpenAPI
// object (or list of them) where keys are keywords.
func strip(v any) any {
	switch t := v.(type) {
	case object:
		o := object{}
		for k, val := range t {
			if proseKeys[k] || strings.HasPrefix(k, "x-") {
				continue
			}
			switch {
			case literalKeys[k]:
				o[k] = val
			case nameMapKeys[k]:
				if m, ok := val.(object); ok {
					nm := object{}
					for name, child := range m {
						nm[name] = strip(child)
					}
					o[k] = nm
				} else {
					o[k] = strip(val) // e.g. operation "parameters" is a list
				}
			default:
				o[k] = strip(val)
			}
		}
		return o
	case []any:
		l := make([]any, len(t))
		for i, x := range t {
			l[i] = strip(x)
		}
		return l
	default:
		return v
	}
}

// fillResponseDescriptions gives every inline response object of an operation
// the empty description that OpenAPI 3.0 (and kin-openapi's validator) require.
func fillResponseDescriptions(op object) {
	rs, _ := op["responses"].(object)
	for _, r := range rs {
		if m, ok := r.(object); ok {
			if _, isRef := m["$ref"]; !isRef {
				m["description"] = ""
			}
		}
	}
}

// collectRefs calls fn for every $ref and every discriminator mapping target
// under v (both are references to components).
func collectRefs(v any, fn func(string) error) error {
	switch t := v.(type) {
	case object:
		keys := sortedKeys(t)
		for _, k := range keys {
			val := t[k]
			if k == "$ref" {
				if s, ok := val.(string); ok {
					if err := fn(s); err != nil {
						return err
					}
					continue
				}
			}
			if k == "discriminator" {
				if d, ok := val.(object); ok {
					if m, ok := d["mapping"].(object); ok {
						for _, mk := range sortedKeys(m) {
							if s, ok := m[mk].(string); ok && strings.HasPrefix(s, "#/") {
								if err := fn(s); err != nil {
									return err
								}
							}
						}
					}
				}
			}
			if nameMapKeys[k] {
				// Children of a name map are OpenAPI objects even when their
				// name is a keyword elsewhere (e.g. the "default" response).
				if m, ok := val.(object); ok {
					for _, name := range sortedKeys(m) {
						if err := collectRefs(m[name], fn); err != nil {
							return err
						}
					}
					continue
				}
			}
			if literalKeys[k] {
				continue
			}
			if err := collectRefs(val, fn); err != nil {
				return err
			}
		}
	case []any:
		for _, x := range t {
			if err := collectRefs(x, fn); err != nil {
				return err
			}
		}
	}
	return nil
}

// securitySchemeNames lists the scheme names used by root-level and
// operation-level security requirements.
func securitySchemeNames(doc object) []string {
	names := map[string]bool{}
	add := func(v any) {
		reqs, _ := v.([]any)
		for _, r := range reqs {
			if m, ok := r.(object); ok {
				for k := range m {
					names[k] = true
				}
			}
		}
	}
	add(doc["security"])
	paths, _ := doc["paths"].(object)
	for _, item := range paths {
		if m, ok := item.(object); ok {
			for _, op := range m {
				if o, ok := op.(object); ok {
					add(o["security"])
				}
			}
		}
	}
	return sortedKeys(names)
}

// checkNoProse re-walks the output and fails if a prose keyword or extension
// survived in keyword position. The only descriptions allowed are the empty
// ones on response objects, and the only title is our own info.title.
func checkNoProse(v any, path string) error {
	switch t := v.(type) {
	case object:
		for k, val := range t {
			p := path + "/" + k
			if literalKeys[k] {
				continue
			}
			if strings.HasPrefix(k, "x-") {
				return fmt.Errorf("extension %s", p)
			}
			if proseKeys[k] {
				switch {
				case k == "description" && val == "":
				case p == "/info/title":
				default:
					return fmt.Errorf("prose keyword %s", p)
				}
			}
			if nameMapKeys[k] {
				if m, ok := val.(object); ok {
					for name, child := range m {
						if err := checkNoProse(child, p+"/"+name); err != nil {
							return err
						}
					}
					continue
				}
			}
			if err := checkNoProse(val, p); err != nil {
				return err
			}
		}
	case []any:
		for i, x := range t {
			if err := checkNoProse(x, fmt.Sprintf("%s/%d", path, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
