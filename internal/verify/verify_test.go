package verify

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
	"github.com/newsroom-tools/quotes/internal/store/bolt"
)

var (
	kerry = quote.Speaker{Name: "John Kerry", Kind: quote.Person,
		Descriptor: "U.S. Secretary of State", Mention: "Kerry"}
	lavrov      = quote.Speaker{Name: "Sergei Lavrov", Kind: quote.Person, Mention: "Lavrov"}
	stoltenberg = quote.Speaker{Name: "Jens Stoltenberg", Kind: quote.Person,
		Descriptor: "the NATO Secretary General", Mention: "Jens Stoltenberg"}
	nato     = quote.Speaker{Name: "NATO", Kind: quote.Organization, Mention: "NATO"}
	official = quote.Speaker{Name: "a senior US official", Kind: quote.Anonymous,
		Descriptor:  "a senior US official who spoke on condition of anonymity",
		Affiliation: "US", Role: "official", Mention: "A senior US official"}
)

const (
	kerryQuote       = "We are going to press upon the Russians the need to help bring about a political settlement in Syria"
	officialQuote    = "Nobody expects a breakthrough on Ukraine this week, but the channel is open again."
	stoltenbergQuote = "We are seeing a substantial Russian military build-up along our borders, and we will respond to it"
	buildUpExcerpt   = "We are seeing a substantial Russian military build-up along our borders"
)

// said is a quote placed in an article's text.
type said struct {
	speaker quote.Speaker
	text    string
	topics  []string
}

// seed stores an article whose text is body, with the quotes found in it,
// shaped as ingest makes them: ids, article ref, offsets, speaker ids,
// dates and topics. withContext gives each quote a stored Context (as
// ingest does); without it verify has to cut one from the article.
func seed(t testing.TB, s store.Store, key string, date time.Time, body string, withContext bool, quotes ...said) quote.Article {
	t.Helper()
	a := quote.Article{
		ID: quote.ArticleID(key), Key: key, Version: "01", Title: "Title of " + key,
		Outlet: "Wire", Published: date, UploadedAt: date.Add(time.Hour),
		Status: quote.StatusExtracted, QuoteCount: len(quotes), Text: body,
	}
	var qs []quote.Quote
	from := 0
	for i, sd := range quotes {
		start := strings.Index(body[from:], sd.text)
		if start < 0 {
			t.Fatalf("seed %s: quote %q not in the text after byte %d", key, sd.text, from)
		}
		start += from
		from = start + len(sd.text)
		sp := sd.speaker
		sp.ID = quote.SpeakerID(sp)
		q := quote.Quote{
			ID: quote.QuoteID(a.ID, sd.text, 0), Article: a.Ref(), Text: sd.text,
			Start: start, End: start + len(sd.text), Speaker: sp, Topics: sd.topics, Date: a.Date(),
			Evidence: quote.Evidence{Rule: "test", Confidence: 0.9},
		}
		if withContext {
			q.Context = fmt.Sprintf("stored context of quote %d in %s", i, key)
		}
		qs = append(qs, q)
	}
	if err := s.PutArticle(context.Background(), a, qs); err != nil {
		t.Fatalf("PutArticle(%s): %v", key, err)
	}
	return a
}

