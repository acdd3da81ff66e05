// Package decode turns an uploaded file into the article it carries: the
// text quotes are extracted from (plain UTF-8, paragraphs separated by
// blank lines) and what the file says of it (title, URL, outlet,
// publication date). It reads plain text, Markdown with front matter,
// HTML and JSON, in UTF-8, UTF-16 or Windows-1252. It knows nothing of
// where files come from: the ingest pipeline and `quotes extract` both
// use it, so a file is read the same way by each.
package decode

import (
	"bytes"
	"fmt"
	"net/http"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// DefaultMaxBytes is the largest object ingested: far above any news
// article, far below what would strain a Lambda's memory.
const DefaultMaxBytes = 2 << 20

// Object turns an uploaded object into the article it carries: Title, URL,
// Outlet, Published (as its metadata declares, else as a date line or
// dateline in its text says; zero when neither does) and Text (plain UTF-8, paragraphs separated by blank
// lines, which quote offsets will point into). The key's extension picks
// the format — .txt, .md, .html/.htm, .json — and an object without a
// known extension is read as text when it sniffs as text. maxBytes bounds
// the object; 0 means DefaultMaxBytes.
//
// Every failure is an error with code quote.EInvalid whose message says
// what is wrong with the object, for the uploader to read.
func Object(key string, body []byte, maxBytes int64) (quote.Article, error) {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if len(body) == 0 {
		return quote.Article{}, quote.Errorf(quote.EInvalid, "empty object")
	}
	if int64(len(body)) > maxBytes {
		return quote.Article{}, TooLarge(int64(len(body)), maxBytes)
	}
	sniffed := sniff(body)
	if !strings.HasPrefix(sniffed, "text/") {
		kind, _, _ := strings.Cut(sniffed, ";")
		return quote.Article{}, quote.Errorf(quote.EInvalid, "not text: looks like %s", kind)
	}

	format := formatOf(key, sniffed)
	text, err := decodeText(body, format == formatHTML)
	if err != nil {
		return quote.Article{}, err
	}
	var a quote.Article
	switch format {
	case formatHTML:
		a, err = decodeHTML(text)
	case formatMarkdown:
		a, err = decodeMarkdown(text)
	case formatJSON:
		a, err = decodeJSON(text)
	default:
		a, err = decodePlain(text)
	}
	if err != nil {
		return quote.Article{}, err
	}
	a.Title = clip(oneLine(a.Title), maxTitleBytes)
	if strings.TrimSpace(a.Text) == "" {
		return quote.Article{}, quote.Errorf(quote.EInvalid, "no article text in %s", format)
	}
	if a.Published.IsZero() {
		// What the document declares wins over what its text says.
		a.Published, _ = textDate(a.Text)
	}
	return a, nil
}

// TooLarge is the error for an object over the size limit.
func TooLarge(size, limit int64) error {
	return quote.Errorf(quote.EInvalid, "object is %s; the limit is %s", FormatSize(size), FormatSize(limit))
}

// FormatSize writes a size the way people read it: "50.1 MB", "2 MB",
// "900 KB".
func FormatSize(n int64) string {
	const kb, mb = 1 << 10, 1 << 20
	switch {
	case n >= mb:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/mb), ".0") + " MB"
	case n >= kb:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(n)/kb), ".0") + " KB"
	}
	return fmt.Sprintf("%d bytes", n)
}

// sniff returns the content type of body, as http.DetectContentType does,
// except that a few stray control characters (Word's vertical tab for a
// manual line break, an old editor's end-of-file mark) do not make text
// binary: only NUL bytes or many control characters do.
func sniff(body []byte) string {
	sniffed := http.DetectContentType(body)
	if sniffed != "application/octet-stream" {
		return sniffed
	}
	head := body[:min(len(body), 512)]
	controls := 0
	for _, c := range head {
		switch {
		case c == 0:
			return sniffed
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
			controls++
		}
	}
	if controls > 8 && controls*20 > len(head) {
		return sniffed
	}
	return "text/plain"
}

