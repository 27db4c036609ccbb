# Optare tasks. `just --list` shows them.

# Run Optare on :8080 with ./optare.db
run:
    go run . serve

# Run every test (the same command CI runs)
test:
    go test -race -count=1 ./...

# Regenerate templ components (commit the *_templ.go files)
generate:
    go run github.com/a-h/templ/cmd/templ@v0.3.1100 generate -path views

# gofmt, go vet and staticcheck
lint:
    test -z "$(gofmt -l $(git ls-files '*.go' | grep -v _templ.go))"
    go vet ./...
    go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

# Go benchmarks of the hot paths
bench:
    go test -run '^$' -bench . -benchmem ./...

# Load test over loopback against a real server on a temporary database
# (scenarios: license-apikey, products-apikey, healthz)
bench-load scenario="license-apikey" duration="10s" concurrency="32":
    go run ./app/loadgen -scenario {{scenario}} -duration {{duration}} -concurrency {{concurrency}}

# OAuth load scenario: a real server on loopback, token/userinfo/JWKS under concurrent load
bench-oauth duration="10s" concurrency="32":
    go run ./app/oauthload -duration {{duration}} -concurrency {{concurrency}}
    go run ./app/oauthload -duration {{duration}} -concurrency {{concurrency}} -signing-alg ES256
