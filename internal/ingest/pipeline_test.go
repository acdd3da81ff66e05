package ingest

import (
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
	"github.com/newsroom-tools/quotes/internal/topic"
)

func newPipeline(t *testing.T) (*Pipeline, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	return NewPipeline(openStore(t), slog.New(slog.NewJSONHandler(logs, nil))), logs
}

var uploadedAt = time.Date(2015, 11, 6, 9, 0, 0, 0, time.UTC)

func TestIngestDatesQuotesByPublication(t *testing.T) {
	p, _ := newPipeline(t)
	body := `{"title":"Talks","published":"2015-11-05","text":"“We will not stop,” Kerry said in Geneva."}`
	a, err := p.Ingest(t.Context(), "feed/talks.json", "01", []byte(body), uploadedAt)
	if err != nil {
		t.Fatalf("Ingest: %v", err)
	}
	published := time.Date(2015, 11, 5, 0, 0, 0, 0, time.UTC)
	if !a.Published.Equal(published) || !a.UploadedAt.Equal(uploadedAt) {
		t.Errorf("article published %v, uploaded %v; want %v, %v", a.Published, a.UploadedAt, published, uploadedAt)
	}
	quotes, err := p.Store.ArticleQuotes(t.Context(), a.ID)
	if err != nil || len(quotes) != 1 {
		t.Fatalf("ArticleQuotes = %d quotes, %v; want 1", len(quotes), err)
	}
	if !quotes[0].Date.Equal(published) {
		t.Errorf("quote date = %v, want the publication date %v", quotes[0].Date, published)
	}
	if !slices.Contains(quotes[0].Topics, "Geneva") {
		t.Errorf("quote topics = %q, want Geneva among them", quotes[0].Topics)
	}
}

func TestIngestRecordsUndecodableUpload(t *testing.T) {
	p, _ := newPipeline(t)
	a, err := p.Ingest(t.Context(), "empty.txt", "01", nil, uploadedAt)
	if err != nil {
		t.Fatalf("Ingest of an empty object returned %v; a bad upload is recorded, not retried", err)
	}
	stored, err := p.Store.Article(t.Context(), a.ID)
	if err != nil {
		t.Fatalf("Article: %v", err)
	}
	if stored.Status != quote.StatusFailed || stored.Reason != "empty object" || stored.Key != "empty.txt" || stored.Version != "01" {
		t.Errorf("stored article = %+v, want failed with reason %q", stored, "empty object")
	}
}

func TestIngestSurvivesExtractorPanic(t *testing.T) {
	p, logs := newPipeline(t)
	p.Extract = func(string) []quote.Quote { panic("index out of range") }
	a, err := p.Ingest(t.Context(), "poison.txt", "01", []byte("“Boom,” he said."), uploadedAt)
	if err != nil {
		t.Fatalf("Ingest: %v", err)
	}
	if a.Status != quote.StatusFailed || !strings.Contains(a.Reason, "quote extraction failed") {
		t.Errorf("article = status %s, reason %q; want failed extraction", a.Status, a.Reason)
	}
	if !strings.Contains(logs.String(), "index out of range") {
		t.Errorf("logs lack the panic:\n%s", logs)
	}
}

func TestIngestStaleVersionSkipped(t *testing.T) {
	p, logs := newPipeline(t)
	if _, err := p.Ingest(t.Context(), "a.txt", "0B", []byte("“New,” she said."), uploadedAt); err != nil {
		t.Fatalf("Ingest: %v", err)
	}
	if _, err := p.Ingest(t.Context(), "a.txt", "0A", []byte("“Old,” she said."), uploadedAt); err != nil {
		t.Fatalf("Ingest of a stale version returned %v, want nil", err)
	}
	quotes, err := p.Store.ArticleQuotes(t.Context(), quote.ArticleID("a.txt"))
	if err != nil || len(quotes) != 1 || quotes[0].Text != "New," {
		t.Errorf("quotes = %+v, %v; want the newer upload's", quotes, err)
	}
	if !strings.Contains(logs.String(), "skipped stale event") {
		t.Errorf("logs do not say the stale event was skipped:\n%s", logs)
	}
}

