//! Timestamps in the service's format.

use time::OffsetDateTime;

/// `2026-04-27T07:11:35.2470885`: UTC, no `Z`, up to seven fractional digits with trailing
/// zeros dropped, as the service writes `startTimeUtc`, `createdTimeUtc` and the like.
pub fn service_timestamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let mut s = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    let ticks = t.nanosecond() / 100;
    if ticks != 0 {
        let frac = format!("{ticks:07}");
        s.push('.');
        s.push_str(frac.trim_end_matches('0'));
    }
    s
}

/// `9/2/2025 5:21:55 PM`, the format of the time in the throttling message.
pub fn us_timestamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let (hour12, meridiem) = match t.hour() {
        0 => (12, "AM"),
        h @ 1..=11 => (h, "AM"),
        12 => (12, "PM"),
        h => (h - 12, "PM"),
    };
    format!(
        "{}/{}/{} {}:{:02}:{:02} {}",
        u8::from(t.month()),
        t.day(),
        t.year(),
        hour12,
        t.minute(),
        t.second(),
        meridiem
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn formats_like_the_service() {
        assert_eq!(
            service_timestamp(datetime!(2026-04-27 07:11:35.2470885 UTC)),
            "2026-04-27T07:11:35.2470885"
        );
        assert_eq!(service_timestamp(datetime!(2025-09-07 14:59:18.14 UTC)), "2025-09-07T14:59:18.14");
        assert_eq!(service_timestamp(datetime!(2025-09-07 14:59:18 UTC)), "2025-09-07T14:59:18");
        assert_eq!(us_timestamp(datetime!(2025-09-02 17:21:55 UTC)), "9/2/2025 5:21:55 PM");
        assert_eq!(us_timestamp(datetime!(2025-09-02 00:01:02 UTC)), "9/2/2025 12:01:02 AM");
    }
}
