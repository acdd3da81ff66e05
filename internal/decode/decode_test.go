package decode

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/unicode"

	"github.com/newsroom-tools/quotes/internal/quote"
)

func utf16(t *testing.T, endianness unicode.Endianness, s string) []byte {
	t.Helper()
	b, err := unicode.UTF16(endianness, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode UTF-16: %v", err)
	}
	return b
}

const pageHTML = `<!doctype html>
<html><head>
<title>Kerry in Geneva - The Daily Paper</title>
<meta property="og:title" content="Kerry in Geneva">
<meta property="og:site_name" content="The Daily Paper">
<meta property="og:url" content="https://example.com/world/kerry-geneva">
<meta property="article:published_time" content="2015-11-05T14:30:00+01:00">
<script>var headline = "not the story";</script>
<style>p { color: red }</style>
</head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<header>The Daily Paper</header>
<article>
  <header><p class="byline">By A. Reporter</p></header>
  <h1>Kerry in Geneva</h1>
  <p>Kerry said the talks   were
     <em>vital</em>: <q>We will not stop</q>.</p>
  <script>track("read")</script>
  <p>Lavrov replied: &ldquo;No.&rdquo;<br>Talks resume &amp; go on&nbsp;today.</p>
  <aside>Read more: other stories</aside>
  <form>Subscribe <input name="email"></form>
  <noscript>Enable JavaScript</noscript>
</article>
<footer>© The Daily Paper</footer>
</body></html>`

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		key  string
		body []byte
		want quote.Article
	}{
		{
			name: "plain text with headline and hard-wrapped paragraphs",
			key:  "2015/kerry.txt",
			body: []byte("Kerry in Geneva\n\nKerry said on Monday that the talks in Geneva would continue for as long\nas it takes to reach a deal, and that nobody should doubt the resolve of\nthe United States.\n\n“We will not stop,” he said.\n"),
			want: quote.Article{
				Title: "Kerry in Geneva",
				Text:  "Kerry said on Monday that the talks in Geneva would continue for as long as it takes to reach a deal, and that nobody should doubt the resolve of the United States.\n\n“We will not stop,” he said.",
			},
		},
		{
			name: "plain text one paragraph a line, no headline, CRLF",
			key:  "wire.TXT",
			body: []byte("Kerry spoke in Geneva on Monday.\r\n“We will not stop,” he said.\r\nLavrov did not reply.\r\n"),
			want: quote.Article{Text: "Kerry spoke in Geneva on Monday.\n\n“We will not stop,” he said.\n\nLavrov did not reply."},
		},
		{
			name: "markdown",
			key:  "notes/kerry.md",
			body: []byte("# Kerry in *Geneva*\n\nKerry **said** the [talks](https://example.com/t) were _vital_ and\nwould go on. ![photo](p.jpg)\n\n## Reaction\n\n- Lavrov said “no”\n- Wang said nothing\n\n```\nnot = article(text)\n```\n\n> “We will not stop,” he said.\n\n---\n\n[1]: https://example.com/ref\n"),
			want: quote.Article{
				Title: "Kerry in Geneva",
				Text:  "Kerry said the talks were vital and would go on.\n\nReaction\n\nLavrov said “no”\n\nWang said nothing\n\n“We will not stop,” he said.",
			},
		},
		{
			name: "markdown nested links, stray brackets and angles",
			key:  "links.md",
			body: []byte("See [the [full] text](https://example.com/a \"t\") and [![logo](l.png) the site][1], <https://example.com/b>, a < b > c, [unclosed (x.\n"),
			want: quote.Article{Text: "See the [full] text and the site, https://example.com/b, a < b > c, [unclosed (x."},
		},
		{
			name: "markdown front matter",
			key:  "post.markdown",
			body: []byte("---\ntitle: \"Talks go on\"\ndate: 2015-11-05\nurl: https://example.com/talks\noutlet: The Blog\n---\n# A heading, not the title\n\nText here.\n"),
			want: quote.Article{
				Title: "Talks go on", URL: "https://example.com/talks", Outlet: "The Blog",
				Published: time.Date(2015, 11, 5, 0, 0, 0, 0, time.UTC),
				Text:      "A heading, not the title\n\nText here.",
			},
		},
		{
			name: "html article without page furniture",
			key:  "web/kerry.html",
			body: []byte(pageHTML),
			want: quote.Article{
				Title: "Kerry in Geneva", URL: "https://example.com/world/kerry-geneva", Outlet: "The Daily Paper",
				Published: time.Date(2015, 11, 5, 13, 30, 0, 0, time.UTC),
				Text:      "Kerry said the talks were vital: “We will not stop”.\n\nLavrov replied: “No.”\n\nTalks resume & go on today.",
			},
		},
		{
			name: "html main, title from h1",
			key:  "page.htm",
			body: []byte(`<html><body><div>Menu</div><main><h1>Main story</h1><div><p>First.</p>Loose text</div></main></body></html>`),
			want: quote.Article{Title: "Main story", Text: "First.\n\nLoose text"},
		},
		{
			name: "html body, title from title, hidden dropped, malformed meta ignored",
			key:  "page.html",
			body: []byte(`<html><head><title>Only title</title><meta property="og:url" content="javascript:alert(1)"><meta name="date" content="yesterday"></head><body><p>Body text.</p><p hidden>Hidden.</p><div aria-hidden="true">Icon</div></body></html>`),
			want: quote.Article{Title: "Only title", Text: "Body text."},
		},
		{
			name: "json with text",
			key:  "feed/1.json",
			body: []byte(`{"title":"Kerry in Geneva","text":"Kerry spoke.\n“We will not stop,” he said.","url":"https://example.com/a","published":"2015-11-05T14:30:00Z","outlet":"Wire"}`),
			want: quote.Article{
				Title: "Kerry in Geneva", URL: "https://example.com/a", Outlet: "Wire",
				Published: time.Date(2015, 11, 5, 14, 30, 0, 0, time.UTC),
				Text:      "Kerry spoke.\n\n“We will not stop,” he said.",
			},
		},
		{
			name: "json body holding html, date only",
			key:  "cms.json",
			body: []byte(`{"title":"T","body":"<p>One <b>“two”</b></p><p>three</p>","published":"2015-11-05"}`),
			want: quote.Article{Title: "T", Published: time.Date(2015, 11, 5, 0, 0, 0, 0, time.UTC), Text: "One “two”\n\nthree"},
		},
		{
			name: "json text preferred to body",
			key:  "both.json",
			body: []byte(`{"text":"From text.","body":"From body."}`),
			want: quote.Article{Text: "From text."},
		},
		{
			name: "unknown extension sniffed as text",
			key:  "inbox/story.eml",
			body: []byte("Plain words, “quoted,” she said."),
			want: quote.Article{Text: "Plain words, “quoted,” she said."},
		},
		{
			name: "no extension sniffed as html",
			key:  "inbox/story",
			body: []byte("<html><body><p>Sniffed.</p></body></html>"),
			want: quote.Article{Text: "Sniffed."},
		},
		{
			name: "utf-8 byte-order mark stripped",
			key:  "bom.txt",
			body: []byte("\xEF\xBB\xBF“Hello,” she said."),
			want: quote.Article{Text: "“Hello,” she said."},
		},
		{
			name: "utf-16 little endian with byte-order mark",
			key:  "word.txt",
			body: utf16(t, unicode.LittleEndian, "Zelénskyy said: “Enough.”"),
			want: quote.Article{Text: "Zelénskyy said: “Enough.”"},
		},
		{
			name: "utf-16 big endian with byte-order mark",
			key:  "word.txt",
			body: utf16(t, unicode.BigEndian, "Zelénskyy said: “Enough.”"),
			want: quote.Article{Text: "Zelénskyy said: “Enough.”"},
		},
		{
			name: "windows-1252 curly quotes and accents",
			key:  "legacy.txt",
			body: []byte("\x93We won\x92t go,\x94 said Jos\xe9 \x96 for \x80100."),
			want: quote.Article{Text: "“We won’t go,” said José – for €100."},
		},
		{
			name: "html declaring its charset",
			key:  "ru.html",
			body: []byte("<html><head><meta charset=\"windows-1251\"></head><body><p>\xcf\xf3\xf2\xe8\xed said.</p></body></html>"),
			want: quote.Article{Text: "Путин said."},
		},
		{
			name: "utf-8 with one damaged byte stays utf-8",
			key:  "damaged.txt",
			body: []byte("“Zelénskyy,” she said \xff of Kyiv’s mayor."),
			want: quote.Article{Text: "“Zelénskyy,” she said \uFFFD of Kyiv’s mayor."},
		},
		{
			name: "decomposed accents composed",
			key:  "nfd.txt",
			body: []byte("Zele\u0301nskyy spoke."),
			want: quote.Article{Text: "Zelénskyy spoke."},
		},
		{
			name: "control characters dropped",
			key:  "ctl.txt",
			body: []byte("One\ttab and a bell\x07 and an end\x1a.\vWord line break."),
			want: quote.Article{Text: "One\ttab and a bell and an end.\n\nWord line break."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Object(tt.key, tt.body, 0)
			if err != nil {
				t.Fatalf("Object(%q) error: %v", tt.key, err)
			}
			if got.Title != tt.want.Title {
				t.Errorf("Title = %q, want %q", got.Title, tt.want.Title)
			}
			if got.URL != tt.want.URL || got.Outlet != tt.want.Outlet {
				t.Errorf("URL, Outlet = %q, %q, want %q, %q", got.URL, got.Outlet, tt.want.URL, tt.want.Outlet)
			}
			if !got.Published.Equal(tt.want.Published) {
				t.Errorf("Published = %v, want %v", got.Published, tt.want.Published)
			}
			if got.Text != tt.want.Text {
				t.Errorf("Text\n got %q\nwant %q", got.Text, tt.want.Text)
			}
		})
	}
}

