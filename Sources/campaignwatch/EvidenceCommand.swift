import ArgumentParser
import CampaignWatch
import CampaignWatchCore
import Foundation

/// `campaignwatch evidence ALERT_ID --out DIR [--zip]`: a self-contained bundle of everything
/// held about one alert, checkable with sha256sum and a few lines of Python.
struct EvidenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evidence",
        abstract: "Exports one alert's evidence (alert, versions, raw bytes, chain links, timestamps, manifest, README).",
        discussion: "With --zip the bundle is written to DIR.zip (one folder inside) instead of the directory DIR. Exit status: 0 written, 1 unknown alert or damaged archive, 78 invalid configuration."
    )

    @OptionGroup var options: ConfigOption

    @Option(name: .long, help: "Read this state directory instead of the configuration's state_dir (no configuration needed).")
    var stateDir: String?

    @Argument(help: "The alert's id (its spool file name without .json or .eml).")
    var alertID: String

    @Option(name: .long, help: "The directory to write (must not exist or be empty).")
    var out: String

    @Flag(name: .long, help: "Write DIR.zip instead of the directory.")
    var zip = false

    func run() async throws {
        let (store, archive) = try StateAccess.open(config: options.config, stateDir: stateDir)
        let bundle: EvidenceBundle
        do {
            bundle = try EvidenceBundle.build(alertID: alertID, store: store, archive: archive)
        } catch {
            StandardError.print("campaignwatch: \(error)")
            throw ExitStatus.failure
        }
        let directory = out.hasSuffix("/") ? String(out.dropLast()) : out
        do {
            if zip {
                let path = directory.hasSuffix(".zip") ? directory : directory + ".zip"
                let folder = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
                guard !FileManager.default.fileExists(atPath: path) else {
                    StandardError.print("campaignwatch: \(path) exists; choose another --out")
                    throw ExitStatus.failure
                }
                guard FileManager.default.createFile(atPath: path, contents: Data(bundle.zip(folder: folder))) else {
                    StandardError.print("campaignwatch: cannot write \(path)")
                    throw ExitStatus.failure
                }
                print("wrote \(path): \(bundle.files.count) files; see \(folder)/README.txt inside")
            } else {
                try bundle.write(to: directory)
                print("wrote \(directory): \(bundle.files.count) files; check with `cd \(directory) && sha256sum -c manifest.sha256` (README.txt says more)")
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            StandardError.print("campaignwatch: \(error)")
            throw ExitStatus.failure
        }
    }
}