func TestIngestUsesConfiguredTopics(t *testing.T) {
	p, _ := newPipeline(t)
	tagger, err := topic.Load(strings.NewReader("Zelenskyy: Zelensky\n"))
	if err != nil {
		t.Fatalf("topic.Load: %v", err)
	}
	p.Topics = tagger
	a, err := p.Ingest(t.Context(), "z.txt", "01", []byte("“We hold,” Zelensky said."), uploadedAt)
	if err != nil {
		t.Fatalf("Ingest: %v", err)
	}
	quotes, err := p.Store.ArticleQuotes(t.Context(), a.ID)
	if err != nil || len(quotes) != 1 {
		t.Fatalf("ArticleQuotes = %d, %v; want 1 quote", len(quotes), err)
	}
	if !slices.Equal(quotes[0].Topics, []string{"Zelenskyy"}) {
		t.Errorf("topics = %q, want the user file's canonical name", quotes[0].Topics)
	}
}

func TestIngestWithoutUploadTimeUsesClock(t *testing.T) {
	p, _ := newPipeline(t)
	p.Now = func() time.Time { return uploadedAt }
	a, err := p.Ingest(t.Context(), "a.txt", "01", []byte("Text."), time.Time{})
	if err != nil {
		t.Fatalf("Ingest: %v", err)
	}
	if !a.UploadedAt.Equal(uploadedAt) {
		t.Errorf("UploadedAt = %v, want the clock's %v", a.UploadedAt, uploadedAt)
	}
}

func TestIngestFlagsConflictingAttributions(t *testing.T) {
	p, _ := newPipeline(t)
	words := "Russia must stop the bombing of civilians in Aleppo now"
	first, err := p.Ingest(t.Context(), "a.txt", "01", []byte("Geneva talks\n\n“"+words+",” Secretary of State John Kerry said on Monday.\n"), uploadedAt)
	if err != nil {
		t.Fatal(err)
	}
	second, err := p.Ingest(t.Context(), "b.txt", "01", []byte("Moscow talks\n\n“"+words+",” Foreign Minister Sergei Lavrov said on Tuesday.\n"), uploadedAt)
	if err != nil {
		t.Fatal(err)
	}
	quotes, err := p.Store.ArticleQuotes(t.Context(), second.ID)
	if err != nil || len(quotes) != 1 || quotes[0].Speaker.Name != "Sergei Lavrov" {
		t.Fatalf("second article's quotes = %+v, %v; want Lavrov's one", quotes, err)
	}
	conflicts, err := p.Store.QuoteConflicts(t.Context(), quotes[0].ID)
	if err != nil || len(conflicts) != 1 {
		t.Fatalf("QuoteConflicts = %+v, %v; want the pair with Kerry's quote", conflicts, err)
	}
	other := conflicts[0].QuoteIDs[0]
	if other == quotes[0].ID {
		other = conflicts[0].QuoteIDs[1]
	}
	kerrys, err := p.Store.Quote(t.Context(), other)
	if err != nil || kerrys.Speaker.Name != "John Kerry" || kerrys.Article.ID != first.ID {
		t.Errorf("conflicting quote = %+v, %v; want John Kerry's in the first article", kerrys, err)
	}

	// The same words by the same speaker elsewhere are no conflict.
	third, err := p.Ingest(t.Context(), "c.txt", "01", []byte("Later\n\n“"+words+",” Kerry said again.\n"), uploadedAt)
	if err != nil {
		t.Fatal(err)
	}
	again, err := p.Store.ArticleQuotes(t.Context(), third.ID)
	if err != nil || len(again) != 1 {
		t.Fatalf("third article's quotes = %+v, %v", again, err)
	}
	for _, c := range mustConflicts(t, p, again[0].ID) {
		if c.QuoteIDs[0] == kerrys.ID || c.QuoteIDs[1] == kerrys.ID {
			t.Errorf("Kerry repeating himself was flagged as a conflict: %+v", c)
		}
	}
}

