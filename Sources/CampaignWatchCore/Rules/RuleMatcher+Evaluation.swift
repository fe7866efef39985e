/// Evaluating the candidate rules' boolean and proximity logic on the occurrences found.
extension RuleMatcher {
    // MARK: Evaluation

    func evaluate(names: NameBinding?) -> [RuleMatch] {
        guard findCandidates(names: names) else { return [] }
        var matches: [RuleMatch] = []
        let candidates = self.candidates
        for c in 0..<candidates.count {
            let index = Int(candidates[c])
            let root = programRoots[index]
            guard root >= 0, truth(root) else { continue }
            pairs.removeAll(keepingCapacity: true)
            collect(root)
            matches.append(RuleMatch(rule: engine.rules[index].id, terms: terms()))
        }
        return matches
    }

    /// The collected (occurrence, term text) pairs as sorted, distinct term matches.
    func terms() -> [TermMatch] {
        let occurrences = self.occurrences
        pairs.sort { a, b in
            let x = occurrences[Int(a.occurrence)], y = occurrences[Int(b.occurrence)]
            return (x.field, x.start, x.end, a.text) < (y.field, y.start, y.end, b.text)
        }
        var result: [TermMatch] = []
        var previous: (UInt8, Int32, Int32, Int32)?
        for (occurrence, text) in pairs {
            let o = occurrences[Int(occurrence)]
            let key = (o.field, o.start, o.end, text)
            if let p = previous, p == key { continue }
            previous = key
            result.append(TermMatch(term: engine.termTexts[Int(text)], start: Int(o.start), end: Int(o.end),
                                    field: o.field == 1 ? .title : .text))
        }
        return result
    }

    @inline(__always) func present(_ leaf: Int32) -> Bool {
        leaf >= 0 && leafState[Int(leaf)].stamp == generation
    }

    func truth(_ index: Int32) -> Bool {
        let node = programNodes[Int(index)]
        switch node.kind {
        case .leaf: return present(node.a)
        case .and: return truth(node.a) && truth(node.b)
        case .or: return truth(node.a) || truth(node.b)
        case .not: return !truth(node.a)
        case .near:
            if node.sides >= 0 { return flatNear(node, collect: false) }
            return !spans(index).isEmpty
        }
    }

    /// NEAR between leaves (or OR-groups of leaves), straight on the occurrence lists.
    func flatNear(_ node: FlatPrograms.Node, collect: Bool) -> Bool {
        var found = false
        let occurrences = self.occurrences
        let header = programSides[Int(node.sides)] // the two sides' counts
        let sideA = Int(node.sides) + 1, sideB = sideA + Int(header.leaf)
        let distance = Int32(node.distance)
        for i in sideA..<sideB {
            let left = programSides[i]
            guard present(left.leaf) else { continue }
            for j in sideB..<sideB + Int(header.text) {
                let right = programSides[j]
                guard present(right.leaf) else { continue }
                var a = leafState[Int(left.leaf)].head
                while a >= 0 {
                    let x = occurrences[Int(a)]
                    var b = leafState[Int(right.leaf)].head
                    while b >= 0 {
                        let y = occurrences[Int(b)]
                        if Self.near(x.first, x.last, y.first, y.last, distance, ordered: node.ordered) {
                            if !collect { return true }
                            found = true
                            pairs.append((a, left.text))
                            pairs.append((b, right.text))
                        }
                        b = y.next
                    }
                    a = x.next
                }
            }
        }
        return found
    }

    func spans(_ index: Int32) -> [Span] {
        let node = programNodes[Int(index)]
        switch node.kind {
        case .leaf:
            guard present(node.a) else { return [] }
            var result: [Span] = []
            var i = leafState[Int(node.a)].head
            while i >= 0 {
                let o = occurrences[Int(i)]
                result.append(Span(first: o.first, last: o.last, terms: [(i, node.b)]))
                i = o.next
            }
            return result
        case .or:
            return spans(node.a) + spans(node.b)
        case .near:
            let left = spans(node.a)
            if left.isEmpty { return [] }
            let right = spans(node.b)
            var result: [Span] = []
            for a in left {
                for b in right where Self.near(a.first, a.last, b.first, b.last, Int32(node.distance), ordered: node.ordered) {
                    result.append(Span(first: min(a.first, b.first), last: max(a.last, b.last), terms: a.terms + b.terms))
                    if result.count >= Self.occurrenceLimit { return result }
                }
            }
            return result
        case .and, .not:
            return [] // the parser keeps these away from NEAR
        }
    }

    /// NEAR/n: at most n words between the two, either order (ONEAR: the first one first); the
    /// two never share a word.
    @inline(__always)
    static func near(_ aFirst: Int32, _ aLast: Int32, _ bFirst: Int32, _ bLast: Int32, _ distance: Int32, ordered: Bool) -> Bool {
        if aLast < bFirst { return bFirst - aLast - 1 <= distance }
        if !ordered && bLast < aFirst { return aFirst - bLast - 1 <= distance }
        return false
    }

    func collect(_ index: Int32) {
        let node = programNodes[Int(index)]
        switch node.kind {
        case .leaf:
            guard present(node.a) else { return }
            var i = leafState[Int(node.a)].head
            while i >= 0 {
                pairs.append((i, node.b))
                i = occurrences[Int(i)].next
            }
        case .and:
            collect(node.a)
            collect(node.b)
        case .or:
            if truth(node.a) { collect(node.a) }
            if truth(node.b) { collect(node.b) }
        case .not:
            break
        case .near:
            if node.sides >= 0 {
                _ = flatNear(node, collect: true)
            } else {
                for span in spans(index) { pairs += span.terms }
            }
        }
    }
}
