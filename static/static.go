package static

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// FS holds the embedded assets, at the root of the file system (e.g. "app.css").
//
//go:embed htmx.min.js pico.min.css app.css app.js passkeys.js favicon.svg
var FS embed.FS

// Prefix is the URL path under which Handler expects to be mounted.
const Prefix = "/static/"

// asset is one embedded file, read and hashed once at start.
type asset struct {
	data        []byte
	hash        string // short hex content hash, used as the "v" query value
	contentType string
}

// assets maps a file name to its contents; filled by init and read-only after.
var assets = map[string]asset{}

// modTime is fixed so responses never depend on the clock; versioning is by hash.
var modTime = time.Unix(0, 0)

// contentTypes are set explicitly rather than sniffed, because responses carry
// X-Content-Type-Options: nosniff.
var contentTypes = map[string]string{
	".css": "text/css; charset=utf-8",
	".js":  "text/javascript; charset=utf-8",
	".svg": "image/svg+xml",
}

func init() {
	err := fs.WalkDir(FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := FS.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		ct := contentTypes[path.Ext(name)]
		if ct == "" {
			ct = "application/octet-stream"
		}
		assets[name] = asset{data: data, hash: hex.EncodeToString(sum[:])[:12], contentType: ct}
		return nil
	})
	if err != nil {
		panic("static: reading embedded assets: " + err.Error())
	}
}

// Path returns the versioned URL of the named asset, such as
// "/static/app.css?v=3f2a9c01b7de". An unknown name yields an unversioned URL,
// which the Handler answers with 404, so a typo shows up as a broken link rather
// than a panic while rendering.
func Path(name string) string {
	a, ok := assets[name]
	if !ok {
		return Prefix + name
	}
	return Prefix + name + "?v=" + a.hash
}

// Handler serves the embedded assets. Mount it at Prefix, as in
// mux.Handle("GET /static/", static.Handler()); it strips the prefix itself.
// A request whose "v" matches the asset's current hash is cached for a year as
// immutable; any other request is served with "no-cache" and an ETag so the
// browser revalidates. Directories and unknown names answer 404.
func Handler() http.Handler {
	return http.HandlerFunc(serve)
}

func serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name, ok := strings.CutPrefix(r.URL.Path, Prefix)
	a, found := assets[name]
	if !ok || !found {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", `"`+a.hash+`"`)
	if r.URL.Query().Get("v") == a.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	http.ServeContent(w, r, name, modTime, bytes.NewReader(a.data))
}
