package httpapi

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/verify"
)

// eventsDir holds the API Gateway events shared by the repository's tests.
const eventsDir = "../../testdata/events"

func loadEvent(t *testing.T, name string) events.APIGatewayV2HTTPRequest {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(eventsDir, name))
	if err != nil {
		t.Fatalf("read event: %v", err)
	}
	var event events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(data, &event); err != nil {
		t.Fatalf("decode event %s: %v", name, err)
	}
	return event
}

// TestLambdaAdapterEvents runs API Gateway HTTP API events through the
// adapter and the real handler over a seeded store, end to end.
func TestLambdaAdapterEvents(t *testing.T) {
	at := newAPITest(t, Options{})
	at.seed()
	adapter := LambdaAdapter{Handler: at.handler}

	tests := []struct {
		event       string
		wantStatus  int
		wantType    string
		wantBase64  bool
		wantRequest string
		check       func(t *testing.T, body string)
	}{
		{"apigw-get-quotes.json", 200, "application/json", false, "Vq3xYgHbDoEEMgQ=", func(t *testing.T, body string) {
			var page quotesResponse
			if err := json.Unmarshal([]byte(body), &page); err != nil || len(page.Quotes) != 2 || page.NextCursor == "" {
				t.Errorf("body = %s (%v), want 2 quotes and a next cursor", body, err)
			}
			for _, q := range page.Quotes {
				if q.Speaker.ID != "john-kerry" {
					t.Errorf("quote by %s, want john-kerry", q.Speaker.ID)
				}
			}
		}},
		{"apigw-get-article-by-key.json", 200, "application/json", false, "Vq3yAjWcjoEEMVw=", func(t *testing.T, body string) {
			var a articleResponse
			if err := json.Unmarshal([]byte(body), &a); err != nil || a.Key != sochiKey || len(a.Quotes) != 5 || a.Text == "" {
				t.Errorf("body = %s (%v), want the Sochi article with its 5 quotes and text", body, err)
			}
		}},
		{"apigw-post-search.json", 200, "application/json", false, "Vq3yDh2ZDoEEMbA=", func(t *testing.T, body string) {
			var page quotesResponse
			if err := json.Unmarshal([]byte(body), &page); err != nil || len(page.Quotes) != 1 || !strings.Contains(page.Quotes[0].Text, "must") {
				t.Errorf("body = %s (%v), want one Kerry quote with \"must\"", body, err)
			}
		}},
		{"apigw-post-verify.json", 200, "application/json", false, "Vq3yTb4PjoEEMkw=", func(t *testing.T, body string) {
			var result verify.Result
			if err := json.Unmarshal([]byte(body), &result); err != nil || len(result.Matches) == 0 {
				t.Fatalf("body = %s (%v), want a verdict with matches", body, err)
			}
			best := result.Matches[0]
			replaced := verify.DiffOp{Op: verify.DiffReplaced, Claimed: "stand", Actual: "hold"}
			if result.Verdict != verify.WordingDiffers || best.Speaker.ID != "john-kerry" || best.Article.Key != sochiKey ||
				!slices.Contains(best.Diff, replaced) {
				t.Errorf("body = %s, want wording_differs on Kerry's quote in %s, with %+v", body, sochiKey, replaced)
			}
		}},
		{"apigw-get-missing-quote.json", 404, "application/json", false, "Vq3yGgkWjoEEMqg=", func(t *testing.T, body string) {
			var e errorBody
			if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Code != quote.ENotFound {
				t.Errorf("body = %s (%v), want a not_found error", body, err)
			}
		}},
		{"apigw-stage-healthz.json", 200, "application/json", false, "Vq3yJi0yjoEEMdQ=", func(t *testing.T, body string) {
			if strings.TrimSpace(body) != `{"status":"ok"}` {
				t.Errorf("body = %s, want ok", body)
			}
		}},
		{"apigw-get-openapi.json", 200, "application/yaml", false, "Vq3yMhKNjoEEMYw=", func(t *testing.T, body string) {
			if body != openAPIDocument {
				t.Errorf("body is not the OpenAPI document")
			}
		}},
		{"apigw-delete-quotes.json", 405, "application/json", false, "Vq3yPg8gDoEEMeA=", func(t *testing.T, body string) {
			var e errorBody
			if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Code != codeMethodNotAllowed {
				t.Errorf("body = %s (%v), want a method_not_allowed error", body, err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.event, func(t *testing.T) {
			event := loadEvent(t, tt.event)
			resp, err := adapter.Handle(context.Background(), event)
			if err != nil {
				t.Fatalf("Handle: %v", err)
			}
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status = %d %s, want %d", resp.StatusCode, resp.Body, tt.wantStatus)
			}
			if got := resp.Headers["Content-Type"]; got != tt.wantType {
				t.Errorf("Content-Type = %q, want %q", got, tt.wantType)
			}
			if resp.IsBase64Encoded != tt.wantBase64 {
				t.Errorf("isBase64Encoded = %t, want %t", resp.IsBase64Encoded, tt.wantBase64)
			}
			if got := resp.Headers["X-Request-Id"]; got != tt.wantRequest {
				t.Errorf("X-Request-Id = %q, want API Gateway's request id %q", got, tt.wantRequest)
			}
			req, err := newRequest(context.Background(), event)
			if err != nil {
				t.Fatalf("newRequest: %v", err)
			}
			header := http.Header{}
			for name, value := range resp.Headers {
				header.Set(name, value)
			}
			at.spec.check(t, req, resp.StatusCode, header, []byte(resp.Body))
			tt.check(t, resp.Body)
		})
	}
}

// TestNewRequest checks how an event becomes an *http.Request: method,
// path without a named stage, query, headers, cookies and body.
func TestNewRequest(t *testing.T) {
	event := loadEvent(t, "apigw-get-quotes.json")
	req, err := newRequest(context.Background(), event)
	if err != nil {
		t.Fatalf("newRequest: %v", err)
	}
	if req.Method != "GET" || req.URL.Path != "/quotes" || req.URL.RawQuery != "speaker=kerry&limit=2" {
		t.Errorf("request = %s %s?%s, want GET /quotes?speaker=kerry&limit=2", req.Method, req.URL.Path, req.URL.RawQuery)
	}
	if req.Host != "a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com" || req.Header.Get("User-Agent") != "curl/8.5.0" {
		t.Errorf("host %q, user agent %q; want the event's", req.Host, req.Header.Get("User-Agent"))
	}
	if c, err := req.Cookie("theme"); err != nil || c.Value != "dark" {
		t.Errorf("cookie theme = %v, %v; want dark", c, err)
	}
	if got := requestID(req.Context()); got != "Vq3xYgHbDoEEMgQ=" {
		t.Errorf("request id in context = %q, want API Gateway's", got)
	}

	post := loadEvent(t, "apigw-post-search.json")
	req, err = newRequest(context.Background(), post)
	if err != nil {
		t.Fatalf("newRequest: %v", err)
	}
	var body map[string]any
	if err := json.NewDecoder(req.Body).Decode(&body); err != nil || body["speaker"] != "John Kerry" {
		t.Errorf("decoded body = %v, %v; want the base64 body decoded", body, err)
	}

	post.Body = "not base64!"
	if _, err := newRequest(context.Background(), post); err == nil {
		t.Errorf("newRequest accepted a body that is not base64")
	}
}

func TestStagelessPath(t *testing.T) {
	tests := []struct{ rawPath, stage, want string }{
		{"/quotes", "$default", "/quotes"},
		{"/prod/quotes", "prod", "/quotes"},
		{"/prod", "prod", "/"},
		{"/production/quotes", "prod", "/production/quotes"},
		{"", "$default", "/"},
	}
	for _, tt := range tests {
		if got := stagelessPath(tt.rawPath, tt.stage); got != tt.want {
			t.Errorf("stagelessPath(%q, %q) = %q, want %q", tt.rawPath, tt.stage, got, tt.want)
		}
	}
}

// TestLambdaResponseEncoding checks binary bodies travel base64-encoded,
// text ones as they are, and cookies in their own field.
func TestLambdaResponseEncoding(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	tests := []struct {
		name       string
		handler    http.HandlerFunc
		wantBody   string
		wantBase64 bool
		wantType   string
	}{
		{"binary", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "image/png")
			w.Write(png)
		}, base64.StdEncoding.EncodeToString(png), true, "image/png"},
		{"sniffed binary", func(w http.ResponseWriter, r *http.Request) {
			w.Write(png)
		}, base64.StdEncoding.EncodeToString(png), true, "image/png"},
		{"text with charset", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Write([]byte("héllo"))
		}, "héllo", false, "text/plain; charset=utf-8"},
		{"problem json", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusTeapot)
			w.Write([]byte(`{}`))
		}, `{}`, false, "application/problem+json"},
		{"no body", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusNoContent)
		}, "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := LambdaAdapter{Handler: tt.handler}.Handle(context.Background(), loadEvent(t, "apigw-stage-healthz.json"))
			if err != nil {
				t.Fatalf("Handle: %v", err)
			}
			if resp.Body != tt.wantBody || resp.IsBase64Encoded != tt.wantBase64 || resp.Headers["Content-Type"] != tt.wantType {
				t.Errorf("response = %q base64 %t type %q, want %q base64 %t type %q",
					resp.Body, resp.IsBase64Encoded, resp.Headers["Content-Type"], tt.wantBody, tt.wantBase64, tt.wantType)
			}
		})
	}

	resp, err := LambdaAdapter{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "a", Value: "1"})
		http.SetCookie(w, &http.Cookie{Name: "b", Value: "2"})
		w.Header().Add("Vary", "Accept")
		w.Header().Add("Vary", "Origin")
	})}.Handle(context.Background(), loadEvent(t, "apigw-stage-healthz.json"))
	if err != nil {
		t.Fatalf("Handle: %v", err)
	}
	if !slices.Equal(resp.Cookies, []string{"a=1", "b=2"}) || resp.Headers["Set-Cookie"] != "" {
		t.Errorf("cookies = %q, Set-Cookie header %q; want both cookies in the cookies field only", resp.Cookies, resp.Headers["Set-Cookie"])
	}
	if resp.Headers["Vary"] != "Accept, Origin" {
		t.Errorf("Vary = %q, want the values joined", resp.Headers["Vary"])
	}
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status of a handler that wrote nothing = %d, want 200", resp.StatusCode)
	}
}

