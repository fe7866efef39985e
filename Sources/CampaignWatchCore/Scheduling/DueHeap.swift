/// A binary min-heap of (due time, account slot, generation). Entries are never removed from the
/// middle: rescheduling bumps the slot's generation and the stale entry is skipped when it
/// surfaces, which keeps every operation O(log n) at tens of thousands of accounts.
struct DueHeap: Sendable {
    struct Entry: Sendable {
        var time: Double
        var slot: Int32
        var generation: UInt32
    }

    private(set) var entries: [Entry] = []

    var count: Int { entries.count }
    var top: Entry? { entries.first }

    mutating func push(_ entry: Entry) {
        entries.append(entry)
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(entries[child], entries[parent]) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Entry? {
        guard !entries.isEmpty else { return nil }
        let first = entries[0]
        let last = entries.removeLast()
        guard !entries.isEmpty else { return first }
        entries[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < entries.count else { break }
            let right = left + 1
            let child = right < entries.count && precedes(entries[right], entries[left]) ? right : left
            guard precedes(entries[child], entries[parent]) else { break }
            entries.swapAt(child, parent)
            parent = child
        }
        return first
    }

    mutating func removeAll() { entries.removeAll(keepingCapacity: true) }

    /// Earlier time first; at equal times the lower slot (configuration order) first.
    private func precedes(_ a: Entry, _ b: Entry) -> Bool {
        a.time < b.time || (a.time == b.time && a.slot < b.slot)
    }
}

/// A FIFO of due accounts waiting for their host to have room. Array plus head index: amortised
/// O(1) without a Deque dependency.
struct WaitQueue: Sendable {
    struct Entry: Sendable {
        var due: Double
        var slot: Int32
        var generation: UInt32
    }

    private var items: [Entry] = []
    private var head = 0

    var isEmpty: Bool { head >= items.count }
    var first: Entry? { isEmpty ? nil : items[head] }

    mutating func append(_ entry: Entry) { items.append(entry) }

    mutating func removeFirst() {
        head += 1
        if head >= items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 64 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
    }
}
