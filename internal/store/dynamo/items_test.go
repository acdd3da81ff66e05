package dynamo

import (
	"cmp"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// The article item's condition compares padded versions as strings; that
// must order them exactly as quote.CompareVersions does.
func TestSortableVersionOrdersAsCompareVersions(t *testing.T) {
	versions := []string{"", "0", "00", "01", "0A", "0a", "FE", "fe", "00FD", "00FE", "00FF", "100",
		"0062E8A1B2C3D4E5F6", "62E8A1B2C3D4E5F7", strings.Repeat("F", 64)}
	for _, a := range versions {
		for _, b := range versions {
			pa, err := sortableVersion(a)
			if err != nil {
				t.Fatalf("sortableVersion(%q): %v", a, err)
			}
			pb, err := sortableVersion(b)
			if err != nil {
				t.Fatalf("sortableVersion(%q): %v", b, err)
			}
			if got, want := cmp.Compare(pa, pb), quote.CompareVersions(a, b); got != want {
				t.Errorf("padded %q vs %q compares %d, CompareVersions says %d", a, b, got, want)
			}
		}
	}
	if _, err := sortableVersion(strings.Repeat("1", 65)); quote.ErrorCode(err) != quote.EInvalid {
		t.Errorf("sortableVersion of 65 characters: error %v, want invalid", err)
	}
}

func TestDateKeysSortInTimeOrder(t *testing.T) {
	times := []time.Time{
		time.Date(999, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2015, 5, 12, 0, 0, 0, 0, time.UTC),
		time.Date(2015, 5, 12, 0, 0, 0, 1, time.UTC),
		time.Date(2015, 5, 12, 1, 0, 0, 0, time.FixedZone("CEST", 2*3600)), // 23:00 UTC the day before
		time.Date(2015, 5, 12, 0, 0, 0, 5, time.UTC),
		time.Date(2015, 5, 12, 0, 0, 1, 0, time.UTC),
		time.Date(2026, 11, 23, 19, 0, 0, 0, time.UTC),
	}
	for _, a := range times {
		for _, b := range times {
			if got, want := cmp.Compare(dateKey(a), dateKey(b)), a.Compare(b); got != want {
				t.Errorf("dateKey(%v) vs dateKey(%v) compares %d, times compare %d", a, b, got, want)
			}
			if a.Equal(b) && !(dateKey(a)+"#x" < dateKeyEnd(b)) {
				t.Errorf("posting key of %v sorts after the range end of %v", a, b)
			}
		}
	}
}

func TestSplitTextKeepsRunesWhole(t *testing.T) {
	text := strings.Repeat("é", maxBodyPart) // 2 bytes each: parts cut mid-rune unless careful
	parts := splitText(text)
	if len(parts) != 2 {
		t.Fatalf("splitText of %d bytes gave %d parts, want 2", len(text), len(parts))
	}
	if strings.Join(parts, "") != text {
		t.Errorf("parts do not join back to the text")
	}
	for i, p := range parts {
		if len(p) > maxBodyPart || !strings.HasPrefix(p, "é") || !strings.HasSuffix(p, "é") {
			t.Errorf("part %d has %d bytes or a cut rune", i, len(p))
		}
	}
	if got := splitText(""); len(got) != 0 {
		t.Errorf("splitText(\"\") = %q, want no parts", got)
	}
}
