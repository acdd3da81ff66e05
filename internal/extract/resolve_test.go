package extract

import (
	"slices"
	"testing"
)

func TestSortNearestIsAStableSortLatestFirst(t *testing.T) {
	for _, pos := range [][]int{
		nil,
		{5},
		{1, 2, 3, 4},
		{4, 3, 2, 1},
		{3, 1, 3, 2, 1, 3},
		{7, 7, 7},
		{-2, 10, -2, 0, 10, 4, 4, -9},
	} {
		var nears []nearEntity
		for i, p := range pos {
			nears = append(nears, nearEntity{entity: i, pos: p})
		}
		want := slices.Clone(nears)
		slices.SortStableFunc(want, func(a, b nearEntity) int { return b.pos - a.pos })
		sortNearest(nears)
		if !slices.Equal(nears, want) {
			t.Errorf("sortNearest of positions %v = %v, want %v", pos, nears, want)
		}
	}
}
