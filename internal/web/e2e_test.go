package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/newsroom-tools/quotes/internal/httpapi"
	"github.com/newsroom-tools/quotes/internal/localserver"
	"github.com/newsroom-tools/quotes/internal/store/bolt"
	"github.com/newsroom-tools/quotes/internal/web"
)

// The end-to-end tests drive the page in headless Chromium against the
// whole local service (API, ingest and bucket) built in-process, with the
// seed articles uploaded. Screenshots of each scenario go to
// $SCREENSHOT_DIR (default testdata/screenshots), to be looked at.

// scenarioTimeout only keeps a hung browser from stalling the suite.
const scenarioTimeout = 45 * time.Second

func TestPageEndToEnd(t *testing.T) {
	chromium := chromiumPath(t)
	base := startService(t)
	b := newBrowser(t, chromium)

	t.Run("search by speaker", func(t *testing.T) {
		want := apiQuotes(t, base, url.Values{"speaker": {"Kerry"}})
		if len(want) < 2 {
			t.Fatalf("the seeds have %d quotes by Kerry; the scenario needs at least 2", len(want))
		}
		ctx := b.scenario(t)
		do(t, ctx,
			b.load(base+"/"),
			chromedp.WaitVisible(chromedp.ID("search-input")),
			chromedp.SendKeys(chromedp.ID("search-input"), "Kerry"),
		)
		// Suggestions come from GET /speakers as the user types.
		suggestion := run(t, ctx, chromedp.Poll[string](
			`document.querySelector('#search-suggestions option')?.value`, chromedp.WithPollingTimeout(10*time.Second)))
		if suggestion != "John Kerry" {
			t.Errorf("first speaker suggestion for %q = %q, want %q", "Kerry", suggestion, "John Kerry")
		}
		do(t, ctx, chromedp.Click(chromedp.CSS(`#search-form button[type="submit"]`)))
		speakers := run(t, ctx, chromedp.Poll[[]string](
			`(() => { const xs = [...document.querySelectorAll('#results .speaker-name')]; return xs.length ? xs.map((x) => x.textContent) : null; })()`))
		if len(speakers) != len(want) {
			t.Errorf("the page lists %d quotes, want the API's %d", len(speakers), len(want))
		}
		for i, name := range speakers {
			if name != "John Kerry" {
				t.Errorf("result %d is by %q, want John Kerry", i, name)
			}
		}
		texts := run(t, ctx, chromedp.Evaluate[[]string](
			`[...document.querySelectorAll('#results .quote-link')].map((a) => a.textContent)`))
		for i, q := range want {
			if i < len(texts) && texts[i] != "“"+q.Text+"”" {
				t.Errorf("result %d shows %q, want %q", i, texts[i], "“"+q.Text+"”")
			}
		}
		// The seeds carry no publication date but one's date line: the
		// others' dates are labelled as upload dates.
		uploaded := run(t, ctx, chromedp.Evaluate[[]string](
			`[...document.querySelectorAll('#results .meta .uploaded')].map((x) => x.textContent)`))
		if len(uploaded) == 0 || len(uploaded) == len(speakers) || !strings.HasPrefix(uploaded[0], "uploaded ") {
			t.Errorf("upload-dated results say %q, want some, not all, labelled \"uploaded …\"", uploaded)
		}
		interpretation := run(t, ctx, chromedp.Text(chromedp.ID("search-interpretation")))
		if !strings.Contains(interpretation, "Quotes by John Kerry") {
			t.Errorf("interpretation = %q, want it to say the search is for quotes by John Kerry", interpretation)
		}
		b.screenshot(t, ctx, "search-kerry")
	})

	t.Run("open a quote in its article", func(t *testing.T) {
		want := apiQuotes(t, base, url.Values{"speaker": {"Kerry"}})[0]
		ctx := b.scenario(t)
		do(t, ctx,
			b.load(base+"/#search?mode=speaker&query=Kerry"),
			chromedp.WaitVisible(chromedp.CSS("#results .quote-link")),
		)
		// By keyboard: Tab reaches the first quote, a link, and Enter opens it.
		for tabs := 0; !run(t, ctx, chromedp.Evaluate[bool](`document.activeElement.matches('#results .quote-link')`)); tabs++ {
			if tabs == 30 {
				t.Fatal("30 presses of Tab did not reach the first quote")
			}
			do(t, ctx, chromedp.KeyEvent("\t"))
		}
		outline := run(t, ctx, chromedp.Evaluate[string](`getComputedStyle(document.activeElement).outlineStyle`))
		if outline != "solid" {
			t.Errorf("the focused quote's outline style = %q, want a visible (solid) focus ring", outline)
		}
		b.screenshot(t, ctx, "keyboard-focus")
		do(t, ctx,
			chromedp.KeyEvent("\r"),
			chromedp.WaitVisible(chromedp.ID("the-quote")),
		)
		marked := run(t, ctx, chromedp.Evaluate[string](`document.querySelector('.article-text mark.quote')?.textContent ?? ''`))
		if marked != want.Text {
			t.Errorf("highlighted quote = %q, want %q", marked, want.Text)
		}
		if ev := want.Evidence; ev.Cue != nil {
			cue := run(t, ctx, chromedp.Evaluate[string](`document.querySelector('.article-text mark.cue')?.textContent ?? ''`))
			if cue != ev.Cue.Text {
				t.Errorf("marked cue = %q, want %q", cue, ev.Cue.Text)
			}
		}
		if ev := want.Evidence; ev.Mention != nil {
			mention := run(t, ctx, chromedp.Evaluate[string](`document.querySelector('.article-text mark.mention:not(.antecedent)')?.textContent ?? ''`))
			if mention != ev.Mention.Text {
				t.Errorf("marked speaker mention = %q, want %q", mention, ev.Mention.Text)
			}
		}
		if ev := want.Evidence; ev.Antecedent != nil {
			named := run(t, ctx, chromedp.Evaluate[string](`document.querySelector('.article-text mark.antecedent')?.textContent ?? ''`))
			if named != ev.Antecedent.Text {
				t.Errorf("marked antecedent = %q, want %q", named, ev.Antecedent.Text)
			}
		}
		evidence := run(t, ctx, chromedp.Text(chromedp.CSS(".attribution .evidence")))
		for _, part := range []string{want.Evidence.Rule, fmt.Sprintf("%.0f%%", want.Evidence.Confidence*100)} {
			if !strings.Contains(evidence, part) {
				t.Errorf("evidence panel %q does not show %q", evidence, part)
			}
		}
		b.screenshot(t, ctx, "quote-in-article-view")
	})

	t.Run("verify changed wording", func(t *testing.T) {
		const said = "The criminal and illegal annexation of Crimea and the warfare in eastern Ukraine has led to a serious setback for this cooperation"
		claim := strings.Replace(said, "serious", "major", 1)
		ctx := b.scenario(t)
		do(t, ctx,
			b.load(base+"/#verify"),
			chromedp.WaitVisible(chromedp.ID("verify-quote")),
			chromedp.SendKeys(chromedp.ID("verify-quote"), claim),
			chromedp.SendKeys(chromedp.ID("verify-speaker"), "Angela Merkel"),
			chromedp.Click(chromedp.CSS(`#verify-form button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS("#verify-result .verdict")),
		)
		class := run(t, ctx, chromedp.Evaluate[string](`document.querySelector('#verify-result .verdict').className`))
		if !strings.Contains(class, "verdict-wording_differs") {
			t.Errorf("verdict class = %q, want verdict-wording_differs", class)
		}
		claimed := run(t, ctx, chromedp.Evaluate[[]string](
			`[...document.querySelectorAll('.match:first-of-type .claimed mark.diff')].map((m) => m.textContent)`))
		actual := run(t, ctx, chromedp.Evaluate[[]string](
			`[...document.querySelectorAll('.match:first-of-type .actual mark.diff')].map((m) => m.textContent)`))
		if len(claimed) != 1 || claimed[0] != "major" {
			t.Errorf("highlighted claimed words = %q, want [major]", claimed)
		}
		if len(actual) != 1 || actual[0] != "serious" {
			t.Errorf("highlighted words in the article = %q, want [serious]", actual)
		}
		speaker := run(t, ctx, chromedp.Text(chromedp.CSS(".match .actual .speaker-name")))
		if speaker != "Angela Merkel" {
			t.Errorf("matched quote's speaker = %q, want Angela Merkel", speaker)
		}
		b.screenshot(t, ctx, "verify-wording-differs")
	})

	t.Run("more results", func(t *testing.T) {
		want := apiQuotes(t, base, url.Values{"topic": {"Russia"}})
		if len(want) <= 10 {
			t.Fatalf("the seeds have %d quotes on Russia; the scenario needs more than 10", len(want))
		}
		ctx := b.scenario(t)
		do(t, ctx,
			b.load(base+"/#search?mode=topic&query=Russia&limit=5"),
			chromedp.WaitVisible(chromedp.ID("more")),
			chromedp.Click(chromedp.ID("more")),
		)
		ids := run(t, ctx, chromedp.Poll[[]string](
			`(() => { const xs = [...document.querySelectorAll('#results [data-quote-id]')]; return xs.length === 10 ? xs.map((x) => x.dataset.quoteId) : null; })()`))
		for i, id := range ids {
			if id != want[i].ID {
				t.Errorf("result %d after More is %s, want %s (the API's order)", i, id, want[i].ID)
			}
		}
		// The keyboard user lands on the first new quote.
		focused := run(t, ctx, chromedp.Evaluate[string](`document.activeElement.closest('[data-quote-id]')?.dataset.quoteId ?? ''`))
		if focused != want[5].ID {
			t.Errorf("focus after More is on quote %q, want the first new one %q", focused, want[5].ID)
		}
	})

	t.Run("verify another speaker's words", func(t *testing.T) {
		ctx := b.scenario(t)
		do(t, ctx,
			b.load(base+"/#verify"),
			chromedp.WaitVisible(chromedp.ID("verify-quote")),
			chromedp.SendKeys(chromedp.ID("verify-quote"), "has led to a serious setback for this cooperation"),
			chromedp.SendKeys(chromedp.ID("verify-speaker"), "John Kerry"),
			chromedp.Click(chromedp.CSS(`#verify-form button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS("#verify-result .verdict")),
		)
		verdict := run(t, ctx, chromedp.Evaluate[map[string]string](`(() => {
			const v = document.querySelector('#verify-result .verdict');
			return { class: v.className, text: v.textContent };
		})()`))
		if !strings.Contains(verdict["class"], "verdict-different_speaker") || !strings.Contains(verdict["text"], "attributed to Angela Merkel") {
			t.Errorf("verdict %q (%s), want different_speaker naming Angela Merkel", verdict["text"], verdict["class"])
		}
		b.screenshot(t, ctx, "verify-different-speaker")

		// The same verdict as ClaimReview JSON-LD, offered for copying.
		do(t, ctx, chromedp.Click(chromedp.CSS("#verify-result .claimreview-box summary")))
		review := run(t, ctx, chromedp.Poll[string](
			`(() => { const t = document.querySelector('#verify-result .claimreview code')?.textContent ?? ''; return t.startsWith('{') ? t : null; })()`,
			chromedp.WithPollingTimeout(10*time.Second)))
		for _, want := range []string{`"@type": "ClaimReview"`, `"alternateName": "Misattributed: said by Angela Merkel, not John Kerry"`} {
			if !strings.Contains(review, want) {
				t.Errorf("ClaimReview shown = %s, want it to contain %s", review, want)
			}
		}
		if disabled := run(t, ctx, chromedp.Evaluate[bool](`document.querySelector('#verify-result .claimreview-box button').disabled`)); disabled {
			t.Error("the ClaimReview's Copy button is disabled once it is loaded")
		}
	})

	t.Run("anonymous source", func(t *testing.T) {
		ctx := b.scenario(t)
		do(t, ctx,
			b.load(base+"/"),
			chromedp.WaitVisible(chromedp.ID("search-input")),
			chromedp.SendKeys(chromedp.ID("search-input"), "press upon the Russians\r"),
		)
		card := run(t, ctx, chromedp.Poll[map[string]string](`(() => {
			const card = document.querySelector('#results .quote-card');
			return card && {
				speaker: card.querySelector('.speaker-name').textContent,
				badge: card.querySelector('.badge-anonymous')?.textContent ?? '',
			};
		})()`))
		if card["speaker"] != "a U.S. official" || card["badge"] != "anonymous source" {
			t.Errorf("first result: speaker %q with badge %q, want %q marked %q",
				card["speaker"], card["badge"], "a U.S. official", "anonymous source")
		}
		b.screenshot(t, ctx, "anonymous-source")
		do(t, ctx,
			chromedp.Click(chromedp.CSS("#results .quote-link")),
			chromedp.WaitVisible(chromedp.ID("the-quote")),
		)
		badge := run(t, ctx, chromedp.Evaluate[string](`document.querySelector('.attribution .badge-anonymous')?.textContent ?? ''`))
		if badge != "anonymous source" {
			t.Errorf("attribution panel badge = %q, want %q", badge, "anonymous source")
		}
		b.screenshot(t, ctx, "anonymous-source-in-article-view")
	})

	t.Run("upload articles", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "harbour.txt")
		article := "Harbour plan approved\n\n“The harbour will be rebuilt by spring,” Mayor Ada Lindqvist said on Monday.\n"
		if err := os.WriteFile(file, []byte(article), 0o600); err != nil {
			t.Fatal(err)
		}
		ctx := b.scenario(t)
		do(t, ctx,
			b.load(base+"/#upload"),
			chromedp.WaitReady(chromedp.ID("upload-input")),
			chromedp.SetUploadFiles(chromedp.ID("upload-input"), []string{file}),
		)
		status := run(t, ctx, chromedp.Poll[string](
			`document.querySelector('#uploads .upload.done, #uploads .upload.failed')?.textContent`))
		if !strings.Contains(status, "harbour.txt") || !strings.Contains(status, "extracted · 1 quote") {
			t.Errorf("chosen file's upload status = %q, want harbour.txt extracted with 1 quote", status)
		}
		// A drop on the zone, as a file dragged from the desktop arrives.
		do(t, ctx, chromedp.Evaluate[chromedp.Void](`(() => {
			const files = new DataTransfer();
			files.items.add(new File(['Bridge reopens\n\n“The bridge is safe again,” engineer Tomas Berg said.\n'], 'bridge.txt', { type: 'text/plain' }));
			document.getElementById('drop-zone').dispatchEvent(new DragEvent('drop', { dataTransfer: files, bubbles: true, cancelable: true }));
		})()`))
		status = run(t, ctx, chromedp.Poll[string](`(() => {
			const row = document.querySelector('#uploads .upload');
			return row.textContent.includes('bridge.txt') && !row.classList.contains('pending') && row.textContent;
		})()`))
		if !strings.Contains(status, "extracted · 1 quote") {
			t.Errorf("dropped file's upload status = %q, want bridge.txt extracted with 1 quote", status)
		}
		b.screenshot(t, ctx, "upload")
		for _, words := range []string{"harbour rebuilt spring", "bridge safe again"} {
			if got := apiQuotes(t, base, url.Values{"q": {words}}); len(got) != 1 {
				t.Errorf("after the uploads the API finds %d quotes with %q, want 1", len(got), words)
			}
		}
		// The new article can be read at once, its quote marked.
		do(t, ctx,
			chromedp.Click(chromedp.CSS("#uploads .upload a")),
			chromedp.WaitVisible(chromedp.CSS("#article-detail .other-quote")),
		)
		quoted := run(t, ctx, chromedp.Text(chromedp.CSS("#article-detail .other-quote")))
		if quoted != "The bridge is safe again," {
			t.Errorf("the uploaded article's marked quote = %q, want %q", quoted, "The bridge is safe again,")
		}
		b.screenshot(t, ctx, "uploaded-article")
	})

	t.Run("uploads only locally", func(t *testing.T) {
		// The deployed API serves the page too, but has no bucket to PUT to.
		db, err := bolt.Open(filepath.Join(t.TempDir(), "quotes.db"), bolt.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		deployed := httptest.NewServer(httpapi.New(db, httpapi.Options{Logger: slog.New(slog.DiscardHandler), Web: web.Handler()}))
		t.Cleanup(deployed.Close)
		file := filepath.Join(t.TempDir(), "article.txt")
		if err := os.WriteFile(file, []byte("Title\n\n“Words,” she said.\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		ctx := b.scenario(t)
		do(t, ctx,
			b.load(deployed.URL+"/#upload"),
			chromedp.WaitReady(chromedp.ID("upload-input")),
			chromedp.SetUploadFiles(chromedp.ID("upload-input"), []string{file}),
		)
		status := run(t, ctx, chromedp.Poll[string](`document.querySelector('#uploads .upload.failed')?.textContent`))
		if !strings.Contains(status, "only available when the service runs locally") {
			t.Errorf("upload status on the deployed API = %q, want it to say uploads are only available locally", status)
		}
		b.screenshot(t, ctx, "upload-deployed")
	})

	t.Run("conflicting attribution", func(t *testing.T) {
		merkel := apiQuotes(t, base, url.Values{"speaker": {"Angela Merkel"}, "q": {"criminal illegal annexation"}})
		if len(merkel) != 1 {
			t.Fatalf("the seeds have %d quotes by Merkel on the annexation, want 1", len(merkel))
		}
		// Another article gives her words to someone else.
		upload(t, base, "misattributed.txt", "Crimea remarks\n\nA blog post quoted the remarks. "+
			"“The criminal and illegal annexation of Crimea and the warfare in eastern Ukraine has led to a serious setback for this cooperation,” Donald Tusk said.\n")
		ctx := b.scenario(t)
		do(t, ctx,
			b.load(base+"/#quote/"+url.PathEscape(merkel[0].ID)),
			chromedp.WaitVisible(chromedp.ID("the-quote")),
			chromedp.WaitVisible(chromedp.CSS(".conflicts")),
		)
		others := run(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.conflicts .speaker-name')].map((x) => x.textContent)`))
		if len(others) != 1 || others[0] != "Donald Tusk" {
			t.Errorf("conflicting attributions listed = %q, want [Donald Tusk]", others)
		}
		b.screenshot(t, ctx, "conflicting-attribution-view")
	})

	t.Run("phone", func(t *testing.T) {
		ctx := b.scenario(t)
		t.Cleanup(func() {
			if err := chromedp.Do(ctx, chromedp.ResetViewport()); err != nil {
				t.Errorf("reset the viewport: %v", err)
			}
		})
		do(t, ctx,
			chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
			b.load(base+"/#search?mode=speaker&query=Kerry"),
			chromedp.WaitVisible(chromedp.CSS("#results .quote-link")),
		)
		fitsScreen(t, ctx, "the search page")
		b.screenshot(t, ctx, "phone-search")
		do(t, ctx,
			chromedp.Click(chromedp.CSS("#results .quote-link")),
			chromedp.WaitVisible(chromedp.ID("the-quote")),
		)
		fitsScreen(t, ctx, "the quote page")
		b.screenshot(t, ctx, "phone-quote")
		do(t, ctx,
			b.load(base+"/#verify"),
			chromedp.WaitVisible(chromedp.ID("verify-quote")),
			chromedp.SendKeys(chromedp.ID("verify-quote"), "the warfare in eastern Ukraine has led to a major setback"),
			chromedp.Click(chromedp.CSS(`#verify-form button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS("#verify-result .match")),
		)
		fitsScreen(t, ctx, "the verify page")
		b.screenshot(t, ctx, "phone-verify")
	})

	b.checkNoScriptErrors(t)
}

// chromiumPath finds Debian's chromium (infra/chromium.sh installs it).
// Without it the test fails in CI, where it must run, and skips elsewhere.
func chromiumPath(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err == nil {
		return path
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("chromium is not installed, so the page's end-to-end tests cannot run; install it with infra/chromium.sh (%v)", err)
	}
	t.Skipf("chromium is not installed (install it with infra/chromium.sh): %v", err)
	return ""
}

// startService serves the whole local service on 127.0.0.1 with the seed
// articles uploaded, and returns its base URL.
func startService(t *testing.T) string {
	t.Helper()
	ctx := t.Context()
	srv, err := localserver.Open(ctx, localserver.Config{Data: t.TempDir(), Bucket: "articles"})
	if err != nil {
		t.Fatalf("open the local service: %v", err)
	}
	t.Cleanup(srv.Close)
	servesPage(t, srv.Handler)
	ts := httptest.NewServer(srv.Handler)
	t.Cleanup(ts.Close)

	seeds, err := filepath.Glob(filepath.Join("..", "..", "testdata", "seeds", "*.txt"))
	if err != nil || len(seeds) == 0 {
		t.Fatalf("no seed articles in testdata/seeds (%v)", err)
	}
	for _, seed := range seeds {
		uploadSeed(t, ts.URL, seed)
	}
	return ts.URL
}

// servesPage checks that the local service serves the page itself, as
// `quotes serve` shows it.
func servesPage(t *testing.T, service http.Handler) {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	// The local service answers only to its own (loopback) address.
	req.Host = "127.0.0.1:8080"
	service.ServeHTTP(rec, req)
	if got := rec.Header().Get("Content-Type"); rec.Code != http.StatusOK || !strings.HasPrefix(got, "text/html") {
		t.Fatalf("GET / on the local service: status %d, Content-Type %q; want the page (200, text/html)", rec.Code, got)
	}
}

func uploadSeed(t *testing.T, base, path string) {
	t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	upload(t, base, "seeds/"+filepath.Base(path), string(text))
}

// upload puts an article in the local bucket, as `curl -T` would.
func upload(t *testing.T, base, key, text string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPut, base+"/bucket/"+key, strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("upload %s: %v", key, err)
	}
	defer res.Body.Close()
	var article struct {
		Status, Reason string
		QuoteCount     int `json:"quote_count"`
	}
	if err := json.NewDecoder(res.Body).Decode(&article); err != nil || res.StatusCode != http.StatusOK || article.Status != "extracted" {
		t.Fatalf("upload %s: status %d, article %+v (%v); want 200 and extracted", key, res.StatusCode, article, err)
	}
}

type span struct {
	Text string
}

type apiQuote struct {
	ID       string
	Text     string
	Evidence struct {
		Cue, Mention, Antecedent *span
		Rule                     string
		Confidence               float64
	}
}

// apiQuotes asks the API itself what the page should show.
func apiQuotes(t *testing.T, base string, query url.Values) []apiQuote {
	t.Helper()
	query.Set("limit", "20")
	res, err := http.Get(base + "/quotes?" + query.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var page struct{ Quotes []apiQuote }
	if err := json.NewDecoder(res.Body).Decode(&page); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET /quotes?%s: status %d (%v)", query.Encode(), res.StatusCode, err)
	}
	return page.Quotes
}

// browser is one headless Chromium tab, shared by the scenarios in turn.
type browser struct {
	ctx         context.Context
	screenshots string

	mu           sync.Mutex
	scriptErrors []string
}

func newBrowser(t *testing.T, execPath string) *browser {
	t.Helper()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(execPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	// The first action starts the browser, which lives as long as the
	// context it is given: so this one, not a shorter one.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}

	dir := os.Getenv("SCREENSHOT_DIR")
	if dir == "" {
		dir = filepath.Join("testdata", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b := &browser{ctx: ctx, screenshots: dir}
	b.collectScriptErrors()
	return b
}

// collectScriptErrors records every uncaught exception and console error
// of the page, which checkNoScriptErrors reports.
func (b *browser) collectScriptErrors() {
	exceptions := chromedp.Events(b.ctx, runtime.ExceptionThrown)
	console := chromedp.Events(b.ctx, runtime.ConsoleAPICalled)
	go func() {
		for ev, err := range exceptions {
			if err != nil {
				return
			}
			b.addScriptError(ev.ExceptionDetails.Text + " " + exceptionDescription(ev.ExceptionDetails))
		}
	}()
	go func() {
		for ev, err := range console {
			if err != nil {
				return
			}
			if ev.Type != runtime.ConsoleAPICalledTypeError {
				continue
			}
			var args []string
			for _, arg := range ev.Args {
				args = append(args, string(arg.Value)+arg.Description)
			}
			b.addScriptError("console.error: " + strings.Join(args, " "))
		}
	}()
}

func exceptionDescription(d *runtime.ExceptionDetails) string {
	if d.Exception == nil {
		return ""
	}
	return d.Exception.Description
}

func (b *browser) addScriptError(message string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.scriptErrors = append(b.scriptErrors, message)
}

func (b *browser) checkNoScriptErrors(t *testing.T) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, message := range b.scriptErrors {
		t.Errorf("script error on the page: %s", message)
	}
}

// scenario bounds one scenario's time in the shared tab.
func (b *browser) scenario(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, scenarioTimeout)
	t.Cleanup(cancel)
	return ctx
}

// screenshot saves the whole page, or with a name ending in "-view" what
// the screen shows, as a reader sees a page whose attribution panel
// sticks beside the scrolled article.
func (b *browser) screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	capture := chromedp.FullScreenshot(100)
	if strings.HasSuffix(name, "-view") {
		capture = chromedp.CaptureScreenshot()
	}
	png := run(t, ctx, capture)
	path := filepath.Join(b.screenshots, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Errorf("save screenshot: %v", err)
		return
	}
	t.Logf("screenshot: %s", path)
}

// load opens the page afresh at pageURL: a navigation that only changes
// the fragment would keep the previous scenario's page and form values.
func (b *browser) load(pageURL string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		for _, u := range []string{"about:blank", pageURL} {
			if _, err := chromedp.Navigate(u)(ctx, t); err != nil {
				return chromedp.Void{}, fmt.Errorf("load %s: %w", u, err)
			}
		}
		return chromedp.Void{}, nil
	}
}

// fitsScreen fails when the page is wider than the screen, so that a phone
// would scroll sideways.
func fitsScreen(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	overflow := run(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
	if overflow > 0 {
		t.Errorf("%s is %dpx wider than the screen", what, overflow)
	}
}

func do(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

func run[T any](t *testing.T, ctx context.Context, action chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	return v
}
