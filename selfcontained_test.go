package sesame_test

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestSelfContained: nothing in the repository refers to a file outside it. A
// fresh clone has no sibling folder of shared notes beside it, and an absolute path names one
// machine, so a test, script or document that uses either works only where it
// was written. Every file git tracks (or would track: untracked, not ignored)
// is read, outside .git and node_modules.
func TestSelfContained(t *testing.T) {
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	forbidden := []string{".." + "/shared", root + "/"}
	if parent := filepath.Dir(root); strings.Count(parent, "/") >= 2 && parent != os.TempDir() {
		forbidden = append(forbidden, parent+"/")
	}
	// The development machines' checkouts, written so this file does not hold them.
	forbidden = append(forbidden, "/"+"work/")

	var bad []string
	for _, name := range repoFiles(t, root) {
		b, err := os.ReadFile(filepath.Join(root, name))
		if err != nil || bytes.IndexByte(b, 0) >= 0 { // gone, or binary
			continue
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
		for n := 1; sc.Scan(); n++ {
			for _, f := range forbidden {
				if strings.Contains(sc.Text(), f) {
					bad = append(bad, name+":"+strconv.Itoa(n)+": refers to "+f)
				}
			}
		}
	}
	if len(bad) > 0 {
		t.Fatalf("files refer to paths outside the repository (keep what they need inside it, under testdata/, and use relative paths):\n%s", strings.Join(bad, "\n"))
	}
}

// repoFiles lists the files of the working tree: git's view when git is
// there, else a walk.
func repoFiles(t *testing.T, root string) []string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(root, ".git")); err == nil {
		if out, err := exec.Command("git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output(); err == nil {
			var files []string
			for _, f := range strings.Split(string(out), "\x00") {
				if f != "" && !strings.Contains("/"+f, "/node_modules/") {
					files = append(files, f)
				}
			}
			return files
		}
	}
	var files []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(root, path)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
