import Engine
import Foundation

/// What the setup screen says of a dataset on disk: its classes, rows per split and class balance
/// (the engine's `Dataset.splitsText`, the wording of `alchemist datasets` too). Loading can be slow
/// (imdb), so it is engine work, kept by dataset name in `AppState.datasetInfo`.
public enum DatasetInfo: Sendable, Equatable {
    case loading
    case loaded(String)
    case failed(String)
}

extension AppState {
    /// The info line of the selected dataset and its role: its splits, "loading…", or how to get it.
    var datasetInfoLine: (text: String, role: StyleRole) {
        guard let dataset else { return ("no dataset", .muted) }
        guard dataset.isPresent else {
            return dataset.canFetch ? ("not on disk — f fetches it", .warning) : ("no public source known — a adds it from a file", .warning)
        }
        switch datasetInfo[dataset.name] {
        case .loaded(let text)?: return (text, .text)
        case .failed(let reason)?: return ("cannot read it: \(reason)", .error)
        case .loading?, nil: return ("loading…", .muted)
        }
    }
}

/// Asks for the selected dataset's info when it is on disk and not known yet (or no longer: a
/// download, an added dataset or new hand labels drop what was known).
func requestDatasetInfo(_ state: inout AppState) -> [Effect] {
    guard let dataset = state.dataset, dataset.isPresent, state.datasetInfo[dataset.name] == nil else { return [] }
    state.datasetInfo[dataset.name] = .loading
    return [.loadDatasetInfo(dataset.name)]
}

extension EngineRunner {
    /// Loads the dataset with its hand labels and posts its one-line description.
    func loadDatasetInfo(_ name: String) {
        launch(.datasetInfo) { [self] in
            do {
                let dataset = try DatasetCatalog(config: config, paths: paths).load(name)
                post(.datasetInfo(name: name, .loaded(dataset.splitsText)))
            } catch {
                post(.datasetInfo(name: name, .failed("\(error)")))
            }
        }
    }
}
