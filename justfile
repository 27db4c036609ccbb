# Optare tasks. `just --list` shows them.

# Run Optare on :8080 with ./optare.db
run:
    go run . serve

# Run every test (the same command CI runs)
test:
    go test -race -count=1 -timeout 30m ./...

# Regenerate templ components (commit the *_templ.go files)
generate:
    go run github.com/a-h/templ/cmd/templ@v0.3.1100 generate -path views

# gofmt, go vet and staticcheck
lint:
    test -z "$(gofmt -l $(git ls-files '*.go' | grep -v _templ.go))"
    go vet ./...
    go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

# CPU per request (cpu-ns/op, one core) of each hot path: token endpoint
# (RS256, ES256, refresh), introspection, userinfo, licence checks, the
# bare handler and the signatures alone, and the RS256 token request against
# one bare RS256 signature, interleaved (RS256Overhead: the ratio)
bench:
    go test -run '^$' -bench 'TokenClientCredentials|RS256Overhead|TokenRefresh|Introspection|Userinfo|LicenseCheck|BareHandler|Sign|Verify' -cpu 1 -benchmem ./app/oauth ./app/api ./app/oidc ./app/loadgen

# Every Go benchmark, on every core
bench-all:
    go test -run '^$' -bench . -benchmem ./...

# Load test over loopback against a real server on a temporary database:
# license checks (API key, user token), products, token endpoint, userinfo,
# JWKS. `just bench-load 5s 32 license` loads only the license checks;
# `just bench-load 5s 32 "" postgres 2` runs two replicas on a fresh
# database of the PostgreSQL server in OPTARE_TEST_POSTGRES.
bench-load duration="5s" concurrency="32" only="" engine="sqlite" replicas="1":
    go run ./app/loadgen -duration {{duration}} -concurrency {{concurrency}} -only "{{only}}" -engine {{engine}} -replicas {{replicas}}
    go run ./app/loadgen -duration {{duration}} -concurrency {{concurrency}} -only "oauth/token" -signing-alg ES256 -engine {{engine}} -replicas {{replicas}}

# The same load with the server in a process of its own pinned to CPU 0
# (GOMAXPROCS=1) and the load generator on CPU 1: latency on a core the
# load does not share, the server's CPU time per request, and each core's
# use. `just bench-load-pinned 3s 32 license` loads only the license checks.
bench-load-pinned duration="3s" concurrency="32" only="" engine="sqlite":
    go run ./app/loadgen -pin -duration {{duration}} -concurrency {{concurrency}} -only "{{only}}" -engine {{engine}}
