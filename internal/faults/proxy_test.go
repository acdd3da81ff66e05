package faults

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// fault is what the proxy does with one request.
type fault int

const (
	// pass forwards the request to dynalite and its answer to the client.
	pass fault = iota
	// throttle answers HTTP 400 ThrottlingException without forwarding.
	throttle
	// exceed answers HTTP 400 ProvisionedThroughputExceededException
	// without forwarding.
	exceed
	// serverError answers HTTP 500 without forwarding.
	serverError
	// hangUp closes the connection without forwarding: DynamoDB gone.
	hangUp
	// loseAnswer forwards the request, so that it takes effect, then
	// closes the connection instead of answering: a timeout after the
	// write landed.
	loseAnswer
)

func (f fault) String() string {
	return [...]string{"pass", "throttle", "exceed", "serverError", "hangUp", "loseAnswer"}[f]
}

// rule chooses the fault for a request of the DynamoDB operation op
// (BatchWriteItem, ...). The proxy calls it for one request at a time.
type rule func(op string) fault

// seenRequest is one request the proxy handled.
type seenRequest struct {
	op string
	// attempt is the SDK's amz-sdk-request header ("attempt=2; max=3"),
	// which says whether the SDK's retryer sent it.
	attempt string
	fault   fault
}

// dynamoProxy is a reverse proxy in front of dynalite that injects
// faults according to its rule.
type dynamoProxy struct {
	server  *httptest.Server
	forward *httputil.ReverseProxy

	mu   sync.Mutex
	rule rule
	seen []seenRequest
}

// newDynamoProxy starts a proxy to the DynamoDB endpoint target on
// 127.0.0.1, passing everything until a rule is set.
func newDynamoProxy(t *testing.T, target string) *dynamoProxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatalf("parse dynalite endpoint %q: %v", target, err)
	}
	forward := httputil.NewSingleHostReverseProxy(u)
	// A client that gives up on a call cancels its request; that is the
	// SDK's business, not a failure of the proxy worth a log line.
	forward.ErrorLog = log.New(io.Discard, "", 0)
	p := &dynamoProxy{forward: forward}
	p.server = httptest.NewServer(p)
	t.Cleanup(p.server.Close)
	return p
}

// URL is the endpoint clients use instead of dynalite's.
func (p *dynamoProxy) URL() string { return p.server.URL }

// set replaces the rule; nil passes every request.
func (p *dynamoProxy) set(r rule) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.rule = r
}

// requests returns what the proxy has handled so far and forgets it.
func (p *dynamoProxy) requests() []seenRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	seen := p.seen
	p.seen = nil
	return seen
}

func (p *dynamoProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op := r.Header.Get("X-Amz-Target")
	op = op[strings.LastIndexByte(op, '.')+1:]
	p.mu.Lock()
	f := pass
	if p.rule != nil {
		f = p.rule(op)
	}
	p.seen = append(p.seen, seenRequest{op: op, attempt: r.Header.Get("Amz-Sdk-Request"), fault: f})
	p.mu.Unlock()

	switch f {
	case pass:
		p.forward.ServeHTTP(w, r)
	case throttle:
		writeDynamoError(w, http.StatusBadRequest, "ThrottlingException", "Rate of requests exceeds the allowed throughput.")
	case exceed:
		writeDynamoError(w, http.StatusBadRequest, "ProvisionedThroughputExceededException",
			"The level of configured provisioned throughput for the table was exceeded.")
	case serverError:
		writeDynamoError(w, http.StatusInternalServerError, "InternalServerError", "Internal server error")
	case hangUp:
		_, _ = io.Copy(io.Discard, r.Body)
		closeConnection(w)
	case loseAnswer:
		p.forward.ServeHTTP(httptest.NewRecorder(), r)
		closeConnection(w)
	}
}

// writeDynamoError answers as DynamoDB does: a JSON body whose __type
// names the error.
func writeDynamoError(w http.ResponseWriter, status int, name, message string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{
		"__type":  "com.amazonaws.dynamodb.v20120810#" + name,
		"message": message,
	})
}

// closeConnection drops the client's connection without an answer.
func closeConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Unreachable on the HTTP/1.1 test server; an answer the SDK
		// cannot read still fails the call.
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	conn.Close()
}
