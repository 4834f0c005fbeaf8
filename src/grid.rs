//! The result grid's geometry, free of the DOM: how wide a card's frame is for its image, and
//! where the arrow keys move focus among cards laid out in rows of varying length.

/// Which way the grid's rows run: left to right, or right to left on a `dir="rtl"` page, where
/// the first card is at the right and the arrow keys move the other way through the cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Left to right.
    Ltr,
    /// Right to left.
    Rtl,
}

/// The frame ratio (width / height) of an image of `dimensions` as CSS reads it, e.g. `1.500`:
/// cards are as wide as their image at the grid's row height, so a row keeps every image's
/// aspect ratio and nothing moves when the thumbnails arrive. Clamped to 1:2 and 3:1 (the image
/// is shown whole inside its frame, `object-fit: contain`), 3:2 when Getty gave no size.
pub fn frame_ratio(dimensions: Option<(u32, u32)>) -> String {
    let thousandths = match dimensions {
        Some((width, height)) if width > 0 && height > 0 => {
            (u64::from(width) * 1000 / u64::from(height)).clamp(500, 3000)
        }
        _ => 1500,
    };
    // Integer arithmetic: formatting a float would bring a float printer into the bundle.
    format!("{}.{:03}", thousandths / 1000, thousandths % 1000)
}

/// Where a card is: its offset from the grid's top and left edges and its width, in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// Offset from the top; the cards of one row share it.
    pub top: i32,
    /// Offset from the left.
    pub left: i32,
    /// Width.
    pub width: i32,
}

impl Place {
    /// Twice the horizontal centre (no halves).
    fn centre(self) -> i64 {
        2 * i64::from(self.left) + i64::from(self.width)
    }
}

/// The card index that `key` moves focus to from `index`, among cards at `places` (in grid
/// order) whose rows run in `direction`; `None` if the key is not a grid key or would leave the
/// grid. Left and right go to the previous and next card, up and down to the card of the row
/// above or below nearest to this one's centre (rows differ in length), Home and End to the
/// first and last card.
pub fn next_index(
    index: usize,
    key: &str,
    places: &[Place],
    direction: Direction,
) -> Option<usize> {
    let len = places.len();
    let here = *places.get(index)?;
    // The arrow's side of the screen: the next card is on the right in LTR, on the left in RTL.
    let key = match (key, direction) {
        ("ArrowRight", Direction::Rtl) => "ArrowLeft",
        ("ArrowLeft", Direction::Rtl) => "ArrowRight",
        (key, _) => key,
    };
    let target = match key {
        "ArrowRight" => index.checked_add(1)?,
        "ArrowLeft" => index.checked_sub(1)?,
        "ArrowDown" => nearest_in_row(places, here, |top| top > here.top, i32::min)?,
        "ArrowUp" => nearest_in_row(places, here, |top| top < here.top, i32::max)?,
        "Home" => 0,
        "End" => len.checked_sub(1)?,
        _ => return None,
    };
    (target < len && target != index).then_some(target)
}

/// The card nearest to `here`'s centre in the row closest to it among those whose top `side`
/// accepts (`closest` picks that row's top: the least below, the greatest above).
fn nearest_in_row(
    places: &[Place],
    here: Place,
    side: impl Fn(i32) -> bool,
    closest: fn(i32, i32) -> i32,
) -> Option<usize> {
    let row = places
        .iter()
        .map(|place| place.top)
        .filter(|top| side(*top))
        .reduce(closest)?;
    places
        .iter()
        .enumerate()
        .filter(|(_, place)| place.top == row)
        .min_by_key(|(_, place)| (place.centre() - here.centre()).abs())
        .map(|(index, _)| index)
}

#[cfg(test)]
mod tests {
    use super::Direction::{Ltr, Rtl};
    use super::{frame_ratio, next_index, Place};

    /// Rows of cards of the given widths (10 px apart, rows 100 px apart), left to right.
    fn rows(widths: &[&[i32]]) -> Vec<Place> {
        let mut places = Vec::new();
        for (row, widths) in widths.iter().enumerate() {
            let mut left = 0;
            for width in *widths {
                places.push(Place {
                    top: row as i32 * 100,
                    left,
                    width: *width,
                });
                left += width + 10;
            }
        }
        places
    }

    #[test]
    fn frames_follow_the_image_within_bounds() {
        assert_eq!(frame_ratio(Some((4500, 3000))), "1.500");
        assert_eq!(frame_ratio(Some((3000, 4500))), "0.666");
        assert_eq!(frame_ratio(Some((100, 1000))), "0.500");
        assert_eq!(frame_ratio(Some((9000, 1000))), "3.000");
        assert_eq!(frame_ratio(Some((1024, 1024))), "1.000");
        assert_eq!(frame_ratio(Some((0, 10))), "1.500");
        assert_eq!(frame_ratio(None), "1.500");
        assert_eq!(frame_ratio(Some((u32::MAX, 1))), "3.000");
    }

    #[test]
    fn left_right_home_end_and_the_edges() {
        let places = rows(&[&[100, 150, 100], &[200, 100]]);
        let next = |index, key| next_index(index, key, &places, Ltr);
        assert_eq!(next(0, "ArrowRight"), Some(1));
        assert_eq!(next(2, "ArrowRight"), Some(3), "on to the next row");
        assert_eq!(next(3, "ArrowLeft"), Some(2));
        assert_eq!(next(0, "ArrowLeft"), None);
        assert_eq!(next(4, "ArrowRight"), None);
        assert_eq!(next(3, "Home"), Some(0));
        assert_eq!(next(0, "End"), Some(4));
        assert_eq!(next(4, "End"), None);
        assert_eq!(next(1, "a"), None);
        assert_eq!(next_index(0, "End", &[], Ltr), None);
        assert_eq!(next_index(5, "ArrowLeft", &places, Ltr), None);
    }

    #[test]
    fn up_and_down_go_to_the_nearest_card_of_the_next_row() {
        // Row 0: centres 50, 185, 320; row 1: centres 100, 265; row 2: one card, centre 40.
        let places = rows(&[&[100, 150, 100], &[200, 100], &[80]]);
        let next = |index, key| next_index(index, key, &places, Ltr);
        assert_eq!(next(0, "ArrowDown"), Some(3));
        assert_eq!(next(1, "ArrowDown"), Some(4), "185 is nearer 265 than 100");
        assert_eq!(next(2, "ArrowDown"), Some(4));
        assert_eq!(next(4, "ArrowDown"), Some(5), "a shorter row");
        assert_eq!(next(5, "ArrowDown"), None);
        assert_eq!(next(4, "ArrowUp"), Some(2), "265 is nearer 320 than 185");
        assert_eq!(next(3, "ArrowUp"), Some(0));
        assert_eq!(next(0, "ArrowUp"), None);
        assert_eq!(next(5, "ArrowUp"), Some(3));
    }

    #[test]
    fn right_to_left_the_arrows_move_the_other_way_through_the_cards() {
        let places = rows(&[&[100, 100, 100], &[100, 100]]);
        let rtl = |index, key| next_index(index, key, &places, Rtl);
        // The first card is at the right: the left arrow goes on to the second.
        assert_eq!(rtl(0, "ArrowLeft"), Some(1));
        assert_eq!(rtl(1, "ArrowRight"), Some(0));
        assert_eq!(rtl(0, "ArrowRight"), None);
        // Rows and Home/End are the same either way.
        assert_eq!(rtl(1, "ArrowDown"), Some(4));
        assert_eq!(rtl(4, "Home"), Some(0));
    }
}
