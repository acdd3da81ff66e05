package localserver_test

import (
	"bufio"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsroom-tools/quotes/internal/localserver"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// serveLogged serves with a log to read, and reports on closed the remote
// address of every connection the server is done with.
func serveLogged(t *testing.T) (srv *httptest.Server, logs *lockedBuffer, closed <-chan string) {
	t.Helper()
	logs = &lockedBuffer{}
	service, err := localserver.Open(t.Context(), localserver.Config{Data: t.TempDir(), Bucket: "articles",
		Log: slog.New(slog.NewJSONHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(service.Close)
	srv = httptest.NewUnstartedServer(service.Handler)
	done := make(chan string, 100)
	srv.Config.ConnState = func(c net.Conn, state http.ConnState) {
		if state == http.StateClosed {
			done <- c.RemoteAddr().String()
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, logs, done
}

// rawRequest sends head and body, as they are, on a new connection and
// reads the answer.
func rawRequest(t *testing.T, srv *httptest.Server, head, body string) *http.Response {
	t.Helper()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	// A deadline so that a server waiting for a body fails the test
	// instead of hanging it.
	if err := conn.SetDeadline(time.Now().Add(30 * time.Second)); err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(conn, head+body)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%q: %v", head, err)
	}
	resp.Body.Close()
	return resp
}

func TestBucketBounds(t *testing.T) {
	srv, logs, closed := serveLogged(t)
	host := srv.Listener.Addr().String()

	huge := rawRequest(t, srv, fmt.Sprintf("PUT /bucket/huge.txt HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n\r\n", host, 100<<20), "")
	if huge.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("PUT declaring 100 MB with no body = %d, want 413 at once", huge.StatusCode)
	}

	long := "/bucket/" + strings.Repeat("s", 300) + "/a.txt"
	if got := try(t, srv.URL, attempt{method: "PUT", path: long, body: goodArticle}); got.status != http.StatusBadRequest || got.code != "invalid" {
		t.Errorf("PUT of a key with a 300-byte segment = %+v, want 400 invalid", got)
	}

	// A client that sends part of its body and leaves.
	conn, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "PUT /bucket/cut.txt HTTP/1.1\r\nHost: %s\r\nContent-Length: 1000\r\n\r\n“We will", host)
	cut := conn.LocalAddr().String()
	conn.Close()
	for addr := range closed {
		if addr == cut {
			break
		}
	}
	if got := try(t, srv.URL, attempt{method: "GET", path: "/articles?key=cut.txt"}); got.status != http.StatusNotFound {
		t.Errorf("GET /articles?key=cut.txt after a cut upload = %+v, want 404", got)
	}
	if strings.Contains(logs.String(), `"level":"ERROR"`) {
		t.Errorf("client failures logged as server errors:\n%s", logs)
	}
}
