package localserver_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/newsroom-tools/quotes/internal/localserver"
	"github.com/newsroom-tools/quotes/internal/quote"
)

const goodArticle = "“We will hold,” John Kerry said in Geneva on Tuesday.\n"

type attempt struct {
	method, path, body string
	header             map[string]string
	host               string
}

type answer struct {
	status int
	code   string
}

func serve(t *testing.T, access localserver.Access) (string, *localserver.Server) {
	t.Helper()
	service, err := localserver.Open(t.Context(), localserver.Config{Data: t.TempDir(), Bucket: "articles", Access: access})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(service.Close)
	srv := httptest.NewServer(service.Handler)
	t.Cleanup(srv.Close)
	return srv.URL, service
}

func try(t *testing.T, base string, a attempt) answer {
	t.Helper()
	var body io.Reader
	if a.body != "" {
		body = strings.NewReader(a.body)
	}
	req, err := http.NewRequestWithContext(t.Context(), a.method, base+a.path, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range a.header {
		req.Header.Set(k, v)
	}
	if a.host != "" {
		req.Host = a.host
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", a.method, a.path, err)
	}
	defer resp.Body.Close()
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode >= 400 && !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s %s: status %d with Content-Type %q, want a JSON error", a.method, a.path, resp.StatusCode, ct)
	}
	_ = json.NewDecoder(resp.Body).Decode(&e)
	return answer{resp.StatusCode, e.Error.Code}
}

// TestOnlyOwnOriginWrites plays the attacks of a web page the reporter
// has open (cross-site requests, DNS rebinding) and of anyone on the
// network (no token), and checks each is refused and changes nothing.
func TestOnlyOwnOriginWrites(t *testing.T) {
	const token = "s3cret-token"
	evil := map[string]string{"Origin": "http://evil.example", "Content-Type": "text/plain"}
	crossSite := map[string]string{"Sec-Fetch-Site": "cross-site"}
	bearer := map[string]string{"Authorization": "Bearer " + token}
	tests := []struct {
		name   string
		access localserver.Access
		try    attempt
		want   answer
		// stored says whether seed.txt (stored before the attempt) and
		// new.txt are in the store after it.
		seedStays, newStored bool
	}{
		{name: "cross-site POST", try: attempt{method: "POST", path: "/bucket/new.txt", body: goodArticle, header: evil},
			want: answer{403, "forbidden"}, seedStays: true},
		{name: "same-origin POST is not an upload", try: attempt{method: "POST", path: "/bucket/new.txt", body: goodArticle},
			want: answer{405, "method_not_allowed"}, seedStays: true},
		{name: "cross-site PUT by Origin", try: attempt{method: "PUT", path: "/bucket/new.txt", body: goodArticle, header: evil},
			want: answer{403, "forbidden"}, seedStays: true},
		{name: "cross-site PUT by Sec-Fetch-Site", try: attempt{method: "PUT", path: "/bucket/new.txt", body: goodArticle, header: crossSite},
			want: answer{403, "forbidden"}, seedStays: true},
		{name: "cross-site DELETE", try: attempt{method: "DELETE", path: "/bucket/seed.txt", header: evil},
			want: answer{403, "forbidden"}, seedStays: true},
		{name: "rebound host PUT", try: attempt{method: "PUT", path: "/bucket/new.txt", body: goodArticle, host: "evil.example:8080"},
			want: answer{403, "forbidden"}, seedStays: true},
		{name: "rebound host DELETE", try: attempt{method: "DELETE", path: "/bucket/seed.txt", host: "evil.example"},
			want: answer{403, "forbidden"}, seedStays: true},
		{name: "rebound host read", try: attempt{method: "GET", path: "/quotes?speaker=kerry", host: "rebind.evil.example"},
			want: answer{403, "forbidden"}, seedStays: true},
		{name: "localhost by name", try: attempt{method: "PUT", path: "/bucket/new.txt", body: goodArticle, host: "localhost:1234"},
			want: answer{200, ""}, seedStays: true, newStored: true},
		{name: "named host", access: localserver.Access{Hosts: []string{"Quotes.Newsroom.Internal"}},
			try:  attempt{method: "PUT", path: "/bucket/new.txt", body: goodArticle, host: "quotes.newsroom.internal"},
			want: answer{200, ""}, seedStays: true, newStored: true},
		{name: "same-origin browser PUT", try: attempt{method: "PUT", path: "/bucket/new.txt", body: goodArticle,
			header: map[string]string{"Sec-Fetch-Site": "same-origin"}},
			want: answer{200, ""}, seedStays: true, newStored: true},
		{name: "PUT without token", access: localserver.Access{Token: token},
			try:  attempt{method: "PUT", path: "/bucket/new.txt", body: goodArticle},
			want: answer{401, "unauthorized"}, seedStays: true},
		{name: "PUT with wrong token", access: localserver.Access{Token: token},
			try:  attempt{method: "PUT", path: "/bucket/new.txt", body: goodArticle, header: map[string]string{"Authorization": "Bearer guess"}},
			want: answer{401, "unauthorized"}, seedStays: true},
		{name: "DELETE without token", access: localserver.Access{Token: token},
			try:  attempt{method: "DELETE", path: "/bucket/seed.txt"},
			want: answer{401, "unauthorized"}, seedStays: true},
		{name: "PUT with token", access: localserver.Access{Token: token},
			try:  attempt{method: "PUT", path: "/bucket/new.txt", body: goodArticle, header: bearer},
			want: answer{200, ""}, seedStays: true, newStored: true},
		{name: "DELETE with token", access: localserver.Access{Token: token},
			try:  attempt{method: "DELETE", path: "/bucket/seed.txt", header: bearer},
			want: answer{200, ""}},
		{name: "public read without token", access: localserver.Access{Token: token},
			try:  attempt{method: "GET", path: "/quotes?speaker=kerry"},
			want: answer{200, ""}, seedStays: true},
		{name: "private read without token", access: localserver.Access{Token: token, Private: true},
			try:  attempt{method: "GET", path: "/quotes?speaker=kerry"},
			want: answer{401, "unauthorized"}, seedStays: true},
		{name: "private verify without token", access: localserver.Access{Token: token, Private: true},
			try:  attempt{method: "POST", path: "/verify", body: `{"quote":"We will hold"}`, header: map[string]string{"Content-Type": "application/json"}},
			want: answer{401, "unauthorized"}, seedStays: true},
		{name: "private read with token", access: localserver.Access{Token: token, Private: true},
			try:  attempt{method: "GET", path: "/quotes?speaker=kerry", header: bearer},
			want: answer{200, ""}, seedStays: true},
		{name: "private health check", access: localserver.Access{Token: token, Private: true},
			try:  attempt{method: "GET", path: "/healthz"},
			want: answer{200, ""}, seedStays: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, service := serve(t, tt.access)
			seed := attempt{method: "PUT", path: "/bucket/seed.txt", body: goodArticle, header: bearer}
			if got := try(t, base, seed); got.status != http.StatusOK {
				t.Fatalf("storing the seed article: %+v", got)
			}
			if got := try(t, base, tt.try); got != tt.want {
				t.Errorf("%s %s: got %+v, want %+v", tt.try.method, tt.try.path, got, tt.want)
			}
			for key, want := range map[string]bool{"seed.txt": tt.seedStays, "new.txt": tt.newStored} {
				_, err := service.Store.Article(t.Context(), quote.ArticleID(key))
				if got := err == nil; got != want {
					t.Errorf("after the attempt, %s stored = %v (err %v), want %v", key, got, err, want)
				}
			}
		})
	}
}
