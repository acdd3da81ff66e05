package localserver_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/newsroom-tools/quotes/internal/localserver"
	"github.com/newsroom-tools/quotes/internal/quote"
)

// orderRounds is how many times the stress test races two uploads and a
// deletion of one key.
const orderRounds = 500

// TestOneKeyOneOrder races PUT, PUT and DELETE of one key, round after
// round: the bucket, the store and the answers the clients got must agree
// every round, the last operation on the key winning in both.
func TestOneKeyOneOrder(t *testing.T) {
	data := t.TempDir()
	service, err := localserver.Open(t.Context(), localserver.Config{Data: data, Bucket: "articles"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(service.Close)
	srv := httptest.NewServer(service.Handler)
	t.Cleanup(srv.Close)
	const key = "raced/story.txt"
	body := func(round int, who string) string {
		return fmt.Sprintf("Round %d by %s\n\n“We will hold, %s,” John Kerry said in Geneva.\n", round, who, who)
	}
	do := func(method, b string) (int, quote.Article, error) {
		req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+"/bucket/"+key, strings.NewReader(b))
		if err != nil {
			return 0, quote.Article{}, err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, quote.Article{}, err
		}
		defer resp.Body.Close()
		var a quote.Article
		return resp.StatusCode, a, json.NewDecoder(resp.Body).Decode(&a)
	}
	for round := range orderRounds {
		var wg sync.WaitGroup
		problems := make(chan string, 3)
		for _, who := range []string{"first", "second"} {
			wg.Go(func() {
				want := fmt.Sprintf("Round %d by %s", round, who)
				status, a, err := do(http.MethodPut, body(round, who))
				if err != nil || status != http.StatusOK || a.Title != want || a.Status != quote.StatusExtracted {
					problems <- fmt.Sprintf("PUT by %s answered %d %q (%s), %v; want 200 with its own article", who, status, a.Title, a.Status, err)
				}
			})
		}
		wg.Go(func() {
			if status, _, err := do(http.MethodDelete, ""); err != nil || status != http.StatusOK {
				problems <- fmt.Sprintf("DELETE answered %d, %v; want 200", status, err)
			}
		})
		wg.Wait()
		close(problems)
		for p := range problems {
			t.Errorf("round %d: %s", round, p)
		}

		file, err := os.ReadFile(filepath.Join(data, "bucket", filepath.FromSlash(key)))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
		stored, err := service.Store.Article(t.Context(), quote.ArticleID(key))
		switch {
		case file == nil && quote.ErrorCode(err) != quote.ENotFound:
			t.Fatalf("round %d: the bucket has no object, the store has %q (err %v)", round, stored.Title, err)
		case file != nil && err != nil:
			t.Fatalf("round %d: the bucket holds %q, the store has nothing: %v", round, strings.SplitN(string(file), "\n", 2)[0], err)
		case file != nil && !strings.HasPrefix(string(file), stored.Title+"\n"):
			t.Fatalf("round %d: the bucket holds %q, the store %q", round, strings.SplitN(string(file), "\n", 2)[0], stored.Title)
		}
	}
}
