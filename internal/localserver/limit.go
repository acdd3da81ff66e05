package localserver

import (
	"net"
	"net/http"
	"sync"
)

// maxVerifyPerClient is how many POST /verify requests one client may have
// running at once. A verification compares a claim with every stored quote
// sharing its words; a client firing many at once would starve the others.
const maxVerifyPerClient = 4

// perClientLimit lets each client (by remote address) have at most limit
// requests running in next, answering any more with a JSON 429.
type perClientLimit struct {
	next  http.Handler
	limit int

	mu      sync.Mutex
	running map[string]int
}

func limitPerClient(next http.Handler, limit int) *perClientLimit {
	return &perClientLimit{next: next, limit: limit, running: map[string]int{}}
}

func (l *perClientLimit) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	client, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		client = r.RemoteAddr
	}
	if !l.acquire(client) {
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusTooManyRequests, "too_many_requests",
			"too many verifications at once from this client; wait for one to finish")
		return
	}
	defer l.release(client)
	l.next.ServeHTTP(w, r)
}

func (l *perClientLimit) acquire(client string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.running[client] >= l.limit {
		return false
	}
	l.running[client]++
	return true
}

func (l *perClientLimit) release(client string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.running[client]--; l.running[client] <= 0 {
		delete(l.running, client)
	}
}
