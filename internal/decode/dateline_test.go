package decode

import (
	"testing"
	"time"
)

func TestTextDate(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name string
		text string
		want time.Time // zero: none
	}{
		{"updated line after the place", "Kerry meets Putin\n\nMoscow, Russia Updated: Jul 15, 2016, 07:45 AM(IST)\n\nText.", day(2016, time.July, 15)},
		{"published on, day first", "Title\nPublished on 3 September 2015\n\nText.", day(2015, time.September, 3)},
		{"posted ISO", "Title\nPosted: 2016-01-10 12:00\n\nText.", day(2016, time.January, 10)},
		{"wire dateline without year takes the text's", "MOSCOW, March 23 (Reuters) – Kerry arrived, as he said on March 20, 2016.", day(2016, time.March, 23)},
		{"dateline with state and year", "HEMPSTEAD, N.Y., Sept. 26, 2016 — The debate began.", day(2016, time.September, 26)},
		{"photo caption is no date line", "Kerry seeks help\n\nKerry speaks in Washington, DC, July 12, 2016. (AFP photo)\n\nText.", time.Time{}},
		{"dateline without any year", "MOSCOW, March 23 (Reuters) – Kerry arrived.", time.Time{}},
		{"impossible day", "Title\nUpdated: Feb 30, 2016\n", time.Time{}},
		{"too deep in the story", "1\n2\n3\n4\n5\n6\n7\n8\n9\nUpdated: Jul 15, 2016\n", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := textDate(tt.text)
			if ok != !tt.want.IsZero() || !got.Equal(tt.want) {
				t.Errorf("textDate = %v, %v; want %v", got, ok, tt.want)
			}
		})
	}
}

func TestMayHoldDateLabel(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"Moscow, Russia Updated: Jul 15, 2016, 07:45 AM(IST)", true},
		{"FIRST PUBLISHED ON 15 JULY 2016", true},
		{"Posted 3 hours ago", true},
		{"Date: 2016-07-15", true},
		{"The candidate spoke on Tuesday.", true}, // "date" inside a word: the regular expression decides
		{"Kerry met Putin for three hours at the Kremlin.", false},
		{"An upgrade came later.", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := mayHoldDateLabel(tt.line); got != tt.want {
			t.Errorf("mayHoldDateLabel(%q) = %v, want %v", tt.line, got, tt.want)
		}
		if dateLabel.MatchString(tt.line) && !mayHoldDateLabel(tt.line) {
			t.Errorf("%q: dateLabel matches but mayHoldDateLabel turns it away", tt.line)
		}
	}
}
