/// The multi-pattern automaton of the matcher: a trie over the scalars of normalised word keys,
/// where a node can end an exact word and/or stand for a prefix (`голосуй*`). Every token of a
/// text walks it once from the root; the walk stops at the first scalar no key continues with, so
/// a word no rule mentions costs a lookup or two, however many rules there are.
///
/// Built mutable, then frozen into flat arrays: children of a node are a sorted run of labels
/// (searched linearly when short, by bisection when long); the root, which has the most children,
/// gets a direct table for scalars below U+0500 (Latin and Cyrillic).
struct WordTrie: Sendable {
    static let none: Int32 = -1

    private(set) var exact: [Int32] = [WordTrie.none]
    private(set) var prefix: [Int32] = [WordTrie.none]
    private var building: [[UInt32: Int32]] = [[:]]
    private var frozen: FrozenTrie?

    static let rootTableSize = 0x500

    var nodeCount: Int { exact.count }

    /// The node of `key`, created if needed.
    mutating func insert(_ key: some Collection<UInt32>) -> Int32 {
        var node: Int32 = 0
        for s in key {
            if let next = building[Int(node)][s] {
                node = next
            } else {
                let next = Int32(exact.count)
                exact.append(Self.none); prefix.append(Self.none); building.append([:])
                building[Int(node)][s] = next
                node = next
            }
        }
        return node
    }

    mutating func setExact(_ node: Int32, _ value: Int32) { exact[Int(node)] = value }
    mutating func setPrefix(_ node: Int32, _ value: Int32) { prefix[Int(node)] = value }

    mutating func freeze() {
        frozen = FrozenTrie(building: building, exact: exact, prefix: prefix)
        building = []
    }

    /// Raw pointers into the frozen trie for the scanning loop (no reference counting per step).
    var view: View { frozen!.view }

    @inline(__always) func child(_ node: Int32, _ label: UInt32) -> Int32 {
        frozen!.view.child(node, label)
    }

    struct View {
        let exact: UnsafePointer<Int32>
        let prefix: UnsafePointer<Int32>
        let firstEdge: UnsafePointer<Int32>
        let edgeCount: UnsafePointer<UInt16>
        let labels: UnsafePointer<UInt32>
        let targets: UnsafePointer<Int32>
        let rootTable: UnsafePointer<Int32>

        @inline(__always) func child(_ node: Int32, _ label: UInt32) -> Int32 {
            if node == 0, label < WordTrie.rootTableSize { return rootTable[Int(label)] }
            var low = Int(firstEdge[Int(node)])
            var high = low + Int(edgeCount[Int(node)])
            while high - low > 6 {
                let mid = (low + high) >> 1
                if labels[mid] < label { low = mid + 1 } else { high = mid }
            }
            while low < high {
                let l = labels[low]
                if l == label { return targets[low] }
                if l > label { return WordTrie.none }
                low += 1
            }
            return WordTrie.none
        }
    }
}

/// The flat arrays of a frozen trie, allocated once and never changed (hence Sendable).
final class FrozenTrie: @unchecked Sendable {
    let view: WordTrie.View
    private let allocations: [UnsafeMutableRawPointer]

    init(building: [[UInt32: Int32]], exact: [Int32], prefix: [Int32]) {
        var firstEdge: [Int32] = [], edgeCount: [UInt16] = [], labels: [UInt32] = [], targets: [Int32] = []
        firstEdge.reserveCapacity(building.count)
        edgeCount.reserveCapacity(building.count)
        for node in 0..<building.count {
            let children = building[node].sorted { $0.key < $1.key }
            firstEdge.append(Int32(labels.count))
            edgeCount.append(UInt16(children.count))
            for (label, target) in children { labels.append(label); targets.append(target) }
        }
        var root = [Int32](repeating: WordTrie.none, count: WordTrie.rootTableSize)
        if let first = building.first {
            for (label, target) in first where label < WordTrie.rootTableSize { root[Int(label)] = target }
        }
        var allocations: [UnsafeMutableRawPointer] = []
        func copy<T>(_ array: [T]) -> UnsafePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(array.count, 1))
            p.initialize(from: array, count: array.count)
            allocations.append(UnsafeMutableRawPointer(p))
            return UnsafePointer(p)
        }
        view = WordTrie.View(exact: copy(exact), prefix: copy(prefix), firstEdge: copy(firstEdge), edgeCount: copy(edgeCount),
                             labels: copy(labels), targets: copy(targets), rootTable: copy(root))
        self.allocations = allocations
    }

    deinit {
        for p in allocations { p.deallocate() }
    }
}
