use crate::json::Target;
use crate::json::ValueRef;
use crate::lint::{declare_rule, LintContext, Rule, RuleMeta};

declare_rule! {
    /// ## What it does
    ///
    /// Checks the parts of `policy.timeout` (`[d.]hh:mm:ss`): hours 0–23, minutes and seconds
    /// 0–59, and a timeout longer than zero.
    ///
    /// ## Why
    ///
    /// The documented pattern `((\d+)\.)?(\d\d):(60|([0-5][0-9])):(60|([0-5][0-9]))` accepts
    /// `0.25:00:00` and `01:60:00`, but the value is a .NET time span, which has no 25th hour and
    /// no 60th minute: such a timeout is rejected or silently means something else. Write
    /// `1.01:00:00` for 25 hours. A zero timeout stops the job at once.
    ///
    /// ## Examples
    ///
    /// Invalid:
    ///
    /// ```json invalid
    /// { "properties": { "jobMode": "Batch", "policy": { "timeout": "0.36:00:00" } }, "activities": [] }
    /// ```
    ///
    /// Valid:
    ///
    /// ```json valid
    /// { "properties": { "jobMode": "Batch", "policy": { "timeout": "1.12:00:00" } }, "activities": [] }
    /// ```
    TimeoutOutOfRange {
        name: "timeout-out-of-range",
        severity: Error,
        fixable: false,
        evidence: "Microsoft Learn, Copy job definition: CopyJobPolicy.timeout pattern ((\\d+)\\.)?(\\d\\d):(60|([0-5][0-9])):(60|([0-5][0-9])); real values 0.12:00:00, 01:00:00, 1.00:00:00 are .NET TimeSpan strings ([d.]hh:mm:ss, hours < 24).",
    }
}

/// The (hours, minutes, seconds, total seconds) of a `[d.]hh:mm:ss` timeout that matches the
/// documented pattern.
fn parse(timeout: &str) -> Option<(u64, u64, u64, u64)> {
    let (days, clock) = match timeout.split_once('.') {
        Some((d, rest)) => (d.parse::<u64>().ok()?, rest),
        None => (0, timeout),
    };
    let mut fields = clock.split(':').map(|f| (f.len() == 2).then(|| f.parse::<u64>().ok()).flatten());
    let (h, m, s) = (fields.next()??, fields.next()??, fields.next()??);
    if fields.next().is_some() {
        return None;
    }
    Some((h, m, s, ((days * 24 + h) * 60 + m) * 60 + s))
}

impl Rule for TimeoutOutOfRange {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut LintContext<'_>) {
        let Some(content) = ctx.content else { return };
        let Some(timeout) =
            ctx.content_value().and_then(|v| v.at("/properties/policy/timeout")).and_then(ValueRef::as_str)
        else {
            return;
        };
        let Some((h, m, s, total)) = parse(timeout) else { return };
        let problem = if h > 23 {
            Some(format!("{h} hours: a time span has hours 0 to 23"))
        } else if m > 59 || s > 59 {
            Some("60 minutes or seconds: a time span counts them 0 to 59".to_owned())
        } else if total == 0 {
            Some("zero: the job would time out at once".to_owned())
        } else {
            None
        };
        if let Some(problem) = problem {
            let help = if total > 0 {
                let (d, rest) = (total / 86_400, total % 86_400);
                format!(
                    "write it as \"{d}.{:02}:{:02}:{:02}\" (days.hours:minutes:seconds)",
                    rest / 3600,
                    rest % 3600 / 60,
                    rest % 60
                )
            } else {
                "use a timeout longer than zero, for example \"0.12:00:00\" for 12 hours".to_owned()
            };
            ctx.report(
                content,
                "/properties/policy/timeout",
                Target::Value,
                format!("the timeout \"{timeout}\" is out of range: {problem}"),
                Some(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses_time_spans() {
        assert_eq!(super::parse("0.12:00:00"), Some((12, 0, 0, 43_200)));
        assert_eq!(super::parse("01:00:00"), Some((1, 0, 0, 3_600)));
        assert_eq!(super::parse("1.00:00:60"), Some((0, 0, 60, 86_460)));
        assert_eq!(super::parse("12h"), None);
    }
}
