//go:build unix

package main

import (
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// tryItBlock returns the first sh block under the README's "## Try it".
func tryItBlock(t *testing.T) string {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "\n## Try it\n")
	if !ok {
		t.Fatal("README.md has no \"## Try it\" section")
	}
	_, block, ok := strings.Cut(section, "```sh\n")
	if !ok {
		t.Fatal("README.md's Try it section has no sh block")
	}
	block, _, _ = strings.Cut(block, "```")
	return block
}

// TestReadmeTryIt runs the README's "Try it" block in bash from the
// repository's root, as a reader pastes it, with two changes only: a free
// port for 8080 (others may be serving on this machine; the server takes
// it from QUOTES_ADDR) and a fresh data folder for /tmp/quotes. Every answer must be JSON without an error,
// every upload extracted, and every quote search must find quotes.
func TestReadmeTryIt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the quotes command")
	}
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	block := tryItBlock(t)
	for _, want := range []string{"127.0.0.1:8080", "/tmp/quotes"} {
		if !strings.Contains(block, want) {
			t.Fatalf("the Try it block no longer mentions %s; update this test", want)
		}
	}
	addr := freeAddr(t)
	block = strings.ReplaceAll(block, "127.0.0.1:8080", addr)
	block = strings.ReplaceAll(block, "/tmp/quotes", filepath.Join(t.TempDir(), "quotes"))

	dir := t.TempDir()
	stdout, stderr := createFile(t, filepath.Join(dir, "stdout")), createFile(t, filepath.Join(dir, "stderr"))
	cmd := exec.Command("bash", "-c", block)
	cmd.Dir = filepath.Join("..", "..")
	// Files, not pipes: the server the block starts in the background
	// outlives bash and would hold a pipe open.
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Env = append(os.Environ(), "QUOTES_ADDR="+addr)
	if raceEnabled {
		// The race-built packages of this test are in the build cache.
		cmd.Env = append(cmd.Env, "GOFLAGS=-race")
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopGroup(t, cmd.Process.Pid) })
	err := cmd.Wait()
	out, _ := os.ReadFile(stdout.Name())
	errOut, _ := os.ReadFile(stderr.Name())
	if err != nil {
		t.Fatalf("the Try it block failed: %v\nstdout:\n%s\nstderr:\n%s", err, out, errOut)
	}

	answers := jsonValues(t, out)
	if want := strings.Count(block, "curl -sS"); len(answers) != want+4 {
		// The upload loop's one curl runs once per seed article.
		t.Errorf("%d JSON answers, want %d (one per curl -sS, five uploads):\n%s\nstderr:\n%s", len(answers), want+4, out, errOut)
	}
	for i, a := range answers {
		if _, ok := a["error"]; ok {
			t.Errorf("answer %d is an error: %v", i, a)
		}
		if quotes, ok := a["quotes"].([]any); ok && len(quotes) == 0 {
			t.Errorf("answer %d found no quotes: %v", i, a)
		}
	}
	for i, a := range answers[:min(6, len(answers))] {
		if a["status"] != "extracted" {
			t.Errorf("upload %d: %v, want status extracted", i, a)
		}
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func createFile(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// jsonValues decodes the JSON answers in out, one a line, skipping the
// server's own line on stdout.
func jsonValues(t *testing.T, out []byte) []map[string]any {
	t.Helper()
	var values []map[string]any
	for line := range strings.Lines(string(out)) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "quotes: serving on ") {
			continue
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(line), &v); err != nil {
			t.Fatalf("answer %d is not a JSON object: %v\n%s", len(values), err, line)
		}
		values = append(values, v)
	}
	return values
}

// stopGroup ends the process group the block ran in (go run and the
// server it started) and waits for it to be gone.
func stopGroup(t *testing.T, pgid int) {
	t.Helper()
	if err := syscall.Kill(-pgid, syscall.SIGTERM); err != nil {
		return
	}
	for range 100 {
		if syscall.Kill(-pgid, 0) != nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Errorf("the server started by the Try it block did not stop")
	syscall.Kill(-pgid, syscall.SIGKILL)
}
