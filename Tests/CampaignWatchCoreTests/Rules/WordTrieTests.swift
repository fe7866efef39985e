@testable import CampaignWatchCore
import Testing

/// The frozen trie finds every key it was built with, at nodes with few children (searched
/// linearly) and with many (bisected), at the root's direct table and beyond it.
@Suite struct WordTrieTests {
    @Test func findsEveryChildOfWideNodes() {
        var trie = WordTrie()
        var keys: [[UInt32]] = []
        // A node with 40 children, the root with 40 children above U+0500 (not in its table),
        // and nodes of every width from 1 to 20.
        for k in 0..<40 { keys.append([0x430, 0x431, 0x430 + UInt32(k)]) }
        for k in 0..<40 { keys.append([0x4E00 + UInt32(3 * k), 0x61]) }
        for width in 1...20 {
            for k in 0..<width { keys.append([0x62, 0x61 + UInt32(width), 0x100 + UInt32(7 * k)]) }
        }
        for (i, key) in keys.enumerated() { trie.setExact(trie.insert(key), Int32(i)) }
        trie.freeze()
        let view = trie.view
        for (i, key) in keys.enumerated() {
            var node: Int32 = 0
            for label in key { node = node < 0 ? node : view.child(node, label) }
            #expect(node >= 0 && view.exact(node) == Int32(i), "key \(i)")
        }
        // Labels between and around the stored ones are not children.
        for label: UInt32 in [0x42F, 0x458, 0x1000] { #expect(view.child(view.child(view.child(0, 0x430), 0x431), label) == WordTrie.none) }
        #expect(view.child(0, 0x4E01) == WordTrie.none)
        #expect(view.child(0, 0x9FFF) == WordTrie.none)
    }
}