func openStore(t testing.TB) *bolt.DB {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "quotes.db"), bolt.Options{})
	if err != nil {
		t.Fatalf("bolt.Open: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db
}

// newsStore holds a few articles: Kerry in Sochi (quotes with stored
// context), Stoltenberg in Brussels (without), and a digest that repeats
// part of Stoltenberg's words attributed to NATO.
func newsStore(t testing.TB) (s *bolt.DB, sochi, brussels, digest quote.Article) {
	t.Helper()
	s = openStore(t)
	day := time.Date(2015, 5, 12, 0, 0, 0, 0, time.UTC)
	sochi = seed(t, s, "2015/05/12/kerry-sochi.txt", day,
		"SOCHI, Russia — U.S. Secretary of State John Kerry met Vladimir Putin on Tuesday. “"+kerryQuote+",” Kerry told "+
			"reporters after the four-hour meeting. A senior US official who spoke on condition of anonymity said: “"+
			officialQuote+"” Lavrov called the talks “useful and frank”, and said: “The Russians will not be pressed on Syria.”",
		true,
		said{kerry, kerryQuote, []string{"Syria", "Russia"}},
		said{official, officialQuote, []string{"Ukraine"}},
		said{lavrov, "useful and frank", nil},
		said{lavrov, "The Russians will not be pressed on Syria.", []string{"Syria"}},
	)
	brussels = seed(t, s, "2015/06/24/nato-brussels.txt", day.AddDate(0, 1, 12),
		"BRUSSELS — NATO defence ministers agreed on Wednesday to double the alliance's response force. “"+
			stoltenbergQuote+",” Jens Stoltenberg, the NATO Secretary General, said. He added: “This is a defensive measure.” "+
			"Moscow dismissed the move.",
		false,
		said{stoltenberg, stoltenbergQuote, []string{"NATO", "Russia"}},
		said{stoltenberg, "This is a defensive measure.", []string{"NATO"}},
	)
	digest = seed(t, s, "2015/06/25/digest.txt", day.AddDate(0, 1, 13),
		"In brief: NATO said “"+buildUpExcerpt+"” and pledged to respond.",
		true,
		said{nato, buildUpExcerpt, []string{"NATO"}},
	)
	return s, sochi, brussels, digest
}

func TestVerify(t *testing.T) {
	s, sochi, brussels, digest := newsStore(t)
	v := New(s)
	oneWordChanged := strings.Replace(kerryQuote, "settlement", "solution", 1)

	tests := []struct {
		name        string
		req         Request
		want        Verdict
		wantArticle string // of the best match
		wantSpeaker string // of the best match
		wantSimilar float64
		wantDiff    []DiffOp // ops the best match's diff must contain
	}{
		{"exact quote, full name", Request{Quote: kerryQuote, Speaker: "John Kerry"},
			Confirmed, sochi.ID, "John Kerry", 1, []DiffOp{{DiffEqual, kerryQuote, kerryQuote}}},
		{"exact quote, surname only", Request{Quote: kerryQuote, Speaker: "Kerry"},
			Confirmed, sochi.ID, "John Kerry", 1, nil},
		{"exact quote, speaker id", Request{Quote: kerryQuote, Speaker: "john-kerry"},
			Confirmed, sochi.ID, "John Kerry", 1, nil},
		{"exact quote, no speaker claimed", Request{Quote: kerryQuote},
			Confirmed, sochi.ID, "John Kerry", 1, nil},
		{"punctuation, case and diacritics drift", Request{Quote: "“WE ARE GOING to press upon the Rússians — the need to help bring about a political settlement in Syria!”", Speaker: "KERRY"},
			Confirmed, sochi.ID, "John Kerry", 1, nil},
		{"one word changed", Request{Quote: oneWordChanged, Speaker: "Kerry"},
			WordingDiffers, sochi.ID, "John Kerry", 1 - 1.0/19, []DiffOp{{DiffReplaced, "solution", "settlement"}}},
		{"one word changed, no speaker", Request{Quote: oneWordChanged},
			WordingDiffers, sochi.ID, "John Kerry", 1 - 1.0/19, []DiffOp{{DiffReplaced, "solution", "settlement"}}},
		{"Stoltenberg's words claimed for Putin", Request{Quote: stoltenbergQuote, Speaker: "Vladimir Putin"},
			DifferentSpeaker, brussels.ID, "Jens Stoltenberg", 1, nil},
		{"different speaker outranks changed wording", Request{Quote: strings.Replace(stoltenbergQuote, "respond", "react", 1), Speaker: "Putin"},
			DifferentSpeaker, brussels.ID, "Jens Stoltenberg", 1 - 1.0/17, []DiffOp{{DiffReplaced, "react", "respond"}}},
		{"shorter excerpt", Request{Quote: "press upon the Russians the need to help", Speaker: "Kerry"},
			Confirmed, sochi.ID, "John Kerry", 1, []DiffOp{{DiffEqual, "press upon the Russians the need to help", "press upon the Russians the need to help"}}},
		{"claim adds words to the real quote", Request{Quote: kerryQuote + " by the end of the year", Speaker: "Kerry"},
			WordingDiffers, sochi.ID, "John Kerry", 1, []DiffOp{{DiffDeleted, "by the end of the year", ""}}},
		{"anonymous source by description", Request{Quote: officialQuote, Speaker: "the US official"},
			Confirmed, sochi.ID, "a senior US official", 1, nil},
		{"anonymous source's words claimed for Kerry", Request{Quote: officialQuote, Speaker: "Kerry"},
			DifferentSpeaker, sochi.ID, "a senior US official", 1, nil},
		{"exact wording outranks an excerpt of the claim", Request{Quote: stoltenbergQuote},
			Confirmed, brussels.ID, "Jens Stoltenberg", 1, nil},
		{"the claimed speaker's attribution outranks another's of the same words", Request{Quote: buildUpExcerpt, Speaker: "NATO"},
			Confirmed, digest.ID, "NATO", 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := v.Verify(context.Background(), tt.req)
			if err != nil {
				t.Fatalf("Verify(%+v): %v", tt.req, err)
			}
			if got.Verdict != tt.want {
				t.Errorf("verdict = %q, want %q (matches %s)", got.Verdict, tt.want, describe(got.Matches))
			}
			if len(got.Matches) == 0 {
				t.Fatalf("no matches, want the best from article %s", tt.wantArticle)
			}
			best := got.Matches[0]
			if best.Article.ID != tt.wantArticle || best.Speaker.Name != tt.wantSpeaker {
				t.Errorf("best match from article %s by %q, want article %s by %q", best.Article.ID, best.Speaker.Name, tt.wantArticle, tt.wantSpeaker)
			}
			if diff := best.Similarity - tt.wantSimilar; diff > 1e-9 || diff < -1e-9 {
				t.Errorf("best similarity = %.4f, want %.4f", best.Similarity, tt.wantSimilar)
			}
			for _, op := range tt.wantDiff {
				if !slices.Contains(best.Diff, op) {
					t.Errorf("diff %+v lacks %+v", best.Diff, op)
				}
			}
			if best.Quote.Article != best.Article || best.Quote.Speaker != best.Speaker {
				t.Errorf("match article/speaker %+v %+v disagree with its quote's %+v %+v", best.Article, best.Speaker, best.Quote.Article, best.Quote.Speaker)
			}
			if !slices.IsSortedFunc(got.Matches, func(a, b Match) int { return cmp.Compare(rank(b, tt.req), rank(a, tt.req)) }) {
				t.Errorf("matches not ordered by similarity scaled by claim coverage: %s", describe(got.Matches))
			}
			if len(got.Matches) > MaxMatches {
				t.Errorf("%d matches, want at most %d", len(got.Matches), MaxMatches)
			}
		})
	}
}

