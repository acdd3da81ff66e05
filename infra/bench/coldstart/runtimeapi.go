package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// runtimeAPI emulates the Lambda Runtime API for one invocation: the
// first GET .../invocation/next gets the event, later ones wait until the
// emulation closes (as Lambda freezes an idle function); the answer, an
// invocation error or an init error ends the run.
type runtimeAPI struct {
	addr   string
	server *http.Server
	event  []byte
	start  time.Time
	done   chan outcome

	mu     sync.Mutex
	served bool
	ready  time.Duration
	closed chan struct{}
}

// outcome is how the invocation ended, timed from the process start.
type outcome struct {
	ready time.Duration
	at    time.Duration
	body  []byte
	err   error
}

const requestID = "8476a536-e9f4-11e8-9739-2dfe598c3fcd"

func newRuntimeAPI(event []byte) (*runtimeAPI, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("runtime API: %w", err)
	}
	rt := &runtimeAPI{addr: ln.Addr().String(), event: event, done: make(chan outcome, 1), closed: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", rt.next)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", rt.response)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", rt.failure)
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", rt.failure)
	rt.server = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = rt.server.Serve(ln) }()
	return rt, nil
}

func (rt *runtimeAPI) close() {
	close(rt.closed)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = rt.server.Shutdown(ctx)
}

func (rt *runtimeAPI) next(w http.ResponseWriter, r *http.Request) {
	rt.mu.Lock()
	first := !rt.served
	if first {
		rt.served = true
		rt.ready = time.Since(rt.start)
	}
	rt.mu.Unlock()
	if !first {
		select {
		case <-rt.closed:
		case <-r.Context().Done():
		}
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Lambda-Runtime-Aws-Request-Id", requestID)
	h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(30*time.Second).UnixMilli(), 10))
	h.Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:quotes")
	h.Set("Lambda-Runtime-Trace-Id", "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1")
	_, _ = w.Write(rt.event)
}

func (rt *runtimeAPI) response(w http.ResponseWriter, r *http.Request) {
	rt.finish(w, r, nil)
}

func (rt *runtimeAPI) failure(w http.ResponseWriter, r *http.Request) {
	rt.finish(w, r, errInvocation)
}

func (rt *runtimeAPI) finish(w http.ResponseWriter, r *http.Request, failed error) {
	at := time.Since(rt.start)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		failed = fmt.Errorf("read %s: %w", r.URL.Path, err)
	} else if failed != nil {
		failed = fmt.Errorf("%w (%s): %s", failed, r.URL.Path, body)
	}
	w.WriteHeader(http.StatusAccepted)
	rt.mu.Lock()
	ready := rt.ready
	rt.mu.Unlock()
	select {
	case rt.done <- outcome{ready: ready, at: at, body: body, err: failed}:
	default:
	}
}
