//! Did-you-mean: the one way every check picks the known name an unknown one most likely means.

/// How many edits a candidate may be from the word and still be suggested, given the lengths in
/// characters of the word and of the candidate.
pub type Bound = fn(word: usize, candidate: usize) -> usize;

/// No bound: the nearest candidate, however far.
pub const NEAREST: Bound = |_, _| usize::MAX;

/// The candidate closest to `word` by edit distance, ignoring case, if it is within `bound`; the
/// first of equally close candidates wins. Candidates whose length alone puts them out of bound
/// cost no distance computation.
pub fn suggest<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
    bound: Bound,
) -> Option<&'c str> {
    let lower = word.to_lowercase();
    let len = lower.chars().count();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let other = candidate.chars().count();
        let max = bound(len, other);
        if len.abs_diff(other) > max || best.is_some_and(|(d, _)| len.abs_diff(other) >= d) {
            continue;
        }
        let d = strsim::levenshtein(&lower, &candidate.to_lowercase());
        if d <= max && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closest_within_the_bound_and_the_first_of_equals() {
        let one: Bound = |_, _| 1;
        assert_eq!(suggest("Batchh", ["Batch", "CDC"], one), Some("Batch"));
        assert_eq!(suggest("batch", ["Batch", "CDC"], one), Some("Batch"));
        assert_eq!(suggest("Incremental", ["Batch", "CDC"], one), None);
        assert_eq!(suggest("cat", ["bat", "cap"], one), Some("bat"));
        assert_eq!(suggest("cat", ["cap", "bat"], one), Some("cap"));
        assert_eq!(suggest("xyz", ["Batch", "CDC"], NEAREST), Some("CDC"));
        assert_eq!(suggest("xyz", [], NEAREST), None);
    }
}
