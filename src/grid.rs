//! Arrow-key movement in the result grid (roving tabindex), free of the DOM.

/// The card index that `key` moves focus to from `index`, in a grid of `len` cards laid out
/// in `columns` columns; `None` if the key is not a grid key or would leave the grid.
pub fn next_index(index: usize, key: &str, len: usize, columns: usize) -> Option<usize> {
    let columns = columns.max(1);
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

    #[test]
    fn moves_within_the_grid() {
        // 10 cards in 4 columns: rows 0-3, 4-7, 8-9.
        assert_eq!(next_index(0, "ArrowRight", 10, 4), Some(1));
        assert_eq!(next_index(3, "ArrowRight", 10, 4), Some(4));
        assert_eq!(next_index(1, "ArrowDown", 10, 4), Some(5));
        assert_eq!(next_index(5, "ArrowUp", 10, 4), Some(1));
        assert_eq!(next_index(5, "End", 10, 4), Some(9));
        assert_eq!(next_index(5, "Home", 10, 4), Some(0));
    }

    #[test]
    fn stops_at_the_edges_and_ignores_other_keys() {
        assert_eq!(next_index(0, "ArrowLeft", 10, 4), None);
        assert_eq!(next_index(1, "ArrowUp", 10, 4), None);
        assert_eq!(next_index(7, "ArrowDown", 10, 4), None);
        assert_eq!(next_index(9, "ArrowRight", 10, 4), None);
        assert_eq!(next_index(0, "Home", 10, 4), None);
        assert_eq!(next_index(2, "a", 10, 4), None);
        assert_eq!(next_index(0, "End", 0, 4), None);
        assert_eq!(next_index(0, "ArrowDown", 3, 0), Some(1));
    }
}
