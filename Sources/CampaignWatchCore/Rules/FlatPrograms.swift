/// Every rule's program laid out for evaluation in one array, allocated once and never changed
/// (hence Sendable): a candidate rule's nodes are one load away, not behind a pointer to an array
/// of its own, and evaluating thousands of candidates a post touches no reference counts.
///
/// Evaluating a candidate mostly waits for its nodes to come from memory, so they are small: 16
/// bytes, a rule's program a line or two of cache (the benchmark's 10,000 rules take 634 KB, in
/// an L2 cache of 2 MB; with the compiler's 44-byte nodes they took 1.5 MB). A NEAR between leaves
/// (or OR-groups of leaves), the usual case, lists its sides' leaves with their terms in `sides`,
/// so it is evaluated without visiting their nodes.
///
/// Node indices (`a`, `b`) and side offsets are those of the whole array.
final class FlatPrograms: @unchecked Sendable {
    struct Node {
        var kind: RuleProgram.Kind
        var ordered: Bool
        /// NEAR/n: n (at most QueryParser.maximumDistance).
        var distance: UInt8
        /// A leaf: the shared leaf; any other node: its first operand.
        var a: Int32
        /// A leaf: the term as the rule wrote it (`RuleEngine.termTexts`); else the second operand.
        var b: Int32
        /// A NEAR over leaves or OR-groups of leaves: where its sides are in `sides` (a header
        /// holding the two sides' counts, then side A's leaves, then side B's); else -1.
        var sides: Int32
    }

    /// A leaf on one side of a NEAR, with the term as the rule wrote it. The first entry of a
    /// NEAR's sides is their header instead, in the same line of cache: `leaf` holds side A's
    /// count, `text` side B's.
    struct Side {
        var leaf: Int32
        var text: Int32
    }

    let nodes: UnsafeMutablePointer<Node>
    let sides: UnsafeMutablePointer<Side>
    /// Per rule, its root node; -1 for a rule that did not compile.
    let roots: UnsafeMutablePointer<Int32>
    /// The bytes of the nodes and sides (for benchmarks).
    let byteCount: Int

    init(_ programs: [RuleProgram]) {
        var flatNodes: [Node] = [], flatSides: [Side] = [], ruleRoots: [Int32] = []
        for program in programs {
            let base = Int32(flatNodes.count)
            for node in program.nodes {
                let isLeaf = node.kind == .leaf
                var flat = Node(
                    kind: node.kind, ordered: node.ordered, distance: UInt8(clamping: node.distance),
                    a: isLeaf ? node.leaf : node.a >= 0 ? node.a + base : -1,
                    b: isLeaf ? node.text : node.b >= 0 ? node.b + base : -1, sides: -1)
                var a: [Side] = [], b: [Side] = []
                if node.kind == .near, Self.leaves(program, node.a, into: &a), Self.leaves(program, node.b, into: &b) {
                    flat.sides = Int32(flatSides.count)
                    flatSides.append(Side(leaf: Int32(a.count), text: Int32(b.count)))
                    flatSides += a + b
                }
                flatNodes.append(flat)
            }
            ruleRoots.append(program.nodes.isEmpty ? -1 : base + program.root)
        }
        nodes = .allocate(capacity: max(flatNodes.count, 1))
        nodes.initialize(from: flatNodes, count: flatNodes.count)
        sides = .allocate(capacity: max(flatSides.count, 1))
        sides.initialize(from: flatSides, count: flatSides.count)
        roots = .allocate(capacity: max(ruleRoots.count, 1))
        roots.initialize(from: ruleRoots, count: ruleRoots.count)
        byteCount = flatNodes.count * MemoryLayout<Node>.stride + flatSides.count * MemoryLayout<Side>.stride
    }

    deinit {
        nodes.deallocate(); sides.deallocate(); roots.deallocate()
    }

    /// The leaves of a side that is a leaf or an OR-group of leaves; false for any other side.
    private static func leaves(_ program: RuleProgram, _ index: Int32, into leaves: inout [Side]) -> Bool {
        let node = program.nodes[Int(index)]
        switch node.kind {
        case .leaf:
            leaves.append(Side(leaf: node.leaf, text: node.text))
            return true
        case .or:
            return Self.leaves(program, node.a, into: &leaves) && Self.leaves(program, node.b, into: &leaves)
        default:
            return false
        }
    }
}
