/// So the loader can list the formats in its message when one is misspelt.
extension SpoolSettings.Format: CaseIterable {
    public static var allCases: [SpoolSettings.Format] { [.json, .eml] }
}
