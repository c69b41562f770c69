//! The emulator's clock. Every time the emulator reads — the lifecycles of long-running
//! operations and job instances, token expiry, the timestamps it writes — comes from the
//! [`Clock`] of its [`Config`](crate::Config): the system's by default, or a manual one that a
//! test moves with [`ManualClock::advance`], so what happens "later" happens exactly when the
//! test says and never because a busy machine was slow.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

/// Where the emulator reads the time.
///
/// ```
/// use copyjob_emulator::{Clock, Config};
/// use std::time::Duration;
///
/// let clock = Clock::manual();
/// let config = Config { clock: clock.clock(), ..Config::default() };
/// let before = config.clock.now_utc();
/// clock.advance(Duration::from_secs(90));
/// assert_eq!(config.clock.now_utc() - before, Duration::from_secs(90));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Clock(Source);

#[derive(Debug, Clone, Default)]
enum Source {
    #[default]
    System,
    Manual(ManualClock),
}

impl Clock {
    /// The system's clock (`Instant::now()`, `OffsetDateTime::now_utc()`): the default.
    pub fn system() -> Self {
        Clock(Source::System)
    }

    /// A clock that stands still until [`ManualClock::advance`] moves it, starting at the
    /// current UTC time. Give [`ManualClock::clock`] to the emulator and keep the handle.
    pub fn manual() -> ManualClock {
        Self::manual_at(OffsetDateTime::now_utc())
    }

    /// A manual clock that starts at `utc` (timestamps a test can compare exactly).
    pub fn manual_at(utc: OffsetDateTime) -> ManualClock {
        ManualClock(Arc::new(Manual {
            start: Instant::now(),
            start_utc: utc,
            elapsed: Mutex::new(Duration::ZERO),
        }))
    }

    /// Whether this is a manual clock.
    pub fn is_manual(&self) -> bool {
        matches!(self.0, Source::Manual(_))
    }

    /// The monotonic time, for durations.
    pub fn now(&self) -> Instant {
        match &self.0 {
            Source::System => Instant::now(),
            Source::Manual(manual) => manual.0.start + manual.elapsed(),
        }
    }

    /// The UTC time, for timestamps. On a manual clock: its start plus the time it was moved.
    pub fn now_utc(&self) -> OffsetDateTime {
        match &self.0 {
            Source::System => OffsetDateTime::now_utc(),
            Source::Manual(manual) => manual.0.start_utc + manual.elapsed(),
        }
    }
}

/// The handle of a manual clock: [`Clock::manual`] makes one. Clones share the time.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Manual>);

#[derive(Debug)]
struct Manual {
    /// The `Instant` the clock started at (an `Instant` has no meaning of its own).
    start: Instant,
    start_utc: OffsetDateTime,
    /// How far the clock was moved.
    elapsed: Mutex<Duration>,
}

impl ManualClock {
    /// The clock to put in [`Config::clock`](crate::Config::clock).
    pub fn clock(&self) -> Clock {
        Clock(Source::Manual(self.clone()))
    }

    /// Moves the clock forward by `by`. A move past what `Instant` or `OffsetDateTime` can
    /// represent leaves the clock where it was.
    pub fn advance(&self, by: Duration) {
        let mut elapsed = self.0.elapsed.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(next) = elapsed.checked_add(by) else { return };
        let representable = self.0.start.checked_add(next).is_some()
            && time::Duration::try_from(next).ok().and_then(|d| self.0.start_utc.checked_add(d)).is_some();
        if representable {
            *elapsed = next;
        }
    }

    /// How far the clock was moved since it started.
    pub fn elapsed(&self) -> Duration {
        *self.0.elapsed.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl From<ManualClock> for Clock {
    fn from(manual: ManualClock) -> Self {
        manual.clock()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_manual_clock_moves_only_when_advanced() {
        let handle = Clock::manual_at(datetime!(2026-01-01 00:00:00 UTC));
        let clock = handle.clock();
        assert!(clock.is_manual());
        let (t0, utc0) = (clock.now(), clock.now_utc());
        assert_eq!(utc0, datetime!(2026-01-01 00:00:00 UTC));
        // Real time passes; the clock does not.
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(clock.now(), t0);
        assert_eq!(clock.now_utc(), utc0);
        assert_eq!(handle.elapsed(), Duration::ZERO);

        handle.advance(Duration::from_millis(1500));
        assert_eq!(clock.now() - t0, Duration::from_millis(1500));
        assert_eq!(clock.now_utc(), datetime!(2026-01-01 00:00:01.5 UTC));
        // Clones share the time, whichever of them moves it.
        let other: Clock = handle.clone().into();
        handle.clone().advance(Duration::from_secs(3600));
        assert_eq!(other.now(), clock.now());
        assert_eq!(clock.now_utc(), datetime!(2026-01-01 01:00:01.5 UTC));
        assert_eq!(handle.elapsed(), Duration::from_millis(3_601_500));
    }

    #[test]
    fn an_unrepresentable_move_leaves_the_clock_where_it_was() {
        let handle = Clock::manual_at(datetime!(2026-01-01 00:00:00 UTC));
        handle.advance(Duration::from_secs(1));
        handle.advance(Duration::MAX);
        assert_eq!(handle.elapsed(), Duration::from_secs(1));
        assert_eq!(handle.clock().now_utc(), datetime!(2026-01-01 00:00:01 UTC));
        let late = Clock::manual_at(datetime!(9999-12-31 23:59:59 UTC));
        late.advance(Duration::from_secs(2));
        assert_eq!(late.clock().now_utc(), datetime!(9999-12-31 23:59:59 UTC));
    }

    #[test]
    fn the_system_clock_follows_real_time() {
        let clock = Clock::default();
        assert!(!clock.is_manual() && !Clock::system().is_manual());
        let t0 = clock.now();
        std::thread::sleep(Duration::from_millis(20));
        assert!(clock.now() > t0);
        let before = OffsetDateTime::now_utc();
        let utc = clock.now_utc();
        assert!(before <= utc && utc <= OffsetDateTime::now_utc());
    }
}
