package apptest

import (
	"syscall"
	"testing"
	"time"
)

// CPUPerOp measures the process's CPU time (user and system, every
// goroutine) from now until the returned function runs, and reports it per
// operation as "cpu-ns/op". On a shared, loaded machine ns/op (wall time)
// mostly says how long the benchmark waited for a core; CPU time per op is
// what a request costs, and the figure the README's table gives:
//
//	defer apptest.CPUPerOp(b)()
//	b.RunParallel(…)
func CPUPerOp(b *testing.B) func() {
	start := CPUTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(CPUTime()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

// CPUTime is the process's CPU time so far, user and system, for a
// benchmark that splits it between the parts of one operation.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
