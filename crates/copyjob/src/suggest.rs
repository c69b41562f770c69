//! Did-you-mean: the one way every check picks the known name an unknown one most likely means.

use std::borrow::Cow;

/// How many edits a candidate may be from the word and still be suggested, given the lengths in
/// characters of the word and of the candidate.
pub type Bound = fn(word: usize, candidate: usize) -> usize;

/// No bound: the nearest candidate, however far.
pub const NEAREST: Bound = |_, _| usize::MAX;

/// The candidate closest to `word` by edit distance, ignoring case, if it is within `bound`; the
/// first of equally close candidates wins. Candidates whose length or letters alone put them out
/// of bound cost no distance computation.
pub fn suggest<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
    bound: Bound,
) -> Option<&'c str> {
    let word = Word::new(word);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let (len, sig) = shape(candidate.chars().flat_map(char::to_lowercase));
        let lower = || Some(Cow::Owned(candidate.to_lowercase()));
        if let Some(d) = word.distance(len, sig, lower, bound, best.map(|(d, _)| d)) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Candidates prepared once for many words (their lower-case spellings, lengths and letters), for
/// a caller that looks up many words in the same list.
#[derive(Debug, Default)]
pub struct Prepared {
    items: Vec<(String, usize, u64)>,
    /// Each length of the candidates (in characters) and the indexes of the candidates of that
    /// length, in order: a lookup reads only the lengths its bound can reach.
    lengths: Vec<(usize, Vec<usize>)>,
    /// The characters of all the candidates: the union of their signatures.
    union: u64,
}

impl Prepared {
    pub fn new<'c>(candidates: impl IntoIterator<Item = &'c str>) -> Self {
        let items = candidates
            .into_iter()
            .map(|c| {
                let lower = c.to_lowercase();
                let (len, sig) = shape(lower.chars());
                (lower, len, sig)
            })
            .collect::<Vec<_>>();
        let mut lengths: Vec<(usize, Vec<usize>)> = Vec::new();
        for (i, (_, len, _)) in items.iter().enumerate() {
            match lengths.iter_mut().find(|(l, _)| l == len) {
                Some((_, indexes)) => indexes.push(i),
                None => lengths.push((*len, vec![i])),
            }
        }
        let union = items.iter().fold(0, |union, (_, _, sig)| union | sig);
        Prepared { items, lengths, union }
    }

    /// As [`suggest`]: the index of the candidate closest to `word` within `bound`, leaving out
    /// the candidates whose lower-case spelling `skip` refuses.
    pub fn nearest(&self, word: &str, bound: Bound, skip: impl Fn(&str) -> bool) -> Option<usize> {
        // Most words looked up are in lower case already (part paths, keys): none copied then.
        if word.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
            return self.nearest_lower(word, bound, skip);
        }
        self.nearest_lower(&word.to_lowercase(), bound, skip)
    }

    /// [`Prepared::nearest`] for a word already in lower case.
    pub fn nearest_lower(&self, lower: &str, bound: Bound, skip: impl Fn(&str) -> bool) -> Option<usize> {
        let word = Word::from_lower(Cow::Borrowed(lower));
        // A character no candidate has costs an edit against each: with more of those than the
        // widest bound the lengths allow, no candidate is near (a key of digits, say, is judged
        // without reading the candidates).
        let widest = self.lengths.iter().map(|(len, _)| bound(word.len, *len)).max().unwrap_or(0);
        if (word.sig & !self.union).count_ones() as usize > widest {
            return None;
        }
        // The candidates of the lengths the bound reaches, in their order (the first of equally
        // close ones wins).
        let indexes = self
            .lengths
            .iter()
            .filter(|(len, _)| word.len.abs_diff(*len) <= bound(word.len, *len))
            .flat_map(|(_, indexes)| indexes.iter().copied());
        // A short list is gathered on the stack (an allocation per word looked up was most of
        // judging an unknown part's path).
        let (mut small, mut large) = ([0; 32], Vec::new());
        let reachable: &mut [usize] = if self.items.len() <= small.len() {
            let mut n = 0;
            for (slot, i) in small.iter_mut().zip(indexes) {
                *slot = i;
                n += 1;
            }
            &mut small[..n]
        } else {
            large.extend(indexes);
            &mut large
        };
        reachable.sort_unstable();
        let mut best: Option<(usize, usize)> = None;
        for &i in reachable.iter() {
            let (lower, len, sig) = &self.items[i];
            // `skip` is asked only of a candidate the length and letters leave in.
            let candidate = || (!skip(lower)).then_some(Cow::Borrowed(lower.as_str()));
            if let Some(d) = word.distance(*len, *sig, candidate, bound, best.map(|(d, _)| d)) {
                best = Some((d, i));
            }
        }
        best.map(|(_, i)| i)
    }
}

