package httpapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-lambda-go/events"
)

// LambdaAdapter serves API Gateway HTTP API (payload format 2.0) events
// with an http.Handler, so the Lambda runs exactly the handler the local
// server runs.
type LambdaAdapter struct {
	Handler http.Handler
}

// Handle turns the event into an *http.Request, runs the handler and turns
// what it wrote into the response API Gateway expects. Only an event that
// cannot be a request at all is an error; everything else, failures
// included, is an HTTP response.
func (a LambdaAdapter) Handle(ctx context.Context, event events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	req, err := newRequest(ctx, event)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, fmt.Errorf("httpapi: request %s: %w", event.RequestContext.RequestID, err)
	}
	rw := &bufferedWriter{header: http.Header{}}
	a.Handler.ServeHTTP(rw, req)
	return rw.response(), nil
}

func newRequest(ctx context.Context, event events.APIGatewayV2HTTPRequest) (*http.Request, error) {
	body := []byte(event.Body)
	if event.IsBase64Encoded {
		decoded, err := base64.StdEncoding.DecodeString(event.Body)
		if err != nil {
			return nil, fmt.Errorf("decode base64 body: %w", err)
		}
		body = decoded
	}
	target := stagelessPath(event.RawPath, event.RequestContext.Stage)
	if event.RawQueryString != "" {
		target += "?" + event.RawQueryString
	}
	u, err := url.ParseRequestURI(target)
	if err != nil {
		return nil, fmt.Errorf("parse path %q: %w", target, err)
	}
	if event.RequestContext.RequestID != "" {
		ctx = withRequestID(ctx, event.RequestContext.RequestID)
	}
	if who := callerOf(event.RequestContext.Authorizer); who != "" {
		ctx = withCaller(ctx, who)
	}
	req, err := http.NewRequestWithContext(ctx, event.RequestContext.HTTP.Method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	req.RequestURI = u.RequestURI()
	for name, value := range event.Headers {
		// API Gateway joins repeated headers with commas, which is how HTTP
		// allows them to be combined anyway.
		req.Header.Set(name, value)
	}
	if len(event.Cookies) > 0 {
		req.Header.Set("Cookie", strings.Join(event.Cookies, "; "))
	}
	req.Host = event.Headers["host"]
	if req.Host == "" {
		req.Host = event.RequestContext.DomainName
	}
	req.RemoteAddr = event.RequestContext.HTTP.SourceIP
	if proto := event.RequestContext.HTTP.Protocol; proto != "" {
		if major, minor, ok := http.ParseHTTPVersion(proto); ok {
			req.Proto, req.ProtoMajor, req.ProtoMinor = proto, major, minor
		}
	}
	return req, nil
}

// stagelessPath strips a named stage from the front of the path: API
// Gateway includes it in rawPath ("/prod/quotes"), while the routes are the
// same whatever the stage. The $default stage adds nothing.
func stagelessPath(rawPath, stage string) string {
	if rawPath == "" {
		return "/"
	}
	if stage == "" || stage == "$default" {
		return rawPath
	}
	if rest, ok := strings.CutPrefix(rawPath, "/"+stage); ok && (rest == "" || rest[0] == '/') {
		if rest == "" {
			return "/"
		}
		return rest
	}
	return rawPath
}

// bufferedWriter collects a response in memory, since a Lambda returns it
// whole.
type bufferedWriter struct {
	header      http.Header
	status      int
	wroteHeader bool
	body        bytes.Buffer
}

func (w *bufferedWriter) Header() http.Header { return w.header }

func (w *bufferedWriter) WriteHeader(status int) {
	if w.wroteHeader {
		return
	}
	w.status, w.wroteHeader = status, true
}

func (w *bufferedWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		if w.header.Get("Content-Type") == "" {
			// As net/http's server does for a handler that sets none.
			w.header.Set("Content-Type", http.DetectContentType(b))
		}
		w.WriteHeader(http.StatusOK)
	}
	return w.body.Write(b)
}

func (w *bufferedWriter) response() events.APIGatewayV2HTTPResponse {
	status := w.status
	if !w.wroteHeader {
		status = http.StatusOK
	}
	resp := events.APIGatewayV2HTTPResponse{StatusCode: status, Headers: map[string]string{}}
	for name, values := range w.header {
		if name == "Set-Cookie" {
			resp.Cookies = values
			continue
		}
		resp.Headers[name] = strings.Join(values, ", ")
	}
	if isText(w.header.Get("Content-Type")) {
		resp.Body = w.body.String()
	} else {
		resp.Body = base64.StdEncoding.EncodeToString(w.body.Bytes())
		resp.IsBase64Encoded = true
	}
	return resp
}

// isText reports whether a body of this type can travel as a JSON string
// unchanged; anything else goes base64-encoded. An empty body is text.
func isText(contentType string) bool {
	if contentType == "" {
		return true
	}
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch {
	case strings.HasPrefix(mediaType, "text/"),
		strings.HasSuffix(mediaType, "+json"),
		strings.HasSuffix(mediaType, "+xml"),
		strings.HasSuffix(mediaType, "+yaml"):
		return true
	}
	switch mediaType {
	case "application/json", "application/yaml", "application/x-yaml",
		"application/xml", "application/javascript", "application/x-www-form-urlencoded":
		return true
	}
	return false
}

// callerOf names who made a request, as API Gateway's authorizer
// established it: an IAM principal's ARN, or a JWT's issuer and subject.
// It is "" on a route without an authorizer.
func callerOf(auth *events.APIGatewayV2HTTPRequestContextAuthorizerDescription) string {
	switch {
	case auth == nil:
		return ""
	case auth.IAM != nil && auth.IAM.UserARN != "":
		return auth.IAM.UserARN
	case auth.JWT != nil && auth.JWT.Claims["sub"] != "":
		return auth.JWT.Claims["iss"] + "#" + auth.JWT.Claims["sub"]
	}
	return ""
}
