//! Windowing for long lists of fixed-height rows: only the rows near the viewport exist
//! in the DOM, between spacers that keep the scrollbar true to the whole list. Pure
//! arithmetic, tested natively; `ConversationList` wires it to scroll and resize.

use std::ops::Range;

/// The rows to render for a viewport (all numbers in CSS pixels).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    pub scroll_top: f64,
    pub viewport: f64,
    pub row: f64,
    /// Rows rendered beyond each edge of the viewport, so fast scrolling and Tab find
    /// rows already there.
    pub overscan: usize,
    /// At least this many rows are rendered (when the list has them): short lists render
    /// whole, and a lookup by name finds what a sighted user finds by scrolling a little.
    pub min_rows: usize,
}

impl Window {
    /// Indices of the rows to render out of `len`.
    pub fn range(&self, len: usize) -> Range<usize> {
        if len == 0 || self.row <= 0.0 {
            return 0..0;
        }
        let top = (self.scroll_top.max(0.0) / self.row).floor() as usize;
        let bottom = ((self.scroll_top.max(0.0) + self.viewport.max(0.0)) / self.row).ceil() as usize;
        let mut start = top.saturating_sub(self.overscan).min(len);
        let end = bottom.saturating_add(self.overscan).max(start + self.min_rows).min(len);
        // Near the end the minimum extends upwards instead.
        start = start.min(end.saturating_sub(self.min_rows));
        start..end
    }

    /// The scroll position that shows row `index` whole, moving as little as possible
    /// (`None`: it is already in view).
    pub fn reveal(&self, index: usize) -> Option<f64> {
        let top = index as f64 * self.row;
        let bottom = top + self.row;
        if top < self.scroll_top {
            Some(top)
        } else if bottom > self.scroll_top + self.viewport {
            Some((bottom - self.viewport).max(0.0))
        } else {
            None
        }
    }

    /// How many rows a page (Page Up / Page Down) moves.
    pub fn page_rows(&self) -> usize {
        if self.row <= 0.0 { 1 } else { ((self.viewport / self.row).floor() as usize).saturating_sub(1).max(1) }
    }
}

/// The row a navigation key leads to from `current` among `len` rows (`None`: the key
/// is not a navigation key, or the list is empty).
pub fn step(key: &str, current: Option<usize>, len: usize, page: usize) -> Option<usize> {
    let last = len.checked_sub(1)?;
    let at = current.unwrap_or(0).min(last);
    Some(match key {
        "ArrowDown" if current.is_none() => 0,
        "ArrowDown" => (at + 1).min(last),
        "ArrowUp" => at.saturating_sub(1),
        "PageDown" => (at + page).min(last),
        "PageUp" => at.saturating_sub(page),
        "Home" => 0,
        "End" => last,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(scroll_top: f64) -> Window {
        Window { scroll_top, viewport: 700.0, row: 70.0, overscan: 5, min_rows: 30 }
    }

    #[test]
    fn ranges() {
        #[rustfmt::skip]
        let rows: &[(f64, usize, Range<usize>)] = &[
            (0.0, 0, 0..0),
            (0.0, 12, 0..12),            // short lists render whole
            (0.0, 20_000, 0..30),        // the minimum
            (7_000.0, 20_000, 95..125),  // rows 100..110 in view, 5 either side, then the minimum
            (70_000.0, 20_000, 995..1025),
            (35.0, 20_000, 0..30),
            (1_399_300.0, 20_000, 19_970..20_000), // the end: the minimum reaches upwards
            (9e9, 20_000, 19_970..20_000),
            (-50.0, 100, 0..30),
        ];
        for (scroll_top, len, expected) in rows {
            assert_eq!(window(*scroll_top).range(*len), *expected, "scroll {scroll_top} of {len}");
        }
        let w = Window { scroll_top: 7_000.0, viewport: 700.0, row: 70.0, overscan: 40, min_rows: 100 };
        let r = w.range(20_000);
        assert!(r.len() < 150 && r.contains(&100) && r.contains(&109), "{r:?}");
    }

    #[test]
    fn reveals_with_the_least_scroll() {
        let w = window(700.0); // rows 10..20 in view
        assert_eq!(w.reveal(12), None);
        assert_eq!(w.reveal(9), Some(630.0));
        assert_eq!(w.reveal(20), Some(770.0));
        assert_eq!(w.page_rows(), 9);
    }

    #[test]
    fn keys_move_within_bounds() {
        #[rustfmt::skip]
        let rows: &[(&str, Option<usize>, usize, Option<usize>)] = &[
            ("ArrowDown", None, 5, Some(0)), ("ArrowDown", Some(0), 5, Some(1)), ("ArrowDown", Some(4), 5, Some(4)),
            ("ArrowUp", Some(0), 5, Some(0)), ("ArrowUp", Some(3), 5, Some(2)), ("ArrowUp", None, 5, Some(0)),
            ("PageDown", Some(1), 50, Some(10)), ("PageDown", Some(45), 50, Some(49)), ("PageUp", Some(5), 50, Some(0)),
            ("Home", Some(7), 50, Some(0)), ("End", Some(7), 50, Some(49)),
            ("ArrowDown", Some(9), 5, Some(4)), // the list shrank under the focus
            ("Enter", Some(1), 5, None), ("ArrowDown", None, 0, None),
        ];
        for &(key, current, len, expected) in rows {
            assert_eq!(step(key, current, len, 9), expected, "{key} from {current:?} of {len}");
        }
    }
}
