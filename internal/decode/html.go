package decode

import (
	"net/url"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// decodeHTML reads a web page: the story is the text of its <article>, or
// of its <main>, or else of its <body>, without the page's furniture
// (scripts, navigation, headers, footers, asides, forms). The title is the
// page's og:title, first <h1> or <title>; URL, outlet and publication date
// come from the usual <meta> tags when present and well-formed — a page's
// metadata is the publisher's, so a malformed tag is ignored rather than
// failing the article.
func decodeHTML(text string) (quote.Article, error) {
	doc, err := html.Parse(strings.NewReader(text))
	if err != nil {
		return quote.Article{}, quote.Errorf(quote.EInvalid, "invalid HTML: %v", err)
	}
	var a quote.Article
	page := readPage(doc)
	a.Title = firstNonEmpty(page.ogTitle, page.h1, page.title)
	a.URL = firstNonEmpty(httpURL(page.ogURL), httpURL(page.canonical))
	a.Outlet = oneLine(page.siteName)
	if t, err := ParseDate(strings.TrimSpace(page.published)); err == nil && page.published != "" {
		a.Published = t
	}

	root := findElement(doc, atom.Article)
	if root == nil {
		root = findElement(doc, atom.Main)
	}
	if root == nil {
		root = findElement(doc, atom.Body)
	}
	if root == nil {
		root = doc
	}
	paragraphs := textBlocks(root)
	// The headline usually opens the story as an <h1>; it is the title,
	// not a paragraph.
	for k := 0; k < len(paragraphs) && k < 3; k++ {
		if paragraphs[k] == oneLine(a.Title) {
			paragraphs = append(paragraphs[:k], paragraphs[k+1:]...)
			break
		}
	}
	a.Text = strings.Join(paragraphs, "\n\n")
	return a, nil
}

// htmlFragmentText is the text of an HTML fragment, such as the body of a
// CMS export.
func htmlFragmentText(fragment string) string {
	doc, err := html.Parse(strings.NewReader(fragment))
	if err != nil {
		return fragment
	}
	return strings.Join(textBlocks(doc), "\n\n")
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v = oneLine(v); v != "" {
			return v
		}
	}
	return ""
}

func httpURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(raw) > maxDeclaredURLBytes {
		return ""
	}
	return u.String()
}

// page is what a document says about itself.
type page struct {
	title, h1, ogTitle, ogURL, canonical, siteName, published string
}

func readPage(doc *html.Node) page {
	var p page
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch n.DataAtom {
		case atom.Title:
			if p.title == "" {
				p.title = textOf(n)
			}
		case atom.H1:
			if p.h1 == "" {
				p.h1 = textOf(n)
			}
		case atom.Meta:
			content := attr(n, "content")
			switch strings.ToLower(firstNonEmpty(attr(n, "property"), attr(n, "name"), attr(n, "itemprop"))) {
			case "og:title":
				p.ogTitle = content
			case "og:url":
				p.ogURL = content
			case "og:site_name":
				p.siteName = content
			case "article:published_time", "datepublished", "date", "pubdate", "publishdate", "dc.date.issued", "dcterms.issued":
				if p.published == "" {
					p.published = content
				}
			}
		case atom.Link:
			if strings.EqualFold(attr(n, "rel"), "canonical") {
				p.canonical = attr(n, "href")
			}
		case atom.Time:
			if p.published == "" && (strings.EqualFold(attr(n, "itemprop"), "datePublished") || hasAttr(n, "pubdate")) {
				p.published = attr(n, "datetime")
			}
		}
	}
	return p
}

func findElement(n *html.Node, a atom.Atom) *html.Node {
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && d.DataAtom == a {
			return d
		}
	}
	return nil
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, name) {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, name string) bool {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, name) {
			return true
		}
	}
	return false
}

// textOf is all the text under n on one line.
func textOf(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return oneLine(b.String())
}

// skipped reports whether an element holds no part of the story.
func skipped(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Nav, atom.Header, atom.Footer, atom.Aside, atom.Form,
		atom.Noscript, atom.Template, atom.Iframe, atom.Svg, atom.Button, atom.Select,
		atom.Textarea, atom.Object, atom.Embed, atom.Canvas, atom.Audio, atom.Video, atom.Head, atom.Dialog:
		return true
	}
	return hasAttr(n, "hidden") || strings.EqualFold(attr(n, "aria-hidden"), "true")
}

// block reports whether an element starts and ends a paragraph.
func block(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Article, atom.Blockquote, atom.Br, atom.Dd, atom.Div, atom.Dl, atom.Dt,
		atom.Fieldset, atom.Figcaption, atom.Figure, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Hr, atom.Li, atom.Main, atom.Ol, atom.P, atom.Pre, atom.Section, atom.Table, atom.Tr,
		atom.Ul, atom.Body, atom.Caption, atom.Details, atom.Summary:
		return true
	}
	return false
}

// textBlocks returns the paragraphs under root, white space collapsed
// except inside <pre>.
func textBlocks(root *html.Node) []string {
	w := blockWriter{}
	w.walk(root, false)
	w.flush()
	return w.paragraphs
}

type blockWriter struct {
	paragraphs []string
	current    strings.Builder
	// pendingSpace: white space came since the last character written; it
	// becomes one space before the next, if the paragraph goes on.
	pendingSpace bool
}

func (w *blockWriter) flush() {
	if p := strings.TrimSpace(w.current.String()); p != "" {
		w.paragraphs = append(w.paragraphs, p)
	}
	w.current.Reset()
	w.pendingSpace = false
}

func (w *blockWriter) walk(n *html.Node, pre bool) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data, pre)
		return
	case html.ElementNode:
		if skipped(n) {
			return
		}
	case html.DocumentNode:
	default:
		return
	}
	isBlock := n.Type == html.ElementNode && block(n.DataAtom)
	if isBlock {
		w.flush()
	}
	switch n.DataAtom {
	case atom.Pre:
		pre = true
	case atom.Td, atom.Th:
		w.pendingSpace = true
	case atom.Q:
		// Browsers draw quotation marks around <q>; the extractor needs
		// them in the text.
		w.text("“", false)
	}
	for c := range n.ChildNodes() {
		w.walk(c, pre)
	}
	if n.DataAtom == atom.Q {
		w.pendingSpace = false
		w.text("”", false)
	}
	if isBlock {
		w.flush()
	}
}

func (w *blockWriter) text(s string, pre bool) {
	if pre {
		for k, line := range strings.Split(s, "\n") {
			if k > 0 {
				w.flush()
			}
			w.current.WriteString(line)
		}
		return
	}
	for _, r := range s {
		if unicode.IsSpace(r) {
			w.pendingSpace = true
			continue
		}
		if w.pendingSpace && w.current.Len() > 0 {
			w.current.WriteByte(' ')
		}
		w.pendingSpace = false
		w.current.WriteRune(r)
	}
}
