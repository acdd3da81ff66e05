package localserver

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

func TestVerifyLimitPerClient(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	busy := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
		w.WriteHeader(http.StatusOK)
	})
	l := limitPerClient(busy, 2)
	call := func(addr string) int {
		req := httptest.NewRequest(http.MethodPost, "/verify", nil)
		req.RemoteAddr = addr
		rec := httptest.NewRecorder()
		l.ServeHTTP(rec, req)
		return rec.Code
	}
	var wg sync.WaitGroup
	statuses := make(chan int, 3)
	for _, addr := range []string{"10.0.0.1:1000", "10.0.0.1:1001", "10.0.0.2:1000"} {
		wg.Go(func() { statuses <- call(addr) })
		<-entered
	}
	// 10.0.0.1 has its two running: a third from it waits for none of them.
	if got := call("10.0.0.1:1002"); got != http.StatusTooManyRequests {
		t.Errorf("a third concurrent verification from one client = %d, want 429", got)
	}
	close(release)
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != http.StatusOK {
			t.Errorf("a verification within the limit = %d, want 200", s)
		}
	}
	if len(l.running) != 0 {
		t.Errorf("after every request ended, running = %v, want empty", l.running)
	}
	go func() { <-entered }()
	if got := call("10.0.0.1:1003"); got != http.StatusOK {
		t.Errorf("a verification once the others ended = %d, want 200", got)
	}
}