/// A word being looked up: its lower-case spelling, length in characters and letters.
struct Word<'w> {
    lower: Cow<'w, str>,
    len: usize,
    sig: u64,
}

impl<'w> Word<'w> {
    fn new(word: &str) -> Self {
        Self::from_lower(Cow::Owned(word.to_lowercase()))
    }

    fn from_lower(lower: Cow<'w, str>) -> Self {
        let (len, sig) = shape(lower.chars());
        Word { lower, len, sig }
    }

    /// The distance to a candidate, when it is within the bound and closer than `best` (`lower`
    /// spells it in lower case, or refuses it).
    fn distance<'c>(
        &self,
        len: usize,
        sig: u64,
        lower: impl FnOnce() -> Option<Cow<'c, str>>,
        bound: Bound,
        best: Option<usize>,
    ) -> Option<usize> {
        let max = bound(self.len, len);
        let apart = self.len.abs_diff(len);
        if apart > max || best.is_some_and(|d| apart >= d) {
            return None;
        }
        // Each letter of one word that the other lacks takes an edit at least: with more of those
        // than the bound allows (distinct letters, counted by their signature bits), the
        // candidate is out of bound without computing the distance.
        let missing = (self.sig & !sig).count_ones().max((sig & !self.sig).count_ones());
        if missing as usize > max {
            return None;
        }
        let d = strsim::levenshtein(&self.lower, &lower()?);
        (d <= max && best.is_none_or(|b| d < b)).then_some(d)
    }
}

/// The length in characters of a lower-case word and its letter signature: a bit per ASCII letter
/// or digit, other ASCII characters folded onto the next bits, every other character on the last
/// one. Two words' signatures never show a letter missing that is not (characters sharing a bit
/// can only hide differences, so lower-casing a character alone or within its word, which differ
/// only outside ASCII, agrees too).
fn shape(chars: impl Iterator<Item = char>) -> (usize, u64) {
    chars.fold((0, 0), |(len, sig), c| {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            '0'..='9' => 26 + (c as u32 - '0' as u32),
            _ if c.is_ascii() => 36 + (c as u32 % 27),
            _ => 63,
        };
        (len + 1, sig | 1 << bit)
    })
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

    #[test]
    fn the_letter_filter_never_drops_a_candidate_within_the_bound() {
        // Random words over a small alphabet (upper case, non-ASCII letters folded onto shared
        // bits, `İ` longer in lower case, `Σ` lower-cased by its place in the word):
        // the filtered answer equals the plain nearest within every bound.
        let alphabet: Vec<char> = "abcxyzé1ß-_AXÉİΣ".chars().collect();
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        let mut word = |len: Option<usize>| -> String {
            let len = len.unwrap_or_else(|| 1 + next(7));
            (0..len).map(|_| alphabet[next(alphabet.len())]).collect()
        };
        let all: Vec<String> = (0..40).map(|i| word(Some(1 + i % 7))).collect();
        // A list of up to 32 candidates gathers the reachable ones on the stack, a longer one
        // in a vector: both are held to the plain search.
        let lists = [&all[..12], &all[..]];
        let prepared = lists.map(|list| Prepared::new(list.iter().map(String::as_str)));
        let bounds: [Bound; 3] = [|_, _| 1, |_, _| 2, |w, _| w / 2];
        for round in 0..4000 {
            let w = word(None);
            let (candidates, prepared) = (lists[round % 2], &prepared[round % 2]);
            for bound in bounds {
                // Case is ignored: compared in lower case, lengths counted in lower case.
                let lw = w.to_lowercase();
                let plain = candidates
                    .iter()
                    .map(|c| c.to_lowercase())
                    .enumerate()
                    .map(|(i, c)| (strsim::levenshtein(&lw, &c), i, c.chars().count()))
                    .filter(|&(d, _, len)| d <= bound(lw.chars().count(), len))
                    .map(|(d, i, _)| (d, i))
                    .min()
                    .map(|(_, i)| i);
                assert_eq!(prepared.nearest(&w, bound, |_| false), plain, "{w}");
                assert_eq!(
                    suggest(&w, candidates.iter().map(String::as_str), bound),
                    plain.map(|i| candidates[i].as_str())
                );
            }
        }
    }
}