func TestDecodeRejects(t *testing.T) {
	tests := []struct {
		name     string
		key      string
		body     []byte
		maxBytes int64
		want     string
	}{
		{"empty", "a.txt", nil, 0, "empty object"},
		{"over the default limit", "big.txt", bytes.Repeat([]byte("words "), 3<<20/6+1), 0, "object is 3 MB; the limit is 2 MB"},
		{"over a configured limit", "a.txt", []byte(strings.Repeat("x", 1500)), 1024, "object is 1.5 KB; the limit is 1 KB"},
		{"pdf", "report.pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"), 0, "not text: looks like application/pdf"},
		{"pdf named txt", "story.txt", []byte("%PDF-1.4\n1 0 obj\n"), 0, "not text: looks like application/pdf"},
		{"png", "photo.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), 0, "not text: looks like image/png"},
		{"gzip", "story.txt.gz", []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"), 0, "not text: looks like application/x-gzip"},
		{"docx", "story.docx", []byte("PK\x03\x04\x14\x00\x06\x00"), 0, "not text: looks like application/zip"},
		{"binary", "story.bin", []byte("\x00\x01\x02\x03 binary"), 0, "not text: looks like application/octet-stream"},
		{"only white space", "blank.txt", []byte(" \n\n\t \n"), 0, "no article text in text file"},
		{"html without story", "page.html", []byte("<html><head><script>x()</script></head><body><nav>Home</nav><footer>©</footer></body></html>"), 0, "no article text in HTML"},
		{"markdown only a title", "t.md", []byte("# Just a title\n"), 0, "no article text in Markdown"},
		{"utf-16 cut in half", "half.txt", []byte("\xFF\xFEH\x00i\x00!"), 0, "undecodable: starts with a UTF-16 byte-order mark but is not valid UTF-16"},
		{"utf-16 lone surrogate", "sur.txt", []byte("\xFF\xFEH\x00\x00\xD8i\x00"), 0, "undecodable: starts with a UTF-16 byte-order mark but is not valid UTF-16"},
		{"utf-8 bom then invalid", "bom.txt", []byte("\xEF\xBB\xBFok \xff\xfe\xfd"), 0, "undecodable: starts with a UTF-8 byte-order mark but is not valid UTF-8"},
		{"bytes windows-1252 leaves undefined", "x.txt", []byte("abc \x81\x8d\x8f\x90"), 0, "undecodable: not UTF-8, and not valid Windows-1252 either"},
		{"json without text", "a.json", []byte(`{"title":"T","url":"https://example.com"}`), 0, "no article text in JSON (expected text or body)"},
		{"json empty text and body", "a.json", []byte(`{"text":"  ","body":""}`), 0, "no article text in JSON (expected text or body)"},
		{"json syntax", "a.json", []byte(`{"text": "unterminated}`), 0, "invalid JSON at byte 23: unexpected end of JSON input"},
		{"json array", "a.json", []byte(`[{"text":"x"}]`), 0, "JSON is an array; expected an object with text or body"},
		{"json number title", "a.json", []byte(`{"title":42,"text":"x"}`), 0, "JSON field title is a number; expected a string"},
		{"json oversized title", "a.json", []byte(`{"title":"` + strings.Repeat("t", 501) + `","text":"x"}`), 0, "JSON title is 501 bytes; the limit is 500"},
		{"json oversized outlet", "a.json", []byte(`{"outlet":"` + strings.Repeat("o", 201) + `","text":"x"}`), 0, "JSON outlet is 201 bytes; the limit is 200"},
		{"json oversized url", "a.json", []byte(`{"url":"https://example.com/` + strings.Repeat("u", 2048) + `","text":"x"}`), 0, "JSON url is 2068 bytes; the limit is 2048"},
		{"json url not web", "a.json", []byte(`{"url":"ftp://example.com/a","text":"x"}`), 0, `JSON url "ftp://example.com/a" is not an http or https address`},
		{"json bad date", "a.json", []byte(`{"published":"5 Nov 2015","text":"x"}`), 0, `JSON published "5 Nov 2015" is not a date (expected RFC 3339, like 2015-11-05T14:30:00Z, or YYYY-MM-DD)`},
		{"front matter bad date", "a.md", []byte("---\ndate: 2015-13-45\n---\nText.\n"), 0, `front matter published "2015-13-45" is not a date (expected RFC 3339, like 2015-11-05T14:30:00Z, or YYYY-MM-DD)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Object(tt.key, tt.body, tt.maxBytes)
			if err == nil {
				t.Fatalf("Object(%q) = %+v, want error %q", tt.key, got, tt.want)
			}
			if code := quote.ErrorCode(err); code != quote.EInvalid {
				t.Errorf("error code = %q, want %q (error %v)", code, quote.EInvalid, err)
			}
			if msg := quote.ErrorMessage(err); msg != tt.want {
				t.Errorf("reason\n got %q\nwant %q", msg, tt.want)
			}
		})
	}
}

func TestTooLarge(t *testing.T) {
	tests := []struct {
		size, limit int64
		want        string
	}{
		{50 << 20, 2 << 20, "object is 50 MB; the limit is 2 MB"},
		{50<<20 + 1<<20/10, 2 << 20, "object is 50.1 MB; the limit is 2 MB"},
		{2<<20 + 1, 2 << 20, "object is 2 MB; the limit is 2 MB"},
		{900, 512, "object is 900 bytes; the limit is 512 bytes"},
	}
	for _, tt := range tests {
		if got := quote.ErrorMessage(TooLarge(tt.size, tt.limit)); got != tt.want {
			t.Errorf("TooLarge(%d, %d) = %q, want %q", tt.size, tt.limit, got, tt.want)
		}
	}
}

// BenchmarkDecodeAdversarial decodes uploads built to make a careless
// parser quadratic: its time per byte must stay flat as the size grows.
func BenchmarkDecodeAdversarial(b *testing.B) {
	for _, tt := range []struct{ name, key, unit string }{
		{"brackets", "a.md", "["},
		{"images", "a.md", "!["},
		{"links without targets", "a.md", "[x]("},
		{"angles", "a.md", "<a"},
		{"nested formatting", "a.html", "<p><b><i>"},
		{"blank lines", "a.txt", "\n"},
	} {
		for _, size := range []int{64 << 10, 1 << 20} {
			body := []byte(strings.Repeat(tt.unit, size/len(tt.unit)))
			b.Run(fmt.Sprintf("%s/%dKB", tt.name, size>>10), func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				for b.Loop() {
					Object(tt.key, body, DefaultMaxBytes)
				}
			})
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, seed := range []struct{ key, body string }{
		{"a.txt", "Title\n\n“Quote,” he said.\n"},
		{"a.md", "---\ntitle: T\n---\n# H\n\n*x* [l](u) ![i](p) <b>t</b> `c`\n\n```\nx\n```\n"},
		{"a.html", pageHTML},
		{"a.json", `{"title":"T","body":"<p>x</p>","published":"2015-11-05"}`},
		{"a", "\xff\xfe\x00d\x00"},
		{"a.txt", "\x93cp1252\x94"},
		{"a.md", "[[[![[x](y)]][z]<<a>"},
	} {
		f.Add(seed.key, []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, key string, body []byte) {
		a, err := Object(key, body, 1<<16)
		if err != nil {
			if code := quote.ErrorCode(err); code != quote.EInvalid {
				t.Fatalf("error code %q (%v), want %q", code, err, quote.EInvalid)
			}
			return
		}
		if strings.TrimSpace(a.Text) == "" || !utf8.ValidString(a.Text) {
			t.Errorf("Text %q is empty or not UTF-8", a.Text)
		}
		if strings.ContainsAny(a.Title, "\n\r") || len(a.Title) > maxDeclaredTitleBytes || !utf8.ValidString(a.Title) {
			t.Errorf("malformed Title %q", a.Title)
		}
	})
}