func TestVerifyNotFound(t *testing.T) {
	s, _, _, _ := newsStore(t)
	v := New(s)
	for _, claim := range []string{
		"The economy grew faster than anyone predicted this quarter",
		// Shares distinctive words with stored quotes, but not the quote.
		"Syria and Ukraine will dominate the summit agenda in the autumn",
		"To be or not to be",
	} {
		got, err := v.Verify(context.Background(), Request{Quote: claim, Speaker: "Kerry"})
		if err != nil {
			t.Fatalf("Verify(%q): %v", claim, err)
		}
		if got.Verdict != NotFound || got.Matches == nil || len(got.Matches) != 0 {
			t.Errorf("Verify(%q) = %q with matches %s, want not_found with an empty list", claim, got.Verdict, describe(got.Matches))
		}
	}
}

func TestVerifyContext(t *testing.T) {
	s, _, _, _ := newsStore(t)
	v := New(s)
	tests := []struct {
		claim string
		want  string
	}{
		// Stored by ingest: used as is.
		{kerryQuote, "stored context of quote 0 in 2015/05/12/kerry-sochi.txt"},
		// Not stored: cut from the article's text.
		{stoltenbergQuote, "“" + stoltenbergQuote + ",” Jens Stoltenberg, the NATO Secretary General, said."},
		{"This is a defensive measure", "He added: “This is a defensive measure.”"},
	}
	for _, tt := range tests {
		got, err := v.Verify(context.Background(), Request{Quote: tt.claim})
		if err != nil {
			t.Fatalf("Verify(%q): %v", tt.claim, err)
		}
		if len(got.Matches) == 0 || got.Matches[0].Context != tt.want {
			t.Errorf("Verify(%q) best context = %q, want %q", tt.claim, firstContext(got), tt.want)
		}
	}
}

