import Foundation

/// The whole validated configuration. Built only by the loader, which checks everything;
/// nothing downstream re-validates it. A value: a reload swaps one for another atomically.
public struct Configuration: Sendable {
    public var stateDir: String
    public var spool: SpoolSettings
    public var poll: PollSettings
    /// Base URLs per platform (mirrors, RSS-Bridge, test servers); defaults filled in.
    public var platforms: [Platform: PlatformSettings]
    public var log: LogSettings
    public var metrics: MetricsSettings
    public var evidence: EvidenceSettings
    public var elections: [Election]
    public var subjects: [Subject]
    public var rules: [RuleDefinition]
    /// Every file the configuration was read from (the main file and each include), for
    /// watching them and for messages.
    public var files: [String]

    public init(
        stateDir: String,
        spool: SpoolSettings,
        poll: PollSettings = PollSettings(),
        platforms: [Platform: PlatformSettings] = PlatformSettings.defaults,
        log: LogSettings = LogSettings(),
        metrics: MetricsSettings = MetricsSettings(),
        evidence: EvidenceSettings = EvidenceSettings(),
        elections: [Election] = [],
        subjects: [Subject] = [],
        rules: [RuleDefinition] = [],
        files: [String] = []
    ) {
        self.stateDir = stateDir
        self.spool = spool
        self.poll = poll
        self.platforms = platforms
        self.log = log
        self.metrics = metrics
        self.evidence = evidence
        self.elections = elections
        self.subjects = subjects
        self.rules = rules
        self.files = files
    }
}

public struct SpoolSettings: Sendable, Hashable {
    public enum Format: String, Sendable, Hashable { case json, eml }
    public var dir: String
    public var format: Format

    public init(dir: String, format: Format = .json) {
        self.dir = dir
        self.format = format
    }
}

/// Durations are in seconds; sizes in bytes.
public struct PollSettings: Sendable, Hashable {
    public var interval: TimeInterval = 300
    public var minInterval: TimeInterval = 60
    public var maxInterval: TimeInterval = 6 * 3600
    /// A fraction: 10% is 0.1.
    public var jitter: Double = 0.1
    public var concurrency: Int = 32
    public var perHost: Int = 2
    public var timeout: TimeInterval = 20
    public var maxBody: Int = 10 * 1024 * 1024
    public var userAgent: String = "campaignwatch/\(CampaignWatchVersion.current)"
    public var proxy: String?

    public init() {}
}

/// Per-account overrides of the polling cadence (`poll:` on an account).
public struct PollOverride: Sendable, Hashable {
    public var interval: TimeInterval?
    public var minInterval: TimeInterval?
    public var maxInterval: TimeInterval?

    public init(interval: TimeInterval? = nil, minInterval: TimeInterval? = nil, maxInterval: TimeInterval? = nil) {
        self.interval = interval
        self.minInterval = minInterval
        self.maxInterval = maxInterval
    }
}

public struct PlatformSettings: Sendable, Hashable {
    public var baseURL: String

    public init(baseURL: String) {
        self.baseURL = baseURL
    }

    public static let defaults: [Platform: PlatformSettings] = [
        .telegram: PlatformSettings(baseURL: "https://t.me/s/"),
        .bluesky: PlatformSettings(baseURL: "https://public.api.bsky.app"),
        .youtube: PlatformSettings(baseURL: "https://www.youtube.com/feeds/videos.xml?channel_id="),
    ]
}

public struct LogSettings: Sendable, Hashable {
    public enum Level: String, Sendable, Hashable, CaseIterable {
        case trace, debug, info, notice, warning, error
    }
    public var level: Level = .info
    public init(level: Level = .info) { self.level = level }
}

public struct MetricsSettings: Sendable, Hashable {
    public var textfile: String?
    public init(textfile: String? = nil) { self.textfile = textfile }
}

public struct EvidenceSettings: Sendable, Hashable {
    public var tsaURL: String?
    public var timestampEvery: TimeInterval = 3600
    public var keepRaw: Bool = true

    public init(tsaURL: String? = nil, timestampEvery: TimeInterval = 3600, keepRaw: Bool = true) {
        self.tsaURL = tsaURL
        self.timestampEvery = timestampEvery
        self.keepRaw = keepRaw
    }
}

public enum CampaignWatchVersion {
    public static let current = "0.1.0"
}
