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
    private var firstEdge: [Int32] = []
    private var edgeCount: [UInt16] = []
    private var labels: [UInt32] = []
    private var targets: [Int32] = []
    private var rootTable: [Int32] = []

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
        firstEdge = [Int32](repeating: 0, count: exact.count)
        edgeCount = [UInt16](repeating: 0, count: exact.count)
        labels.removeAll(); targets.removeAll()
        for node in 0..<building.count {
            let children = building[node].sorted { $0.key < $1.key }
            firstEdge[node] = Int32(labels.count)
            edgeCount[node] = UInt16(children.count)
            for (label, target) in children { labels.append(label); targets.append(target) }
        }
        rootTable = [Int32](repeating: Self.none, count: Self.rootTableSize)
        for (label, target) in building[0] where label < Self.rootTableSize { rootTable[Int(label)] = target }
        building = []
    }

    @inline(__always) func child(_ node: Int32, _ label: UInt32) -> Int32 {
        if node == 0, label < Self.rootTableSize { return rootTable[Int(label)] }
        var low = Int(firstEdge[Int(node)])
        var high = low + Int(edgeCount[Int(node)])
        while high - low > 6 {
            let mid = (low + high) >> 1
            if labels[mid] < label { low = mid + 1 } else { high = mid }
        }
        while low < high {
            if labels[low] == label { return targets[low] }
            if labels[low] > label { return Self.none }
            low += 1
        }
        return Self.none
    }
}
