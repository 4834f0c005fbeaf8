//! What each image the sandbox has shown is of. The catalogue titles an image after the phrase
//! of the search that found it; an image's own metadata and its neighbours keep that subject,
//! so that the image an editor chose from a search for "kitties" is a kitten wherever it is
//! looked up again.

use std::collections::{HashMap, VecDeque};

/// How many images are remembered; the oldest are forgotten first (an image then gets the
/// title of an empty search).
pub const CAPACITY: usize = 100_000;

/// The phrase each shown image was last shown for, bounded by [`CAPACITY`].
#[derive(Debug, Default)]
pub struct Subjects {
    /// Id to (phrase, the number of the remembering that set it).
    phrases: HashMap<String, (String, u64)>,
    /// Every remembering, oldest first, with its number; stale ones are skipped on eviction.
    order: VecDeque<(String, u64)>,
    next: u64,
}

impl Subjects {
    /// Remembers that `id` was shown for `phrase`.
    pub fn remember(&mut self, id: &str, phrase: &str) {
        if self
            .phrases
            .get(id)
            .is_some_and(|(known, _)| known == phrase)
        {
            return;
        }
        let number = self.next;
        self.next += 1;
        self.phrases
            .insert(id.to_owned(), (phrase.to_owned(), number));
        self.order.push_back((id.to_owned(), number));
        while self.phrases.len() > CAPACITY {
            let Some((oldest, number)) = self.order.pop_front() else {
                break;
            };
            if self.phrases.get(&oldest).is_some_and(|(_, n)| *n == number) {
                self.phrases.remove(&oldest);
            }
        }
        // Stale entries of ids remembered again would otherwise pile up.
        if self.order.len() > 2 * CAPACITY {
            let phrases = &self.phrases;
            self.order
                .retain(|(id, number)| phrases.get(id).is_some_and(|(_, n)| n == number));
        }
    }

    /// The phrase `id` was last shown for, if any.
    pub fn phrase_of(&self, id: &str) -> Option<&str> {
        self.phrases.get(id).map(|(phrase, _)| phrase.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_phrase_wins_and_the_oldest_are_forgotten() {
        let mut subjects = Subjects::default();
        assert_eq!(subjects.phrase_of("1"), None);
        subjects.remember("1", "kitties");
        subjects.remember("2", "storm");
        subjects.remember("1", "puppies");
        assert_eq!(subjects.phrase_of("1"), Some("puppies"));
        for n in 0..CAPACITY {
            subjects.remember(&format!("x{n}"), "filler");
        }
        // "2" was the oldest; "1" was remembered again after it, then pushed out too.
        assert_eq!(subjects.phrase_of("2"), None);
        assert_eq!(subjects.phrase_of("1"), None);
        assert_eq!(subjects.phrase_of("x1"), Some("filler"));
        assert_eq!(subjects.phrases.len(), CAPACITY);
        assert!(subjects.order.len() <= 2 * CAPACITY);
    }
}
