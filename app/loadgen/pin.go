package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"optare/store"
)

// With -pin the server runs in a process of its own on serverCPU with
// GOMAXPROCS=1 and the load workers on loadCPU, so the server has a core
// that nothing else of the run uses.
const serverCPU, loadCPU = 0, 1

// pin moves every thread of this process onto cpu. Linux keeps an affinity
// per thread and the Go runtime starts several before main; a thread
// created later inherits its creator's mask, so once every existing thread
// is pinned the process stays on cpu. Passes repeat until one finds no
// thread it has not pinned, for a thread started during the previous one.
func pin(cpu int) error {
	var set unix.CPUSet
	set.Set(cpu)
	pinned := map[int]bool{}
	for {
		tasks, err := os.ReadDir("/proc/self/task")
		if err != nil {
			return fmt.Errorf("pin to CPU %d: %w", cpu, err)
		}
		fresh := false
		for _, t := range tasks {
			tid, err := strconv.Atoi(t.Name())
			if err != nil || pinned[tid] {
				continue
			}
			// A thread that ended since the listing is no longer there to pin.
			if err := unix.SchedSetaffinity(tid, &set); err != nil && !errors.Is(err, unix.ESRCH) {
				return fmt.Errorf("pin thread %d to CPU %d: %w", tid, cpu, err)
			}
			pinned[tid], fresh = true, true
		}
		if !fresh {
			return nil
		}
	}
}

// startPinned pins this process to loadCPU, writes the scenarios' data
// through a service of its own, closes that, and starts the server process
// on the database: only that process serves. It returns once the server
// answers, with the server's pid and how to stop it.
func startPinned(ctx context.Context, c config, dsn string, ln net.Listener) (f *fixture, pid int, stop func(), err error) {
	if c.replicas > 1 {
		return nil, 0, nil, fmt.Errorf("-pin runs one server; drop -replicas %d", c.replicas)
	}
	if runtime.NumCPU() <= max(serverCPU, loadCPU) {
		return nil, 0, nil, fmt.Errorf("-pin needs CPUs %d and %d; this process may use %d", serverCPU, loadCPU, runtime.NumCPU())
	}
	if err := pin(loadCPU); err != nil {
		return nil, 0, nil, err
	}
	runtime.GOMAXPROCS(1) // one core, one P
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		return nil, 0, nil, err
	}
	base := "http://" + ln.Addr().String()
	svc, err := newService(db, c.alg, base)
	if err == nil {
		f, err = prepare(ctx, svc, c.workers)
	}
	if err = errors.Join(err, db.Close()); err != nil {
		return nil, 0, nil, fmt.Errorf("prepare: %w", err)
	}
	cmd, err := startServer(ln, dsn, c.alg)
	if err != nil {
		return nil, 0, nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop = func() {
		cmd.Process.Kill()
		<-exited
	}
	// Fail at once if the server does not come up, rather than after
	// every worker's request has timed out.
	client := &http.Client{Timeout: time.Second}
	for deadline := time.Now().Add(10 * time.Second); ; {
		select {
		case err := <-exited:
			return nil, 0, nil, fmt.Errorf("server process: %v", err)
		default:
		}
		if res, err := client.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return f, cmd.Process.Pid, stop, nil
			}
		}
		if time.Now().After(deadline) {
			stop()
			return nil, 0, nil, errors.New("server process: no answer from /healthz within 10s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// startServer starts this program again as the server (-serve), pinned to
// serverCPU with GOMAXPROCS=1, serving on ln, which it inherits as fd 3: the
// address, hence the issuer of the tokens prepare made, stays the same.
func startServer(ln net.Listener, dsn, alg string) (*exec.Cmd, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("start server: %w", err)
	}
	file, err := ln.(*net.TCPListener).File()
	if err != nil {
		return nil, fmt.Errorf("start server: %w", err)
	}
	defer file.Close()
	cmd := exec.Command(self, "-serve", dsn, "-signing-alg", alg)
	cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
	cmd.ExtraFiles = []*os.File{file}
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	// The server must not outlive the run if loadgen dies.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start server: %w", err)
	}
	return cmd, nil
}

// listenerFromParent is the listener startServer hands down as fd 3.
func listenerFromParent() (net.Listener, error) {
	f := os.NewFile(3, "listener")
	defer f.Close()
	ln, err := net.FileListener(f)
	if err != nil {
		return nil, fmt.Errorf("inherited listener: %w", err)
	}
	return ln, nil
}

// processCPU is the CPU time (user and system, all threads) of process
// pid so far, from /proc/<pid>/stat, in clock ticks of 10 ms (USER_HZ is
// 100 on Linux): over a run of seconds that is well under 1 %.
func processCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	// The command name, in parentheses, may hold spaces and parentheses:
	// count fields after the last ')'. There field 0 is the state (field 3
	// of proc(5)), so utime and stime (fields 14 and 15) are 11 and 12.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f))
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("/proc/%d/stat: %w", pid, err)
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil
}

// selfCPU is this process's CPU time so far: the load workers' with -pin.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
