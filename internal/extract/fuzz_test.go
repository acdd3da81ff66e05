package extract

import (
	"testing"
)

func FuzzExtract(f *testing.F) {
	for _, text := range seedArticles(f) {
		f.Add(text)
	}
	for _, seed := range []string{
		"“A,” she said, “B.”",
		"\"unbalanced\n\n\"reopened\" he said",
		"‘British,’ he said. ‘Style.’",
		"''two apostrophes'' he said",
		"<tweet id=\"1\">x</tweet> “y,” said Mr.",
		"said",
		"\"",
		"“",
		"Kerry, a doctor, said: “",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		qs := Extract(text)
		prevEnd := 0
		for _, q := range qs {
			if q.Start < prevEnd || q.Start >= q.End || q.End > len(text) {
				t.Fatalf("quote span [%d,%d) invalid after %d in %d bytes", q.Start, q.End, prevEnd, len(text))
			}
			if text[q.Start:q.End] != q.Text {
				t.Fatalf("text[%d:%d] = %q, quote text %q", q.Start, q.End, text[q.Start:q.End], q.Text)
			}
			if c := q.Evidence.Cue; c != nil && (c.Start < 0 || c.End > len(text) || text[c.Start:c.End] != c.Text) {
				t.Fatalf("cue span %+v does not match the text", *c)
			}
			if m := q.Evidence.Mention; m != nil && (m.Start < 0 || m.End > len(text) || text[m.Start:m.End] != m.Text) {
				t.Fatalf("mention span %+v does not match the text", *m)
			}
			if q.Evidence.Confidence < 0 || q.Evidence.Confidence > 1 || !q.Speaker.Kind.Valid() {
				t.Fatalf("confidence %v or kind %q out of range", q.Evidence.Confidence, q.Speaker.Kind)
			}
			prevEnd = q.End
		}
	})
}
