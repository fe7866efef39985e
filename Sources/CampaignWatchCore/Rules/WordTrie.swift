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

    /// A node: where its children are, and the lexemes it ends (exact) or stands for (prefix).
    struct Node {
        var firstEdge: Int32
        var edgeCount: Int32
        var exact: Int32
        var prefix: Int32
    }

    struct Edge {
        var label: UInt32
        var target: Int32
    }

    /// One load per node and one per edge probed: the walk is bound by memory, not arithmetic.
    struct View {
        let nodes: UnsafePointer<Node>
        let edges: UnsafePointer<Edge>
        let rootTable: UnsafePointer<Int32>

        @inline(__always) func exact(_ node: Int32) -> Int32 { nodes[Int(node)].exact }
        @inline(__always) func prefix(_ node: Int32) -> Int32 { nodes[Int(node)].prefix }

        @inline(__always) func child(_ node: Int32, _ label: UInt32) -> Int32 {
            if node == 0, label < WordTrie.rootTableSize { return rootTable[Int(label)] }
            let record = nodes[Int(node)]
            var low = Int(record.firstEdge)
            var high = low + Int(record.edgeCount)
            while high - low > 6 {
                let mid = (low + high) >> 1
                if edges[mid].label < label { low = mid + 1 } else { high = mid }
            }
            while low < high {
                let edge = edges[low]
                if edge.label == label { return edge.target }
                if edge.label > label { return WordTrie.none }
                low += 1
            }
            return WordTrie.none
        }
    }
}

/// The flat arrays of a frozen trie, allocated once and never changed (hence Sendable).
final class FrozenTrie: @unchecked Sendable {
    let view: WordTrie.View
    private let nodes: UnsafeMutablePointer<WordTrie.Node>
    private let edges: UnsafeMutablePointer<WordTrie.Edge>
    private let root: UnsafeMutablePointer<Int32>

    init(building: [[UInt32: Int32]], exact: [Int32], prefix: [Int32]) {
        let edgeTotal = building.reduce(0) { $0 + $1.count }
        nodes = .allocate(capacity: max(building.count, 1))
        edges = .allocate(capacity: max(edgeTotal, 1))
        root = .allocate(capacity: WordTrie.rootTableSize)
        root.initialize(repeating: WordTrie.none, count: WordTrie.rootTableSize)
        var next = 0
        for node in 0..<building.count {
            let children = building[node].sorted { $0.key < $1.key }
            (nodes + node).initialize(to: WordTrie.Node(firstEdge: Int32(next), edgeCount: Int32(children.count),
                                                        exact: exact[node], prefix: prefix[node]))
            for (label, target) in children {
                (edges + next).initialize(to: WordTrie.Edge(label: label, target: target))
                next += 1
                if node == 0, label < WordTrie.rootTableSize { root[Int(label)] = target }
            }
        }
        view = WordTrie.View(nodes: nodes, edges: edges, rootTable: root)
    }

    deinit {
        nodes.deallocate(); edges.deallocate(); root.deallocate()
    }
}