func mustConflicts(t *testing.T, p *Pipeline, quoteID string) []store.Conflict {
	t.Helper()
	cs, err := p.Store.QuoteConflicts(t.Context(), quoteID)
	if err != nil {
		t.Fatalf("QuoteConflicts(%s): %v", quoteID, err)
	}
	return cs
}

func TestIngestResolvesSurnamesAcrossArticles(t *testing.T) {
	p, _ := newPipeline(t)
	if _, err := p.Ingest(t.Context(), "full.txt", "01", []byte("Talks\n\n“We will press on,” Secretary of State John Kerry said.\n"), uploadedAt); err != nil {
		t.Fatal(err)
	}
	for key, body := range map[string]string{
		"bill.txt":    "Bill\n\n“It was a good deal,” former President Bill Clinton said.\n",
		"hillary.txt": "Hillary\n\n“It is a bad deal,” Hillary Clinton said.\n",
	} {
		if _, err := p.Ingest(t.Context(), key, "01", []byte(body), uploadedAt); err != nil {
			t.Fatal(err)
		}
	}
	a, err := p.Ingest(t.Context(), "surname.txt", "01", []byte("More talks\n\n“The talks were useful,” Kerry said on Tuesday.\n\n“Nobody knows,” Smith said.\n\n“We shall see,” Clinton said.\n"), uploadedAt)
	if err != nil {
		t.Fatal(err)
	}
	quotes, err := p.Store.ArticleQuotes(t.Context(), a.ID)
	if err != nil || len(quotes) != 3 {
		t.Fatalf("ArticleQuotes = %d, %v; want 3", len(quotes), err)
	}
	tests := []struct{ name, id, mention string }{
		{"John Kerry", "john-kerry", "Kerry"}, // known by his full name from another article
		{"Smith", "smith", "Smith"},           // nobody of that surname is known
		{"Clinton", "clinton", "Clinton"},     // two are: which one is not for us to guess
	}
	for i, tt := range tests {
		sp := quotes[i].Speaker
		if sp.Name != tt.name || sp.ID != tt.id || sp.Mention != tt.mention {
			t.Errorf("quote %d speaker = %q (id %q, mention %q), want %q (id %q, mention %q)", i, sp.Name, sp.ID, sp.Mention, tt.name, tt.id, tt.mention)
		}
	}
}

func TestIngestSurnameKeepsToTheSpeakersGender(t *testing.T) {
	p, _ := newPipeline(t)
	if _, err := p.Ingest(t.Context(), "michelle.txt", "01", []byte("Gala\n\n“We go high,” Michelle Obama said.\n"), uploadedAt); err != nil {
		t.Fatal(err)
	}
	a, err := p.Ingest(t.Context(), "mr.txt", "01", []byte("Speech\n\n“Our progress is on the ballot,” Mr. Obama said.\n\n“Tolerance is on the ballot,” Ms. Obama said.\n"), uploadedAt)
	if err != nil {
		t.Fatal(err)
	}
	quotes, err := p.Store.ArticleQuotes(t.Context(), a.ID)
	if err != nil || len(quotes) != 2 {
		t.Fatalf("ArticleQuotes = %d, %v; want 2", len(quotes), err)
	}
	for i, want := range []string{"obama", "michelle-obama"} {
		if got := quotes[i].Speaker.ID; got != want {
			t.Errorf("quote %d (mention %q): speaker id %q, want %q", i, quotes[i].Speaker.Mention, got, want)
		}
	}
}

