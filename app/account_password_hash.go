package app

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are the argon2id parameters for new password hashes. Each
// hash records its own parameters, so raising them later keeps old hashes
// verifiable.
type PasswordParams struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultPasswordParams follow OWASP's argon2id recommendation (19 MiB, two
// passes, one lane): about 25 ms on one core of a small VM.
var DefaultPasswordParams = PasswordParams{Memory: 19 * 1024, Time: 2, Threads: 1}

// Password length rules: long enough to resist guessing, bounded so a huge
// input cannot be used to burn CPU.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 256
)

const saltLen, keyLen = 16, 32

// hashSlots bounds how many argon2id hashes run at once. Each takes its
// whole memory parameter (19 MiB by default) for its duration, so 50
// parallel sign-ins would otherwise hold about 1 GB; waiting callers queue
// here instead of in memory. One per core, at most two: two 25 ms hashes at
// a time is about 80 sign-ins a second, and memory stays bounded on large
// machines too.
var hashSlots = make(chan struct{}, min(max(runtime.GOMAXPROCS(0), 1), 2))

// LimitMemory sets the Go runtime's soft memory limit for a server (unless
// the operator set GOMEMLIMIT): room for the hash slots' memory plus the
// rest of the process. Without it the garbage collector lets freed hash
// memory pile up to twice the live heap before collecting, and 50 parallel
// sign-ins reach ~130 MB; with it they stay near 70 MB.
func LimitMemory() {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(int64(16<<20) + int64(cap(hashSlots))*int64(DefaultPasswordParams.Memory)<<10)
}

// argon2Key is argon2.IDKey inside a hash slot.
func argon2Key(password, salt []byte, p PasswordParams, n uint32) []byte {
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	return argon2.IDKey(password, salt, p.Time, p.Memory, p.Threads, n)
}

func hashPassword(p PasswordParams, password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	key := argon2Key([]byte(password), salt, p, keyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

var errBadHash = errors.New("malformed password hash")

// verifyPassword checks password against an encoded hash in constant time.
func verifyPassword(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	var p PasswordParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, errBadHash
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return false, errBadHash
	}
	got := argon2Key([]byte(password), salt, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

func checkPassword(f fields, name, password string) {
	switch n := len([]rune(password)); {
	case password == "":
		f.add(name, "Enter a password.")
	case n < MinPasswordLength:
		f.add(name, fmt.Sprintf("Use at least %d characters.", MinPasswordLength))
	case n > MaxPasswordLength:
		f.add(name, fmt.Sprintf("Use at most %d characters.", MaxPasswordLength))
	}
}
