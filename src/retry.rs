//! When to try again after Getty says 429 (it sends no `Retry-After`).

/// Retries after a 429 before the editor sees a message.
pub const MAX_RETRIES: u32 = 3;

/// First delay; each further retry doubles it.
const BASE_DELAY_MS: f64 = 400.0;

/// Delay before retry number `attempt` (0-based), given `random` in `[0, 1)`.
///
/// Exponential with "full jitter" in its upper half, so pickers that were throttled together
/// do not come back together, while every retry still waits at least half its nominal delay.
pub fn backoff_ms(attempt: u32, random: f64) -> f64 {
    let nominal = BASE_DELAY_MS * f64::from(1_u32 << attempt.min(10));
    let random = if random.is_nan() {
        0.0
    } else {
        random.clamp(0.0, 1.0)
    };
    nominal / 2.0 + nominal / 2.0 * random
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_with_bounded_jitter() {
        assert_eq!(backoff_ms(0, 0.0), 200.0);
        assert_eq!(backoff_ms(0, 1.0), 400.0);
        assert_eq!(backoff_ms(1, 0.5), 600.0);
        assert_eq!(backoff_ms(2, 0.0), 800.0);
        assert_eq!(backoff_ms(2, 1.0), 1600.0);
    }

    #[test]
    fn odd_inputs_stay_bounded() {
        assert_eq!(backoff_ms(99, 2.0), backoff_ms(10, 1.0));
        assert_eq!(backoff_ms(0, -1.0), 200.0);
        assert_eq!(backoff_ms(0, f64::NAN), 200.0);
    }
}
