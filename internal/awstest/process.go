package awstest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
)

// nodeServer is one server process and the base URL it listens on.
type nodeServer struct {
	name   string
	url    string
	cmd    *exec.Cmd
	exited chan struct{} // closed once the process has been waited for
	log    *startupLog
}

// The lines each server prints once it accepts connections. They carry the
// port the process itself bound, so seeing them proves that this process —
// not another test binary's — owns the port.
var (
	dynaliteListening = regexp.MustCompile(`Dynalite listening at: https?://\S+:(\d+)`)
	s3rverListening   = regexp.MustCompile(`S3rver listening on \S+:(\d+)`)
)

// errAddrInUse marks a server that lost the race for its port.
var errAddrInUse = errors.New("address already in use")

// dynaliteAttempts bounds the retries when another process takes the port
// picked for dynalite between picking and binding it.
const dynaliteAttempts = 5

// startDynalite starts dynalite in memory. dynalite cannot pick its own
// port (it treats --port 0 as "unset" and falls back to 4567), so a free
// port is picked here and the start retried if someone else binds it first.
// Tables become ACTIVE at once instead of after dynalite's default 500 ms.
func startDynalite(ctx context.Context, root, cli string) (*nodeServer, error) {
	for attempt := 1; ; attempt++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		srv, err := startNode(ctx, "dynalite", root, dynaliteListening, cli,
			"--host", "127.0.0.1", "--port", strconv.Itoa(port),
			"--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0")
		if err == nil || attempt == dynaliteAttempts || !errors.Is(err, errAddrInUse) {
			return srv, err
		}
	}
}

// startS3rver starts s3rver storing objects under dataDir, on a port it
// picks itself.
func startS3rver(ctx context.Context, root, cli, dataDir string) (*nodeServer, error) {
	return startNode(ctx, "s3rver", root, s3rverListening, cli,
		"--address", "127.0.0.1", "--port", "0", "--directory", dataDir, "--silent")
}

// startNode runs script under node and waits until it prints the listening
// line, or exits, or ctx ends.
func startNode(ctx context.Context, name, root string, listening *regexp.Regexp, script string, args ...string) (*nodeServer, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("awstest: start %s: %w: run infra/local/install.sh to install Node.js and the local AWS servers", name, err)
	}
	log := &startupLog{listening: listening, port: make(chan string, 1)}
	// Not exec.CommandContext: ctx bounds the start only, not the server's life.
	cmd := exec.Command(node, append([]string{script}, args...)...)
	cmd.Dir = filepath.Join(root, "infra", "local")
	cmd.Stdout = log
	cmd.Stderr = log
	cmd.SysProcAttr = dieWithParent()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("awstest: start %s: %w", name, err)
	}
	srv := &nodeServer{name: name, cmd: cmd, exited: make(chan struct{}), log: log}
	go func() {
		cmd.Wait()
		close(srv.exited)
	}()

	select {
	case port := <-log.port:
		srv.url = "http://127.0.0.1:" + port
		return srv, nil
	case <-srv.exited:
		output := log.output()
		err := fmt.Errorf("awstest: %s exited before listening: %s\n%s", name, cmd.ProcessState, output)
		if bytes.Contains(output, []byte("EADDRINUSE")) {
			err = fmt.Errorf("%w (%w)", err, errAddrInUse)
		}
		return nil, err
	case <-ctx.Done():
		srv.stop()
		return nil, fmt.Errorf("awstest: %s did not start listening: %w\n%s", name, ctx.Err(), log.output())
	}
}

// stop kills the process and waits until it is gone.
func (s *nodeServer) stop() {
	s.cmd.Process.Kill()
	<-s.exited
}

// freePort returns a 127.0.0.1 TCP port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("awstest: find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// startupLog collects a server's output — the tail of it, for error
// messages — and reports the port from its listening line.
type startupLog struct {
	listening *regexp.Regexp
	port      chan string // receives the port once

	mu      sync.Mutex
	tail    []byte
	partial []byte // the current, unfinished line until the listening line is seen
	found   bool
}

// maxLogTail bounds the output kept for error messages.
const maxLogTail = 8 << 10

func (l *startupLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tail = append(l.tail, p...)
	if over := len(l.tail) - maxLogTail; over > 0 {
		l.tail = append(l.tail[:0], l.tail[over:]...)
	}
	if l.found {
		return len(p), nil
	}
	l.partial = append(l.partial, p...)
	for {
		line, rest, ok := bytes.Cut(l.partial, []byte("\n"))
		if !ok {
			break
		}
		if m := l.listening.FindSubmatch(line); m != nil {
			l.found = true
			l.partial = nil
			l.port <- string(m[1])
			break
		}
		l.partial = rest
	}
	return len(p), nil
}

func (l *startupLog) output() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return bytes.Clone(l.tail)
}
