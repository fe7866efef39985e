/// A trie over the scalars of normalised word keys, where a node can end a word: the subject's
/// names for `@names` (NameBinding), where a walk also needs the words a token starts with (case
/// endings after a name). The rules' words are in a WordTable, which costs fewer dependent loads
/// per token.
///
/// Built mutable, then frozen into one flat array (FrozenTrie): children of a node are a sorted
/// run of labels (searched linearly when short, by bisection when long); the root, which has the
/// most children, gets a direct table for scalars below U+0500 (Latin and Cyrillic).
struct WordTrie: Sendable {
    static let none: Int32 = -1

    private(set) var exact: [Int32] = [WordTrie.none]
    private var building: [[UInt32: Int32]] = [[:]]
    private var frozen: FrozenTrie?

    static let rootTableSize = 0x500

    /// The node of `key`, created if needed.
    mutating func insert(_ key: some Collection<UInt32>) -> Int32 {
        var node: Int32 = 0
        for s in key {
            if let next = building[Int(node)][s] {
                node = next
            } else {
                let next = Int32(exact.count)
                exact.append(Self.none); building.append([:])
                building[Int(node)][s] = next
                node = next
            }
        }
        return node
    }

    mutating func setExact(_ node: Int32, _ value: Int32) { exact[Int(node)] = value }

    mutating func freeze() {
        frozen = FrozenTrie(building: building, exact: exact)
        building = []
    }

    /// Raw pointers into the frozen trie for the scanning loop (no reference counting per step).
    var view: View { frozen!.view }

    /// Raw pointers into the frozen trie for the walks; a node is an offset into `data`.
    struct View {
        let data: UnsafePointer<UInt32>
        let rootTable: UnsafePointer<Int32>

        @inline(__always) func exact(_ node: Int32) -> Int32 { Int32(bitPattern: data[Int(node)]) }

        @inline(__always) func child(_ node: Int32, _ label: UInt32) -> Int32 {
            if node == 0, label < WordTrie.rootTableSize { return rootTable[Int(label)] }
            let count = Int(data[Int(node) &+ 1])
            let labels = Int(node) &+ 2
            let end = labels &+ count
            var low = labels
            var high = end
            // Bisect to a short window that holds the first label not below `label` (or the end).
            while high &- low > 8 {
                let mid = (low &+ high) >> 1
                if data[mid] < label { low = mid &+ 1 } else { high = mid &+ 1 }
            }
            while low < end {
                let l = data[low]
                if l == label { return Int32(bitPattern: data[low &+ count]) }
                if l > label { return WordTrie.none }
                low &+= 1
            }
            return WordTrie.none
        }
    }
}

/// The flat array of a frozen trie, allocated once and never changed (hence Sendable).
///
/// Each node is a run of words: its word, its child count, the children's labels (sorted), then
/// their nodes (offsets into the same array). A node's header
/// and edges share a cache line or two, so a step of a walk costs one miss, not one for the node
/// and one for its edges; nodes are laid out breadth first, so the shallow ones every walk
/// visits sit together.
final class FrozenTrie: @unchecked Sendable {
    let view: WordTrie.View
    private let data: UnsafeMutablePointer<UInt32>
    private let root: UnsafeMutablePointer<Int32>

    init(building: [[UInt32: Int32]], exact: [Int32]) {
        // Breadth-first order and each node's offset.
        var order: [Int32] = [0]
        order.reserveCapacity(building.count)
        var head = 0
        var sortedChildren = [[(UInt32, Int32)]](repeating: [], count: building.count)
        while head < order.count {
            let node = Int(order[head])
            head += 1
            let children = building[node].sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            sortedChildren[node] = children
            for (_, child) in children { order.append(child) }
        }
        var offsets = [Int32](repeating: 0, count: building.count)
        var size = 0
        for node in order {
            offsets[Int(node)] = Int32(size)
            size += 2 + 2 * sortedChildren[Int(node)].count
        }
        data = .allocate(capacity: max(size, 2))
        root = .allocate(capacity: WordTrie.rootTableSize)
        root.initialize(repeating: WordTrie.none, count: WordTrie.rootTableSize)
        for node in order {
            let o = Int(offsets[Int(node)])
            let children = sortedChildren[Int(node)]
            (data + o).initialize(to: UInt32(bitPattern: exact[Int(node)]))
            (data + o + 1).initialize(to: UInt32(children.count))
            for (k, (label, child)) in children.enumerated() {
                (data + o + 2 + k).initialize(to: label)
                (data + o + 2 + children.count + k).initialize(to: UInt32(bitPattern: offsets[Int(child)]))
                if node == 0, label < WordTrie.rootTableSize { root[Int(label)] = offsets[Int(child)] }
            }
        }
        view = WordTrie.View(data: data, rootTable: root)
    }

    deinit {
        data.deallocate(); root.deallocate()
    }
}
