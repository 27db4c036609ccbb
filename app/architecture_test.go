package app_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDoorsDoNotImportStore keeps the layering honest: the portals, the REST
// API, the OAuth endpoints and the views reach the database only through
// package app. Only the wiring in app/cli (and test helpers) opens the store.
func TestDoorsDoNotImportStore(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}: {{join .Imports " "}}`, "optare/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	allowed := map[string]bool{"optare/app": true, "optare/app/cli": true, "optare/app/apptest": true, "optare/store": true}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ": ")
		if allowed[pkg] || strings.HasPrefix(pkg, "optare/app/loadgen") {
			continue
		}
		for _, imp := range strings.Fields(imports) {
			if imp == "optare/store" {
				t.Errorf("%s imports optare/store; go through package app", pkg)
			}
		}
	}
}

// TestViewsImportNoDomain keeps views pure: no app or store imports.
func TestViewsImportNoDomain(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "optare/views").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep == "optare/app" || dep == "optare/store" {
			t.Errorf("views depends on %s", dep)
		}
	}
}
