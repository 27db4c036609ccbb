package oidc

import (
	"go/build"
	"strings"
	"testing"
)

// TestImports keeps this package free of Optare's other packages: it holds
// protocol mechanics only, and package app depends on it, not the reverse.
func TestImports(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range append(pkg.Imports, pkg.TestImports...) {
		if imp == "optare" || strings.HasPrefix(imp, "optare/") {
			t.Errorf("package oidc imports %s", imp)
		}
		if strings.Contains(imp, "sql") {
			t.Errorf("package oidc imports %s; it must not touch a database", imp)
		}
	}
}
