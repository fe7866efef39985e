/// Which rules an election judges by: its `rules:` selectors name rule ids or rule tags;
/// without selectors, every rule.
public enum RuleSelection {
    public static func selects(_ election: Election, _ rule: RuleDefinition) -> Bool {
        guard let selectors = election.ruleSelectors else { return true }
        return selectors.contains(rule.id) || rule.tags.contains(where: selectors.contains)
    }

    public static func rules(for election: Election, in configuration: Configuration) -> [RuleDefinition] {
        configuration.rules.filter { selects(election, $0) }
    }
}

extension Configuration {
    public func election(id: String) -> Election? { elections.first { $0.id == id } }
    public func subject(id: String) -> Subject? { subjects.first { $0.id == id } }
    public func rule(id: String) -> RuleDefinition? { rules.first { $0.id == id } }
}
