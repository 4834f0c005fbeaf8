//! Arrow-key movement in the result grid (roving tabindex), free of the DOM.

/// Which way the grid's rows run: left to right, or right to left on a `dir="rtl"` page, where
/// the first card is at the right and the arrow keys move the other way through the cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Left to right.
    Ltr,
    /// Right to left.
    Rtl,
}

/// The card index that `key` moves focus to from `index`, in a grid of `len` cards laid out
/// in `columns` columns running in `direction`; `None` if the key is not a grid key or would
/// leave the grid.
pub fn next_index(
    index: usize,
    key: &str,
    len: usize,
    columns: usize,
    direction: Direction,
) -> Option<usize> {
    let columns = columns.max(1);
    // The arrow's side of the screen: the next card is on the right in LTR, on the left in RTL.
    let key = match (key, direction) {
        ("ArrowRight", Direction::Rtl) => "ArrowLeft",
        ("ArrowLeft", Direction::Rtl) => "ArrowRight",
        (key, _) => key,
    };
    let target = match key {
        "ArrowRight" => index.checked_add(1)?,
        "ArrowLeft" => index.checked_sub(1)?,
        "ArrowDown" => index.checked_add(columns)?,
        "ArrowUp" => index.checked_sub(columns)?,
        "Home" => 0,
        "End" => len.checked_sub(1)?,
        _ => return None,
    };
    (target < len && target != index).then_some(target)
}

#[cfg(test)]
mod tests {
    use super::next_index;
    use super::Direction::{Ltr, Rtl};

    fn next(index: usize, key: &str, len: usize, columns: usize) -> Option<usize> {
        next_index(index, key, len, columns, Ltr)
    }

    #[test]
    fn moves_within_the_grid() {
        // 10 cards in 4 columns: rows 0-3, 4-7, 8-9.
        assert_eq!(next(0, "ArrowRight", 10, 4), Some(1));
        assert_eq!(next(3, "ArrowRight", 10, 4), Some(4));
        assert_eq!(next(1, "ArrowDown", 10, 4), Some(5));
        assert_eq!(next(5, "ArrowUp", 10, 4), Some(1));
        assert_eq!(next(5, "End", 10, 4), Some(9));
        assert_eq!(next(5, "Home", 10, 4), Some(0));
    }

    #[test]
    fn stops_at_the_edges_and_ignores_other_keys() {
        assert_eq!(next(0, "ArrowLeft", 10, 4), None);
        assert_eq!(next(1, "ArrowUp", 10, 4), None);
        assert_eq!(next(7, "ArrowDown", 10, 4), None);
        assert_eq!(next(9, "ArrowRight", 10, 4), None);
        assert_eq!(next(0, "Home", 10, 4), None);
        assert_eq!(next(2, "a", 10, 4), None);
        assert_eq!(next(0, "End", 0, 4), None);
        assert_eq!(next(0, "ArrowDown", 3, 0), Some(1));
    }

    #[test]
    fn right_to_left_the_arrows_move_the_other_way_through_the_cards() {
        let rtl = |index, key| next_index(index, key, 10, 4, Rtl);
        // The first card is at the right: the left arrow goes on to the second.
        assert_eq!(rtl(0, "ArrowLeft"), Some(1));
        assert_eq!(rtl(1, "ArrowRight"), Some(0));
        assert_eq!(rtl(0, "ArrowRight"), None);
        // Rows and Home/End are the same either way.
        assert_eq!(rtl(1, "ArrowDown"), Some(5));
        assert_eq!(rtl(5, "Home"), Some(0));
    }
}