func TestVerifyInvalid(t *testing.T) {
	v := New(openStore(t))
	tests := []struct {
		name string
		req  Request
	}{
		{"empty", Request{}},
		{"blank", Request{Quote: " \n\t "}},
		{"no words", Request{Quote: "“ — … ”"}},
		{"oversized", Request{Quote: strings.Repeat("word ", MaxQuoteChars/5+1)}},
		{"oversized speaker", Request{Quote: kerryQuote, Speaker: strings.Repeat("k", MaxSpeakerChars+1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := v.Verify(context.Background(), tt.req)
			if code := quote.ErrorCode(err); code != quote.EInvalid {
				t.Errorf("Verify = error %v (code %q), want code %q", err, code, quote.EInvalid)
			}
		})
	}
	t.Run("longest accepted quote, one word too long to be real, is not looked up", func(t *testing.T) {
		log := &queryLog{Store: openStore(t)}
		// 2000 characters (4000 bytes): accepted, as the limit counts characters.
		got, err := New(log).Verify(context.Background(), Request{Quote: strings.Repeat("é", MaxQuoteChars)})
		if err != nil || got.Verdict != NotFound || len(log.queries) != 0 || len(log.similar) != 0 {
			t.Errorf("Verify = %q, %v after queries %+v and lookups %x; want not_found without a lookup", got.Verdict, err, log.queries, log.similar)
		}
	})
}

func TestVerifyStoreErrorsAreWrapped(t *testing.T) {
	s, _, _, _ := newsStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := New(s).Verify(ctx, Request{Quote: kerryQuote})
	if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "verify: ") {
		t.Errorf("Verify on a cancelled context = %v, want a verify: error wrapping context.Canceled", err)
	}
}

// queryLog records the lookups a Verifier sends, passing them on to the
// real store.
type queryLog struct {
	store.Store
	queries []store.Query
	similar [][]uint64
	limits  []int
}

func (l *queryLog) Quotes(ctx context.Context, q store.Query) (store.Page, error) {
	l.queries = append(l.queries, q)
	return l.Store.Quotes(ctx, q)
}

func (l *queryLog) SimilarQuotes(ctx context.Context, fps []uint64, limit int) ([]quote.Quote, error) {
	l.similar = append(l.similar, fps)
	l.limits = append(l.limits, limit)
	return l.Store.SimilarQuotes(ctx, fps, limit)
}

func TestVerifyLooksUpFingerprintsOnly(t *testing.T) {
	s, _, _, _ := newsStore(t)
	long := strings.Repeat(kerryQuote+" and then "+officialQuote+" ", 8)
	tests := []struct {
		claim string
		want  []uint64
	}{
		{kerryQuote, store.ClaimFingerprints(quote.Words(kerryQuote))},
		{"press upon the Russians", store.ClaimFingerprints(quote.Words("press upon the Russians"))},
		// Only stopwords: looked up by their shingles all the same.
		{"To be or not to be", store.ClaimFingerprints(quote.Words("To be or not to be"))},
		// However long the claim, one lookup of at most MaxClaimFingerprints.
		{long, store.ClaimFingerprints(quote.Words(long))},
	}
	for _, tt := range tests {
		log := &queryLog{Store: s}
		if _, err := New(log).Verify(context.Background(), Request{Quote: tt.claim}); err != nil {
			t.Fatalf("Verify(%q): %v", tt.claim, err)
		}
		if len(log.queries) != 0 || len(log.similar) != 1 {
			t.Fatalf("Verify(%q) made %d word queries and %d fingerprint lookups, want 0 and 1", tt.claim, len(log.queries), len(log.similar))
		}
		if got := log.similar[0]; !slices.Equal(got, tt.want) || len(got) == 0 || len(got) > store.MaxClaimFingerprints || log.limits[0] != maxCandidates {
			t.Errorf("Verify(%q) looked up %d fingerprints %x (limit %d), want %x (limit %d)", tt.claim, len(got), got, log.limits[0], tt.want, maxCandidates)
		}
	}
}

