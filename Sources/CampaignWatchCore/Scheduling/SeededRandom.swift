/// SplitMix64: a tiny, fast generator whose whole state is one word, so a scheduler that owns
/// one stays a plain value and a test that seeds it sees the same jitter every run.
public struct SeededRandom: RandomNumberGenerator, Sendable, Hashable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in `[low, high]` (returns `low` when the range is empty or inverted).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        guard high > low else { return low }
        let unit = Double(next() >> 11) * 0x1.0p-53
        return low + (high - low) * unit
    }
}
