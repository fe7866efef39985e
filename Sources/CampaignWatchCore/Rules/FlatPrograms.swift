/// Every rule's program in one array, allocated once and never changed (hence Sendable): a
/// candidate rule's nodes are one load away, not behind a pointer to an array of its own, and
/// evaluating thousands of candidates a post touches no reference counts.
///
/// Node indices (`a`, `b`, the entries of `sides`) and side offsets are those of the whole array.
final class FlatPrograms: @unchecked Sendable {
    let nodes: UnsafeMutablePointer<RuleProgram.Node>
    let sides: UnsafeMutablePointer<Int32>
    /// Per rule, its root node; -1 for a rule that did not compile.
    let roots: UnsafeMutablePointer<Int32>

    init(_ programs: [RuleProgram]) {
        let nodeTotal = programs.reduce(0) { $0 + $1.nodes.count }
        let sideTotal = programs.reduce(0) { $0 + $1.sides.count }
        nodes = .allocate(capacity: max(nodeTotal, 1))
        sides = .allocate(capacity: max(sideTotal, 1))
        roots = .allocate(capacity: max(programs.count, 1))
        var nodeBase: Int32 = 0, sideBase: Int32 = 0
        for (rule, program) in programs.enumerated() {
            for (i, var node) in program.nodes.enumerated() {
                if node.a >= 0 { node.a += nodeBase }
                if node.b >= 0 { node.b += nodeBase }
                if node.sideA >= 0 { node.sideA += sideBase }
                if node.sideB >= 0 { node.sideB += sideBase }
                (nodes + Int(nodeBase) + i).initialize(to: node)
            }
            for (i, side) in program.sides.enumerated() {
                (sides + Int(sideBase) + i).initialize(to: side + nodeBase)
            }
            (roots + rule).initialize(to: program.nodes.isEmpty ? -1 : nodeBase + program.root)
            nodeBase += Int32(program.nodes.count)
            sideBase += Int32(program.sides.count)
        }
    }

    deinit {
        nodes.deallocate(); sides.deallocate(); roots.deallocate()
    }
}
