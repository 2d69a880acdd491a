import Engine
import Foundation

/// The runner's work for hand labeling.
extension EngineRunner {
    /// Reads the dataset as its files have it and its hand labels, and builds the queue of `source`
    /// (the uncovered rows apply the dataset's enabled programs in the sandbox first).
    func loadHandLabeling(dataset name: String, source: HandLabelQueue.Source) {
        launch(.handLabeling) { [self] in
            do {
                let data = try DatasetCatalog(config: config, paths: paths).loadFiles(name)
                let labels = try HandLabels.load(folder: data.location)
                let queue: HandLabelQueue
                switch source {
                case .random:
                    queue = HandLabelQueue.random(in: data, excluding: labels)
                case .uncovered:
                    let programs = try ProgramStates.labelingPrograms(dataset: name, root: paths.lfDir)
                    queue = try await HandLabelQueue.uncovered(in: data, excluding: labels, programs: programs, settings: config.sandbox)
                }
                post(.handLabelLoaded(HandLabelView(dataset: data, labels: labels, queue: queue)))
            } catch {
                post(.handLabelFailed(Task.isCancelled ? "cancelled" : "\(error)"))
            }
        }
    }

    /// Writes the hand labels now (one small file, rewritten whole); the error as a message.
    static func save(_ labels: HandLabels) -> [AppMessage] {
        do {
            try labels.save()
            return []
        } catch {
            return [.handLabelFailed("not saved (the next answer tries again): \(error)")]
        }
    }

    /// Closes the generation session unless a generation runs or holds an unsaved program, so the next one reads the dataset
    /// again with its new labels (the built-in synthesizer learns from the valid split).
    func forgetSession() {
        let session = held.withLock { held -> GenerationSession? in
            guard held.running[.generation] == nil, held.programs.isEmpty else { return nil }
            defer { held.session = nil; held.sessionKey = nil }
            return held.session
        }
        session?.close()
    }
}
