package static

import (
	"embed"
	"regexp"
	"strings"
)

// iconFS holds the vendored Lucide icons (lucide-static 1.62.0, ISC licence in
// icons/LICENSE), copied byte for byte from the npm package's icons/ folder.
// Only the icons the portals use are vendored; add a file to add an icon.
//
//go:embed icons/*.svg
var iconFS embed.FS

// icons maps an icon's name ("users") to its inline markup, prepared once.
var icons = map[string]string{}

var (
	svgComment = regexp.MustCompile(`(?s)<!--.*?-->\s*`)
	svgClass   = regexp.MustCompile(`\s*class="[^"]*"`)
	svgSpace   = regexp.MustCompile(`\s+`)
)

func init() {
	entries, err := iconFS.ReadDir("icons")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		b, err := iconFS.ReadFile("icons/" + e.Name())
		if err != nil {
			panic(err)
		}
		svg := svgComment.ReplaceAllString(string(b), "")
		svg = svgClass.ReplaceAllString(svg, "")
		svg = svgSpace.ReplaceAllString(strings.TrimSpace(svg), " ")
		// Decorative: the link or button beside it carries the words, so
		// screen readers skip the picture and it never takes focus.
		svg = strings.Replace(svg, "<svg", `<svg class="icon" aria-hidden="true" focusable="false"`, 1)
		icons[strings.TrimSuffix(e.Name(), ".svg")] = svg
	}
}

// Icon returns the inline SVG markup of a vendored icon (sized and coloured
// by the .icon rule of app.css: inline, so it takes the text colour and needs
// no request or inline style), or "" for an unknown name.
func Icon(name string) string {
	return icons[name]
}