// deletingStore deletes an article right after a query returns its quotes,
// as a concurrent re-upload or deletion might.
type deletingStore struct {
	store.Store
	key     string
	deleted bool
}

func (d *deletingStore) SimilarQuotes(ctx context.Context, fps []uint64, limit int) ([]quote.Quote, error) {
	quotes, err := d.Store.SimilarQuotes(ctx, fps, limit)
	if err == nil && !d.deleted {
		err = d.Store.DeleteArticle(ctx, d.key, "99")
		d.deleted = true
	}
	return quotes, err
}

func TestVerifyArticleGoneMeanwhile(t *testing.T) {
	s, _, brussels, _ := newsStore(t)
	got, err := New(&deletingStore{Store: s, key: brussels.Key}).Verify(context.Background(), Request{Quote: stoltenbergQuote})
	if err != nil {
		t.Fatalf("Verify while the article is deleted: %v", err)
	}
	if got.Verdict != Confirmed || len(got.Matches) == 0 || got.Matches[0].Article.ID != brussels.ID || got.Matches[0].Context != "" {
		t.Errorf("Verify = %q, matches %s; want confirmed from %s with no context", got.Verdict, describe(got.Matches), brussels.ID)
	}
}

func BenchmarkVerify(b *testing.B) {
	s, _, _, _ := newsStore(b)
	// Noise: 120 articles of 5 quotes each from a small vocabulary, so the
	// query words hit full pages of candidates.
	vocabulary := strings.Fields("we are going to press upon the russians need help bring about political settlement " +
		"syria ukraine nato military talks channel open week nobody expects breakthrough respond borders alliance " +
		"ministers force defensive measure moscow washington sanctions ceasefire")
	rng := rand.New(rand.NewPCG(1, 2))
	day := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 120 {
		var body strings.Builder
		var quotes []said
		for range 5 {
			words := make([]string, 8+rng.IntN(20))
			for w := range words {
				words[w] = vocabulary[rng.IntN(len(vocabulary))]
			}
			text := strings.Join(words, " ")
			fmt.Fprintf(&body, "“%s,” Kerry said. ", text)
			quotes = append(quotes, said{kerry, text, nil})
		}
		seed(b, s, fmt.Sprintf("noise/%03d.txt", i), day.Add(time.Duration(i)*time.Hour), body.String(), false, quotes...)
	}
	v := New(s)
	req := Request{Quote: strings.Replace(kerryQuote, "settlement", "solution", 1), Speaker: "Kerry"}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := v.Verify(context.Background(), req); err != nil {
			b.Fatal(err)
		}
	}
}

func describe(ms []Match) string {
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "\n  %.3f %s by %s: %q", m.Similarity, m.Article.Key, m.Speaker.Name, m.Quote.Text)
	}
	return b.String()
}

func firstContext(r Result) string {
	if len(r.Matches) == 0 {
		return "(no match)"
	}
	return r.Matches[0].Context
}

// rank is the documented order of matches, recomputed from the outside.
func rank(m Match, r Request) float64 {
	claim, quoted := len(quote.Words(r.Quote)), len(quote.Words(m.Quote.Text))
	return m.Similarity * min(1, float64(quoted)/float64(claim))
}
