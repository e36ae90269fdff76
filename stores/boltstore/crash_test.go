package boltstore_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sesame-go/sesame/session"
	"github.com/sesame-go/sesame/stores/boltstore"
)

// An embedded store has no server to lose: its outages are the process dying
// with the file open (a crash, a kill, a power cut), and the file held by
// another process (TestOpenLocked). TestCrash is the first: a child process
// writes as fast as it can and reports each write once Patch has returned; the
// test kills it by PID mid-write, reopens the file and checks that every
// acknowledged write is there (bbolt syncs each transaction before it returns)
// and that the file is whole.

const crashEnv = "SESAME_BOLTSTORE_CRASH_FILE"

// crashKeys are the sessions the child writes in turn.
var crashKeys = []string{"crash-a", "crash-b", "crash-c"}

func TestCrash(t *testing.T) {
	if path := os.Getenv(crashEnv); path != "" {
		crashChild(path) // never returns
	}
	path := filepath.Join(t.TempDir(), "sessions.db")
	s := newStore(t, boltstore.Config{Path: path})
	for _, k := range crashKeys {
		if err := s.Save(t.Context(), k, moveRecord("ada", "n", `0`)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	child := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestCrash$")
	child.Env = append(os.Environ(), crashEnv+"="+path)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	child.Stderr = os.Stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	const killAfter = 300 // acknowledged writes
	acked := map[string]int{}
	total := 0
	lines := bufio.NewScanner(out)
	for total < killAfter && lines.Scan() {
		k, n, ok := strings.Cut(lines.Text(), " ")
		if !ok {
			continue
		}
		acked[k], _ = strconv.Atoi(n)
		total++
	}
	// SIGKILL to the child's PID: no deferred Close, no flush, mid-transaction.
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	// Acknowledgements already written to the pipe count too.
	for lines.Scan() {
		if k, n, ok := strings.Cut(lines.Text(), " "); ok {
			acked[k], _ = strconv.Atoi(n)
			total++
		}
	}
	_ = child.Wait()
	if total < killAfter {
		t.Fatalf("the child acknowledged %d writes before it ended, want at least %d", total, killAfter)
	}

	s = newStore(t, boltstore.Config{Path: path}) // the lock died with the child
	lost := 0
	for _, k := range crashKeys {
		rec, found, err := s.Load(t.Context(), k)
		if err != nil || !found {
			t.Fatalf("Load(%s) after the crash: got %v, %v, want the session", k, found, err)
		}
		var n int
		if err := json.Unmarshal(rec.Values["n"], &n); err != nil {
			t.Fatal(err)
		}
		if n < acked[k] {
			lost += acked[k] - n
		}
	}
	if err := s.Range(t.Context(), func(string, session.Record) error { return nil }); err != nil {
		t.Errorf("Range over the file after the crash: %v", err)
	}
	if err := s.Save(t.Context(), "after", moveRecord("")); err != nil {
		t.Errorf("Save after the crash: %v", err)
	}
	t.Logf("%d acknowledged writes before the kill, %d lost", total, lost)
	if lost != 0 {
		t.Errorf("got %d acknowledged writes lost, want 0", lost)
	}
}

// crashChild writes counts to the crash sessions until it is killed (or a
// minute passes), printing "key n" after each write returned.
func crashChild(path string) {
	s, err := boltstore.New(boltstore.Config{Path: path, SweepInterval: -1})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	w := bufio.NewWriter(os.Stdout)
	stop := time.Now().Add(time.Minute)
	for n := 1; time.Now().Before(stop); n++ {
		k := crashKeys[n%len(crashKeys)]
		p := session.Patch{Meta: moveRecord("ada").Meta, Set: map[string]json.RawMessage{"n": json.RawMessage(strconv.Itoa(n))}}
		if ok, err := s.Patch(context.Background(), k, p); err != nil || !ok {
			fmt.Fprintln(os.Stderr, "patch:", ok, err)
			os.Exit(2)
		}
		fmt.Fprintf(w, "%s %d\n", k, n)
		w.Flush()
	}
	os.Exit(0)
}
