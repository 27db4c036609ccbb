package app_test

import (
	"encoding/json"
	"errors"
	"go/parser"
	"go/token"
	"io"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// module is the module path; the tables below leave it out.
const module = "optare"

// allowedEdges is the picture of the code: every package of ours and the
// packages of ours its non-test files may import. Imports point inwards:
// doors (web, api, oauth) onto the domain (app), the domain onto the store;
// app/cli is the composition root and the only importer of every door.
// A test may reach further (a door's tests build the whole server through
// app/cli and look into the store), so test files are not checked here.
var allowedEdges = map[string][]string{
	"":               {"app/cli"}, // main.go
	"app":            {"app/metrics", "app/oidc", "app/webhook", "store"},
	"app/api":        {"app", "app/middleware", "app/oidc"}, // oidc: the Authorization: DPoP scheme, proof header and challenge
	"app/browser":    {"app", "app/middleware", "views"},
	"app/oauth":      {"app", "app/browser", "app/middleware", "app/oidc", "views"},
	"app/web":        {"app", "app/browser", "app/middleware", "app/oidc", "views"},
	"app/cli":        {"app", "app/api", "app/browser", "app/metrics", "app/middleware", "app/oauth", "app/oidc", "app/smtpmail", "app/web", "static", "store"},
	"app/apptest":    {"app", "app/cli", "app/smtpmail", "store", "store/pgtest"},
	"app/loadgen":    {"app", "app/cli", "app/oidc", "store", "store/pgtest"},
	"app/smtpmail":   {"app"},
	"app/metrics":    {},
	"app/middleware": {},
	"app/oidc":       {},
	"app/webhook":    {},
	"app/e2e":        {}, // tests only
	"app/replica":    {}, // tests only
	"store":          {},
	"store/pgtest":   {},
	"static":         {},
	"views":          {"static"},
}

// doors are the packages that face the outside; none may import another.
var doors = []string{"app/api", "app/oauth", "app/web"}

// TestAllowedEdgesKeepTheRules checks the table itself against the rules
// it exists for, so widening it to let a new edge through fails here.
func TestAllowedEdgesKeepTheRules(t *testing.T) {
	for from, tos := range allowedEdges {
		for _, to := range tos {
			switch {
			case slices.Contains(doors, from) && (slices.Contains(doors, to) || to == "store"):
				t.Errorf("door %s may not import %s: doors reach other doors and the store only through app", from, to)
			case from == "views" && (to == "app" || to == "store"):
				t.Errorf("views may not import %s: views take view models, not domain or store types", to)
			case from == "store" || from == "app/oidc":
				t.Errorf("%s may not import %s: it imports nothing of ours", from, to)
			case from == "app" && (slices.Contains(doors, to) || to == "app/cli" || to == "app/browser"):
				t.Errorf("the domain may not import the door %s", to)
			case from != "app/cli" && from != "" && to == "app/cli" && !slices.Contains([]string{"app/apptest", "app/loadgen"}, from):
				t.Errorf("%s may not import the composition root app/cli", from)
			}
		}
	}
}

// TestImportEdges compares the real import edges of every package with
// allowedEdges. A new edge fails with the file that makes it; an edge
// the table allows but no file makes any more fails too, so the table
// stays the picture of the code.
func TestImportEdges(t *testing.T) {
	out, err := exec.Command("go", "list", "-json=ImportPath,Dir,GoFiles", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	root, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", err)
	}
	used := map[[2]string]bool{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p struct {
			ImportPath, Dir string
			GoFiles         []string
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("decode go list: %v", err)
		}
		from := ours(p.ImportPath)
		allowed, known := allowedEdges[from]
		if !known {
			t.Errorf("package %s is not in allowedEdges (app/architecture_test.go): add it with the packages it may import", p.ImportPath)
			continue
		}
		fset := token.NewFileSet()
		for _, name := range p.GoFiles {
			path := filepath.Join(p.Dir, name)
			f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatalf("parse %s: %v", path, err)
			}
			for _, spec := range f.Imports {
				imp, _ := strconv.Unquote(spec.Path.Value)
				if imp != module && !strings.HasPrefix(imp, module+"/") {
					continue
				}
				to := ours(imp)
				used[[2]string{from, to}] = true
				if !slices.Contains(allowed, to) {
					pos := fset.Position(spec.Pos())
					if rel, err := filepath.Rel(strings.TrimSpace(string(root)), pos.Filename); err == nil {
						pos.Filename = rel
					}
					t.Errorf("%s imports %s: %s → %s is not an allowed edge (see allowedEdges in app/architecture_test.go)",
						pos, imp, p.ImportPath, imp)
				}
			}
		}
	}
	for from, tos := range allowedEdges {
		for _, to := range tos {
			if !used[[2]string{from, to}] {
				t.Errorf("allowedEdges lets %s import %s, which no file does any more: remove the edge", module+"/"+from, module+"/"+to)
			}
		}
	}
}

// ours is an import path without the module prefix ("" for the module).
func ours(path string) string {
	return strings.TrimPrefix(strings.TrimPrefix(path, module), "/")
}
