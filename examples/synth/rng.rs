//! A small deterministic PRNG (SplitMix64): a seed, a certificate index and a stream number fix
//! every choice, whatever the thread that makes it.

/// SplitMix64 generator.
#[derive(Debug, Clone)]
pub struct Rng(u64);

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// The generator for stream `stream` of certificate `index` under `seed`. Streams keep the
    /// choices of one kind (content, noise) independent of how many draws the others make.
    pub fn for_cert(seed: u64, index: u64, stream: u64) -> Rng {
        let a = mix(seed.wrapping_add(GOLDEN));
        let b = mix(a ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03));
        Rng(mix(b ^ stream.wrapping_mul(0x8CB9_2BA7_2F3D_8DD7)))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN);
        mix(self.0)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64) / ((1u64 << 53) as f64) < p
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// An index drawn with the given weights (not all zero).
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut x = self.below(total as usize) as u64;
        for (i, &w) in weights.iter().enumerate() {
            if x < u64::from(w) {
                return i;
            }
            x -= u64::from(w);
        }
        weights.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..4).map(|_| Rng::for_cert(7, 3, 0).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(
            Rng::for_cert(7, 3, 0).next_u64(),
            Rng::for_cert(7, 3, 1).next_u64()
        );
        assert_ne!(
            Rng::for_cert(7, 3, 0).next_u64(),
            Rng::for_cert(7, 4, 0).next_u64()
        );
    }
}
