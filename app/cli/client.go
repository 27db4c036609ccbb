package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"optare/app"
)

// client is the backend of --server: the same operations over the REST API,
// authenticated with OPTARE_API_KEY and OPTARE_API_SECRET.
type client struct {
	base        string
	key, secret string
	http        *http.Client
}

func newClient(server, key, secret string) (*client, error) {
	u, err := url.Parse(server)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, usageError{fmt.Sprintf("--server %q: give the URL of a running Optare, like https://id.example.com", server)}
	}
	if key == "" || secret == "" {
		return nil, usageError{"--server needs OPTARE_API_KEY and OPTARE_API_SECRET in the environment"}
	}
	return &client{base: strings.TrimSuffix(server, "/") + "/api/v1", key: key, secret: secret,
		http: &http.Client{Timeout: 30 * time.Second}}, nil
}

// do sends one request and decodes the JSON answer into out, or the API's
// error shape into an *app.Error of the matching kind.
func (c *client) do(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.key)
	req.Header.Set("X-API-Secret", c.secret)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, 16<<20))
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if res.StatusCode >= 300 {
		return remoteError(res.StatusCode, data)
	}
	if out == nil || len(data) == 0 {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s %s: unexpected answer: %w", method, path, err)
	}
	return nil
}

// remoteError turns the API's error shape back into a domain error.
func remoteError(status int, data []byte) error {
	var body struct {
		Error       string            `json:"error"`
		Description string            `json:"error_description"`
		Fields      map[string]string `json:"fields"`
	}
	if err := json.Unmarshal(data, &body); err != nil || body.Error == "" {
		return fmt.Errorf("server answered %d: %s", status, strings.TrimSpace(string(data)))
	}
	kinds := map[int]app.Kind{400: app.KindInvalid, 422: app.KindInvalid, 404: app.KindNotFound, 409: app.KindConflict,
		401: app.KindUnauthenticated, 403: app.KindForbidden, 429: app.KindRateLimited, 503: app.KindUnavailable}
	e := &app.Error{Kind: kinds[status], Code: body.Error, Message: body.Description, Fields: body.Fields}
	if e.Kind == app.KindInternal {
		e.Err = fmt.Errorf("server answered %d %s: %s", status, body.Error, body.Description)
	}
	return e
}

func query(pairs ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			v.Set(pairs[i], pairs[i+1])
		}
	}
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

func limitParam(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func esc(s string) string { return url.PathEscape(s) }
