package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"
)

// scenario is one endpoint under load: do sends one request for worker i.
type scenario struct {
	name string
	do   func(c *conn, i int) error
}

type result struct {
	count, errors int
	rate          float64
	p50, p99      time.Duration
	elapsed       time.Duration
}

func (f *fixture) scenarios() []scenario {
	return []scenario{
		{"GET /healthz", func(c *conn, i int) error {
			req, _ := http.NewRequest(http.MethodGet, f.base+"/healthz", nil)
			return send(c, req, nil)
		}},
		{"GET /licenses/check API key", func(c *conn, i int) error {
			req, _ := http.NewRequest(http.MethodGet, f.base+"/api/v1/licenses/check?product=bench&user_id="+f.userID, nil)
			return f.sendLicensed(c, f.withKey(req))
		}},
		{"GET /licenses/check token", func(c *conn, i int) error {
			req, _ := http.NewRequest(http.MethodGet, f.base+"/api/v1/licenses/check?product=bench", nil)
			req.Header.Set("Authorization", "Bearer "+f.access[i])
			return f.sendLicensed(c, req)
		}},
		{"GET /v1/products API key", func(c *conn, i int) error {
			req, _ := http.NewRequest(http.MethodGet, f.base+"/v1/products", nil)
			return send(c, f.withKey(req), nil)
		}},
		{refreshName, func(c *conn, i int) error {
			var res struct {
				RefreshToken string `json:"refresh_token"`
			}
			if err := f.post(c, "/oauth/token", f.form("grant_type", "refresh_token", "refresh_token", f.refresh[i]), &res); err != nil {
				return err
			}
			f.refresh[i] = res.RefreshToken // each worker owns its chain
			return nil
		}},
		{"POST /oauth/token client_cred", func(c *conn, i int) error {
			return f.post(c, "/oauth/token", f.form("grant_type", "client_credentials"), nil)
		}},
		{"GET /oauth/userinfo", func(c *conn, i int) error {
			req, _ := http.NewRequest(http.MethodGet, f.base+"/oauth/userinfo", nil)
			req.Header.Set("Authorization", "Bearer "+f.access[i])
			return send(c, req, nil)
		}},
		{"POST /oauth/introspect", func(c *conn, i int) error {
			var res struct {
				Active bool `json:"active"`
			}
			if err := f.post(c, "/oauth/introspect", f.form("token", f.access[i]), &res); err != nil {
				return err
			}
			if !res.Active {
				return fmt.Errorf("introspection: token not active")
			}
			return nil
		}},
		{"GET /.well-known/jwks.json", func(c *conn, i int) error {
			req, _ := http.NewRequest(http.MethodGet, f.base+"/.well-known/jwks.json", nil)
			return send(c, req, nil)
		}},
	}
}

const refreshName = "POST /oauth/token refresh"

func (f *fixture) withKey(r *http.Request) *http.Request {
	r.Header.Set("Authorization", "Bearer "+f.key.Key)
	r.Header.Set("X-API-Secret", f.key.Secret)
	return r
}

// sendLicensed sends a license check and insists on a valid answer, so the
// figures are of the real path, not of a refusal.
func (f *fixture) sendLicensed(c *conn, req *http.Request) error {
	var lic struct {
		Valid bool   `json:"valid"`
		Code  string `json:"code"`
	}
	if err := send(c, req, &lic); err != nil {
		return err
	}
	if !lic.Valid {
		return fmt.Errorf("license %s", lic.Code)
	}
	return nil
}

func (f *fixture) post(c *conn, path, form string, out any) error {
	req, _ := http.NewRequest(http.MethodPost, f.base+path, body(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return send(c, req, out)
}

func send(c *conn, req *http.Request, out any) error {
	status, b, err := c.roundTrip(req)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return fmt.Errorf("status %d: %s", status, b)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// conn is one worker's keep-alive connection to the server: the worker
// writes each request and reads its answer itself, with net/http's own
// encoding and parsing, instead of going through an http.Client. The
// client's Transport (a pool, and two goroutines per connection that hand
// every request and answer over) costs more CPU per request than the
// server spends on a read path, so with one core for the load (-pin) it,
// not the server, would set the pace.
type conn struct {
	c  net.Conn
	br *bufio.Reader
	bw *bufio.Writer
}

// roundTrip sends req and returns the answer's status and body.
func (k *conn) roundTrip(req *http.Request) (int, []byte, error) {
	if k.c == nil {
		c, err := net.Dial("tcp", req.URL.Host)
		if err != nil {
			return 0, nil, err
		}
		k.c, k.br, k.bw = c, bufio.NewReader(c), bufio.NewWriter(c)
	}
	k.c.SetDeadline(time.Now().Add(30 * time.Second))
	err := req.Write(k.bw)
	if err == nil {
		err = k.bw.Flush()
	}
	var res *http.Response
	if err == nil {
		res, err = http.ReadResponse(k.br, req)
	}
	var b []byte
	if err == nil {
		b, err = io.ReadAll(res.Body)
	}
	if err != nil || res.Close {
		k.close() // the next request dials again
	}
	if err != nil {
		return 0, nil, err
	}
	return res.StatusCode, b, nil
}

func (k *conn) close() {
	if k.c != nil {
		k.c.Close()
		k.c = nil
	}
}

// load runs sc with workers for d and measures every request.
func load(sc scenario, workers int, d time.Duration) result {
	var mu sync.Mutex
	var all []time.Duration
	errors := 0
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			c := &conn{}
			defer c.close()
			var mine []time.Duration
			fails := 0
			for time.Now().Before(deadline) {
				t := time.Now()
				if err := sc.do(c, i); err != nil {
					fails++
					if fails == 1 {
						fmt.Printf("  %s: %v\n", sc.name, err)
					}
					continue
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			all = append(all, mine...)
			errors += fails
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(all)
	r := result{count: len(all), errors: errors, rate: float64(len(all)) / elapsed.Seconds(), elapsed: elapsed}
	if len(all) > 0 {
		r.p50, r.p99 = all[len(all)/2], all[len(all)*99/100]
	}
	return r
}
