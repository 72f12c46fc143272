//! A set of 64-bit fingerprints, for remembering a million ids or keys in
//! little memory.
//!
//! The values are already hashes, so the set uses them as they are (no
//! second hash) in one flat table with linear probing: one cache miss per
//! insert on a large table, where a general hash set takes two (control
//! bytes and slots apart) and hashes every value again. 8 bytes per slot,
//! at most 80% full.

use std::hash::{DefaultHasher, Hasher};

/// A fixed 64-bit hash of `parts` (SipHash with zero keys, so the same on
/// every run), each part ended by a zero byte so that `("ab", "c")` and
/// `("a", "bc")` differ.
///
/// ```
/// use paper_model::fingerprint;
///
/// assert_eq!(fingerprint(&["id", "lecun1998"]), fingerprint(&["id", "lecun1998"]));
/// assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
/// ```
pub fn fingerprint(parts: &[&str]) -> u64 {
    let mut hasher = DefaultHasher::new();
    for part in parts {
        hasher.write(part.as_bytes());
        hasher.write_u8(0);
    }
    hasher.finish()
}

/// A set of [`fingerprint`]s.
///
/// ```
/// use paper_model::{FingerprintSet, fingerprint};
///
/// let mut seen = FingerprintSet::default();
/// assert!(seen.insert(fingerprint(&["vaswani2017attention"])));
/// assert!(!seen.insert(fingerprint(&["vaswani2017attention"])));
/// assert!(seen.contains(fingerprint(&["vaswani2017attention"])));
/// assert_eq!(seen.len(), 1);
/// ```
#[derive(Clone, Debug, Default)]
pub struct FingerprintSet {
    /// Power-of-two table; 0 marks an empty slot (the fingerprint 0 is
    /// stored as 1, a collision of one value in 2^64).
    slots: Vec<u64>,
    len: usize,
}

impl FingerprintSet {
    /// Adds `value`; false when it was there already.
    pub fn insert(&mut self, value: u64) -> bool {
        if (self.len + 1) * 5 > self.slots.len() * 4 {
            self.grow();
        }
        let value = value.max(1);
        let mask = self.slots.len() - 1;
        let mut at = spread(value) & mask;
        loop {
            match self.slots[at] {
                0 => {
                    self.slots[at] = value;
                    self.len += 1;
                    return true;
                }
                slot if slot == value => return false,
                _ => at = (at + 1) & mask,
            }
        }
    }

    /// True when `value` was inserted.
    pub fn contains(&self, value: u64) -> bool {
        if self.slots.is_empty() {
            return false;
        }
        let value = value.max(1);
        let mask = self.slots.len() - 1;
        let mut at = spread(value) & mask;
        loop {
            match self.slots[at] {
                0 => return false,
                slot if slot == value => return true,
                _ => at = (at + 1) & mask,
            }
        }
    }

    /// How many values the set holds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the set holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn grow(&mut self) {
        let capacity = (self.slots.len() * 2).max(64);
        let old = std::mem::replace(&mut self.slots, vec![0; capacity]);
        let mask = capacity - 1;
        for value in old.into_iter().filter(|&v| v != 0) {
            let mut at = spread(value) & mask;
            while self.slots[at] != 0 {
                at = (at + 1) & mask;
            }
            self.slots[at] = value;
        }
    }
}

/// The slot index bits: the high bits of a multiplicative mix, so that
/// values differing only in their high bits still spread.
fn spread(value: u64) -> usize {
    (value.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 16) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn agrees_with_a_hash_set() {
        let mut set = FingerprintSet::default();
        let mut reference = HashSet::new();
        // Small values, values equal in their low bits, zero, and hashes.
        let values = (0..5000u64)
            .map(|i| i % 1700)
            .chain((0..3000u64).map(|i| i << 40))
            .chain((0..20_000u64).map(|i| fingerprint(&[&i.to_string()])))
            .chain([0, u64::MAX]);
        for value in values {
            assert_eq!(set.insert(value), reference.insert(value.max(1)), "{value}");
        }
        assert_eq!(set.len(), reference.len());
        for value in (0..30_000u64).map(|i| fingerprint(&[&i.to_string()])) {
            assert_eq!(set.contains(value), reference.contains(&value.max(1)));
        }
        assert!(set.slots.len() * 4 >= set.len() * 5);
    }
}