// TestIngestDateSources dates an article from, in order: the object's
// metadata, the document's, a date line in its text, the upload.
func TestIngestDateSources(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	const said = "“We will not stop,” Kerry said in Geneva."
	tests := []struct {
		name       string
		key, body  string
		metadata   string
		want       time.Time
		wantSource quote.DateSource
	}{
		{"object metadata wins over all", "a.json", `{"published":"2015-11-05","text":"Updated: Jul 15, 2016\n\n` + said + `"}`, "2014-02-03", day(2014, time.February, 3), quote.DatePublished},
		{"object metadata in RFC 3339", "a.txt", said, "2014-02-03T10:00:00+02:00", time.Date(2014, 2, 3, 8, 0, 0, 0, time.UTC), quote.DatePublished},
		{"document metadata over the text", "a.json", `{"published":"2015-11-05","text":"Updated: Jul 15, 2016\n\n` + said + `"}`, "", day(2015, time.November, 5), quote.DatePublished},
		{"HTML metadata", "a.html", `<html><head><meta property="article:published_time" content="2015-11-04T10:00:00Z"></head><body><p>` + said + `</p></body></html>`, "", time.Date(2015, 11, 4, 10, 0, 0, 0, time.UTC), quote.DatePublished},
		{"date line in the text", "a.txt", "Talks\n\nMoscow, Russia Updated: Jul 15, 2016, 07:45 AM(IST)\n\n" + said, "", day(2016, time.July, 15), quote.DatePublished},
		{"wire dateline", "a.txt", "MOSCOW, March 23 (Reuters) – " + said + " He came on March 20, 2016.", "", day(2016, time.March, 23), quote.DatePublished},
		{"nothing: the upload", "a.txt", said, "", uploadedAt, quote.DateUploaded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := newPipeline(t)
			a, err := p.IngestObject(t.Context(), tt.key, "01", Object{Body: []byte(tt.body), Published: tt.metadata}, uploadedAt)
			if err != nil || a.Status != quote.StatusExtracted {
				t.Fatalf("IngestObject = %+v, %v; want extracted", a, err)
			}
			if !a.Date().Equal(tt.want) || a.DateSource != tt.wantSource {
				t.Errorf("article date %v (%s), want %v (%s)", a.Date(), a.DateSource, tt.want, tt.wantSource)
			}
			quotes, err := p.Store.ArticleQuotes(t.Context(), a.ID)
			if err != nil || len(quotes) == 0 {
				t.Fatalf("ArticleQuotes = %d, %v", len(quotes), err)
			}
			for _, q := range quotes {
				if !q.Date.Equal(tt.want) || q.DateSource != tt.wantSource {
					t.Errorf("quote date %v (%s), want %v (%s)", q.Date, q.DateSource, tt.want, tt.wantSource)
				}
			}
			stored, err := p.Store.Article(t.Context(), a.ID)
			if err != nil || stored.DateSource != tt.wantSource {
				t.Errorf("stored article date source %q (%v), want %q", stored.DateSource, err, tt.wantSource)
			}
		})
	}
}

