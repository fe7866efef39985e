/// A growable buffer of plain values for the hot loops of normalising and matching: appending
/// is a store and an increment, clearing keeps the memory, so one buffer serves every post.
/// The owner calls `deallocate()` exactly once (from its `deinit`).
struct ScratchBuffer<Element: BitwiseCopyable> {
    private(set) var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    /// A view of nothing, to be replaced by a view of a real buffer (never deallocated).
    static var empty: ScratchBuffer { ScratchBuffer(viewing: nil) }

    private init(viewing: Void?) {
        capacity = 0
        base = UnsafeMutablePointer(bitPattern: MemoryLayout<Element>.alignment)!
    }

    @inline(__always) mutating func append(_ element: Element) {
        if count == capacity { grow(to: capacity * 2) }
        base[count] = element
        count &+= 1
    }

    /// An append after `reserve` made room for it.
    @inline(__always) mutating func appendUnchecked(_ element: Element) {
        base[count] = element
        count &+= 1
    }

    mutating func reserve(_ total: Int) {
        if total > capacity { grow(to: max(total, capacity * 2)) }
    }

    @inline(__always) subscript(index: Int) -> Element {
        get { base[index] }
        nonmutating set { base[index] = newValue }
    }

    @inline(__always) mutating func removeAll() { count = 0 }

    @inline(__always) mutating func removeLast(_ n: Int = 1) { count -= n }

    var last: Element? { count > 0 ? base[count - 1] : nil }

    var buffer: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    func deallocate() { base.deallocate() }

    private mutating func grow(to newCapacity: Int) {
        let grown = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        grown.update(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }
}