// TestLambdaLogsCaller: the access log names who API Gateway's authorizer
// says made the request, and nobody when the route has no authorizer.
func TestLambdaLogsCaller(t *testing.T) {
	tests := []struct {
		name string
		auth *events.APIGatewayV2HTTPRequestContextAuthorizerDescription
		want string // in the access log line; "" for no caller attribute
	}{
		{"no authorizer", nil, ""},
		{"IAM", &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			IAM: &events.APIGatewayV2HTTPRequestContextAuthorizerIAMDescription{UserARN: "arn:aws:iam::123456789012:user/desk"}},
			`"caller":"arn:aws:iam::123456789012:user/desk"`},
		{"JWT", &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: map[string]string{"iss": "https://id.example", "sub": "reporter-7"}}},
			`"caller":"https://id.example#reporter-7"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := newAPITest(t, Options{})
			event := loadEvent(t, "apigw-stage-healthz.json")
			event.RequestContext.Authorizer = tt.auth
			if _, err := (LambdaAdapter{Handler: at.handler}).Handle(context.Background(), event); err != nil {
				t.Fatal(err)
			}
			logs := at.logs.String()
			if tt.want == "" && strings.Contains(logs, `"caller"`) || !strings.Contains(logs, tt.want) {
				t.Errorf("access log = %s\nwant %s", logs, cmp.Or(tt.want, "no caller"))
			}
		})
	}
}