func TestIngestEveryUploadRecorded(t *testing.T) {
	repeated := func(n int, kind quote.SpeakerKind) func(string) []quote.Quote {
		return func(text string) []quote.Quote {
			var qs []quote.Quote
			for i := range n {
				qs = append(qs, quote.Quote{Text: "Yes", Start: i, End: i + 3,
					Speaker: quote.Speaker{Name: "Ann Lee", Kind: kind}})
			}
			return qs
		}
	}
	tests := []struct {
		name       string
		extract    func(string) []quote.Quote
		version    string
		wantStatus quote.Status
		wantReason string // a part of it
		wantLog    string // a part of the logs
		wantStored bool
	}{
		{name: "same words eleven times", extract: repeated(11, quote.Person), version: "01",
			wantStatus: quote.StatusExtracted, wantStored: true},
		{name: "extraction the store refuses", extract: repeated(2, "robot"), version: "01",
			wantStatus: quote.StatusFailed, wantReason: "could not be stored: quote", wantLog: "store refused the extraction", wantStored: true},
		{name: "version no store accepts", extract: repeated(1, quote.Person), version: "not-hex",
			wantStatus: quote.StatusFailed, wantLog: "upload could not be recorded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, logs := newPipeline(t)
			p.Extract = tt.extract
			a, err := p.Ingest(t.Context(), "repeat.txt", tt.version, []byte("“Yes,” she said."), uploadedAt)
			if err != nil {
				t.Fatalf("Ingest returned %v; an upload the store refuses is recorded or logged, never retried", err)
			}
			if a.Status != tt.wantStatus || !strings.Contains(a.Reason, tt.wantReason) {
				t.Errorf("article = status %s, reason %q; want %s with reason containing %q", a.Status, a.Reason, tt.wantStatus, tt.wantReason)
			}
			if !strings.Contains(logs.String(), tt.wantLog) {
				t.Errorf("logs lack %q:\n%s", tt.wantLog, logs)
			}
			stored, err := p.Store.Article(t.Context(), a.ID)
			if !tt.wantStored {
				if quote.ErrorCode(err) != quote.ENotFound {
					t.Errorf("Article = %+v, %v; want not found", stored, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Article: %v", err)
			}
			if stored.Status != tt.wantStatus || stored.Reason != a.Reason || stored.QuoteCount != a.QuoteCount {
				t.Errorf("stored = status %s, reason %q, %d quotes; want %s, %q, %d", stored.Status, stored.Reason, stored.QuoteCount, tt.wantStatus, a.Reason, a.QuoteCount)
			}
			quotes, err := p.Store.ArticleQuotes(t.Context(), a.ID)
			if err != nil || len(quotes) != a.QuoteCount {
				t.Errorf("ArticleQuotes = %d quotes, %v; want %d", len(quotes), err, a.QuoteCount)
			}
		})
	}
}

func TestIngestRefusesBadMetadataDate(t *testing.T) {
	p, _ := newPipeline(t)
	a, err := p.IngestObject(t.Context(), "a.txt", "01", Object{Body: []byte("“Hi,” she said."), Published: "last Tuesday"}, uploadedAt)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != quote.StatusFailed || !strings.Contains(a.Reason, "x-amz-meta-published") {
		t.Errorf("article = %+v, want failed naming x-amz-meta-published", a)
	}
}

func TestIngestCapsQuotesPerArticle(t *testing.T) {
	p, _ := newPipeline(t)
	p.MaxQuotes = 3
	p.Extract = func(string) []quote.Quote {
		var qs []quote.Quote
		for i := range 5 {
			qs = append(qs, quote.Quote{Text: "Quote " + string(rune('A'+i)), Start: 10 * i, End: 10*i + 7,
				Speaker: quote.Speaker{Name: "Ann Lee", Kind: quote.Person}})
		}
		return qs
	}
	a, err := p.Ingest(t.Context(), "dump.txt", "01", []byte("“Quote,” she said."), uploadedAt)
	if err != nil {
		t.Fatalf("Ingest: %v", err)
	}
	stored, err := p.Store.Article(t.Context(), a.ID)
	if err != nil {
		t.Fatalf("Article: %v", err)
	}
	want := "the article holds 5 quotes; only the first 3 are stored"
	if stored.Status != quote.StatusExtracted || stored.QuoteCount != 3 || stored.Truncated != 2 || stored.Reason != want {
		t.Errorf("stored = status %s, %d quotes, %d truncated, reason %q; want extracted, 3, 2, %q",
			stored.Status, stored.QuoteCount, stored.Truncated, stored.Reason, want)
	}
	quotes, err := p.Store.ArticleQuotes(t.Context(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, q := range quotes {
		got = append(got, q.Text)
	}
	if !slices.Equal(got, []string{"Quote A", "Quote B", "Quote C"}) {
		t.Errorf("stored quotes = %q, want the first three", got)
	}
}
