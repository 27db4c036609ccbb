package static

import (
	"os"
	"regexp"
	"testing"
)

// TestCSSBlocksClose: every block of app.css is closed. An unclosed rule
// silently nests everything after it (CSS nesting), so later rules stop
// applying without any error.
func TestCSSBlocksClose(t *testing.T) {
	b, err := os.ReadFile("app.css")
	if err != nil {
		t.Fatal(err)
	}
	css := regexp.MustCompile(`(?s)/\*.*?\*/`).ReplaceAll(b, nil)
	depth, line := 0, 1
	for _, c := range css {
		switch c {
		case '{':
			depth++
		case '}':
			depth--
		case '\n':
			line++
		}
		if depth < 0 {
			t.Fatalf("app.css: unmatched } near line %d", line)
		}
	}
	if depth != 0 {
		t.Fatalf("app.css: %d blocks never closed", depth)
	}
}
