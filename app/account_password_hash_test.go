package app

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// peakRSS is the process's peak resident set in KiB (Linux).
func peakRSS() (int, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
		}
	}
	return 0, fmt.Errorf("no VmHWM")
}

// TestPasswordHashMemoryBounded runs 50 parallel sign-in checks with the
// production argon2id parameters (19 MiB each) in a fresh process and
// requires its peak RSS to stay under 100 MB: hashes wait for a slot
// instead of all holding their memory at once (unbounded, ~1 GB), and the
// soft memory limit serve sets keeps freed hash memory from piling up.
func TestPasswordHashMemoryBounded(t *testing.T) {
	if os.Getenv("OPTARE_HASH_LOAD") == "1" {
		LimitMemory() // as serve does
		hash, err := hashPassword(DefaultPasswordParams, "correct-horse-battery")
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				if ok, err := verifyPassword(hash, "wrong-horse-battery"); ok || err != nil {
					t.Error("verify", ok, err)
				}
			})
		}
		wg.Wait()
		kb, err := peakRSS()
		if err != nil {
			t.Skip(err)
		}
		fmt.Printf("peak_rss_kb=%d\n", kb)
		return
	}
	if raceDetector {
		t.Skip("peak RSS is meaningless under -race (shadow memory); .ci/run measures it in a plain test run")
	}
	if _, err := peakRSS(); err != nil {
		t.Skipf("no /proc here: %v", err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestPasswordHashMemoryBounded$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "OPTARE_HASH_LOAD=1", "GOMEMLIMIT=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("hash load: %v\n%s", err, out)
	}
	_, after, ok := strings.Cut(string(out), "peak_rss_kb=")
	if !ok {
		t.Fatalf("no figure:\n%s", out)
	}
	kb, _ := strconv.Atoi(strings.Fields(after)[0])
	t.Logf("peak RSS with 50 parallel argon2id checks: %d MiB (%d slots)", kb/1024, cap(hashSlots))
	if kb > 100*1024 {
		t.Fatalf("peak RSS %d MiB, want under 100", kb/1024)
	}
}