type format string

const (
	formatPlain    format = "text file"
	formatMarkdown format = "Markdown"
	formatHTML     format = "HTML"
	formatJSON     format = "JSON"
)

func formatOf(key, sniffed string) format {
	switch strings.ToLower(path.Ext(key)) {
	case ".txt", ".text":
		return formatPlain
	case ".md", ".markdown":
		return formatMarkdown
	case ".html", ".htm", ".xhtml":
		return formatHTML
	case ".json":
		return formatJSON
	}
	if strings.HasPrefix(sniffed, "text/html") {
		return formatHTML
	}
	return formatPlain
}

// maxTitleBytes bounds a title found in the text itself (a <title>, a first
// line), which a malformed file can make arbitrarily long.
const maxTitleBytes = 500

// decodeText turns the object's bytes into NFC-normalised UTF-8 with "\n"
// line ends. It reads UTF-8 (with or without a byte-order mark), UTF-16
// with a byte-order mark, and, for bytes that are not UTF-8, Windows-1252
// — what Word and older newsroom systems export — or, for HTML, the
// charset its <meta> declares.
func decodeText(body []byte, isHTML bool) (string, error) {
	var text string
	switch {
	case bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}):
		body = body[3:]
		if !utf8.Valid(body) {
			return "", quote.Errorf(quote.EInvalid, "undecodable: starts with a UTF-8 byte-order mark but is not valid UTF-8")
		}
		text = string(body)
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}), bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		decoded, err := decodeStrict(xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM), body)
		if err != nil || len(body)%2 != 0 {
			return "", quote.Errorf(quote.EInvalid, "undecodable: starts with a UTF-16 byte-order mark but is not valid UTF-16")
		}
		text = decoded
	case utf8.Valid(body):
		text = string(body)
	case mostlyUTF8(body):
		// A UTF-8 file with a few damaged bytes: reading it all as
		// Windows-1252 would garble every accent and curly quote.
		text = strings.ToValidUTF8(string(body), "\uFFFD")
	default:
		enc, name := encoding.Encoding(charmap.Windows1252), "Windows-1252"
		if isHTML {
			if declared, declaredName, _ := charset.DetermineEncoding(body, "text/html"); declared != nil && declaredName != "utf-8" {
				enc, name = declared, declaredName
			}
		}
		decoded, err := decodeStrict(enc, body)
		if err != nil {
			return "", quote.Errorf(quote.EInvalid, "undecodable: not UTF-8, and not valid %s either", name)
		}
		text = decoded
	}
	// Windows' and old Macs' ends of line, and the vertical tab and form
	// feed that Word and printers use for line and page breaks.
	text = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\v", "\n", "\f", "\n").Replace(text)
	text = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) && r != '\uFEFF' {
			return r
		}
		return -1
	}, text)
	return norm.NFC.String(text), nil
}

// decodeStrict decodes body, failing where it holds bytes the encoding
// does not define (which decoders otherwise turn into U+FFFD).
func decodeStrict(enc encoding.Encoding, body []byte) (string, error) {
	decoded, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return "", err
	}
	if bytes.ContainsRune(decoded, utf8.RuneError) {
		return "", fmt.Errorf("undefined bytes")
	}
	return string(decoded), nil
}

// mostlyUTF8 reports whether body's non-ASCII bytes are mostly valid UTF-8
// sequences.
func mostlyUTF8(body []byte) bool {
	valid, invalid := 0, 0
	for len(body) > 0 {
		if body[0] < utf8.RuneSelf {
			body = body[1:]
			continue
		}
		r, size := utf8.DecodeRune(body)
		if r == utf8.RuneError && size == 1 {
			invalid++
		} else {
			valid++
		}
		body = body[size:]
	}
	return valid > 2*invalid
}

// oneLine collapses all runs of white space, line breaks included, to one
// space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// clip shortens s to at most n bytes, on a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.TrimSpace(s[:cut]) + "…"
}
