package static

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestPathIsVersioned(t *testing.T) {
	for _, name := range []string{"htmx.min.js", "pico.min.css", "app.css", "app.js", "passkeys.js", "favicon.svg"} {
		p := Path(name)
		if !strings.HasPrefix(p, "/static/"+name+"?v=") || len(p) != len("/static/"+name+"?v=")+12 {
			t.Errorf("Path(%q) = %q, want /static/%s?v=<12 hex>", name, p, name)
		}
	}
	if got := Path("nope.css"); got != "/static/nope.css" {
		t.Errorf("Path(unknown) = %q, want unversioned", got)
	}
}

func TestHandler(t *testing.T) {
	tests := []struct {
		name, method, url string
		wantStatus        int
		wantType          string
		wantCache         string
	}{
		{"versioned", "GET", Path("app.css"), 200, "text/css; charset=utf-8", "public, max-age=31536000, immutable"},
		{"unversioned", "GET", "/static/htmx.min.js", 200, "text/javascript; charset=utf-8", "no-cache"},
		{"stale version", "GET", "/static/app.css?v=000000000000", 200, "text/css; charset=utf-8", "no-cache"},
		{"svg", "HEAD", Path("favicon.svg"), 200, "image/svg+xml", "public, max-age=31536000, immutable"},
		{"unknown", "GET", "/static/secret.txt", 404, "", ""},
		{"directory", "GET", "/static/", 404, "", ""},
		{"traversal", "GET", "/static/../static.go", 404, "", ""},
		{"post", "POST", Path("app.css"), 405, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			Handler().ServeHTTP(rec, httptest.NewRequest(tt.method, tt.url, nil))
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			if tt.wantStatus != 200 {
				return
			}
			if got := rec.Header().Get("Content-Type"); got != tt.wantType {
				t.Errorf("Content-Type = %q, want %q", got, tt.wantType)
			}
			if got := rec.Header().Get("Cache-Control"); got != tt.wantCache {
				t.Errorf("Cache-Control = %q, want %q", got, tt.wantCache)
			}
			if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q", got)
			}
		})
	}
}

func TestHandlerRevalidates(t *testing.T) {
	rec := httptest.NewRecorder()
	Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/static/app.css", nil))
	etag := rec.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	req := httptest.NewRequest("GET", "/static/app.css", nil)
	req.Header.Set("If-None-Match", etag)
	rec = httptest.NewRecorder()
	Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusNotModified {
		t.Errorf("status = %d, want 304", rec.Code)
	}
}

func TestCSSHasNoImports(t *testing.T) {
	// The CSP allows only 'self'; a remote @import or font would be blocked.
	data, err := FS.ReadFile("app.css")
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"@import", "http://", "https://"} {
		if strings.Contains(string(data), bad) {
			t.Errorf("app.css contains %q", bad)
		}
	}
}

func TestIcons(t *testing.T) {
	svg := Icon("users")
	if !strings.HasPrefix(svg, `<svg class="icon" aria-hidden="true" focusable="false"`) || !strings.HasSuffix(svg, "</svg>") {
		t.Errorf("Icon(users) = %q", svg)
	}
	if strings.Contains(svg, "<!--") || strings.Contains(svg, "lucide") || strings.Contains(svg, "style") {
		t.Errorf("Icon(users) keeps a comment, the package class or a style: %q", svg)
	}
	if Icon("no-such-icon") != "" {
		t.Error("unknown icon not empty")
	}
}
