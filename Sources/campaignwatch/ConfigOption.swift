import ArgumentParser

/// `--config PATH`, shared by every command that reads the configuration.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "The main configuration file.")
    var config: String = "/etc/campaignwatch/campaignwatch.yaml"
}
