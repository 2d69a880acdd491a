import Engine
import Foundation

/// The engine work of adding a dataset: reading the file, planning the choices, writing the folder.
public enum AddDatasetWork: Sendable, Equatable {
    case read(URL)
    /// Plan the form's choices of this revision.
    case plan(revision: Int)
    case write
}

/// The runner's side: the same engine calls as `alchemist datasets add` (`DatasetImport.plan` with
/// the named datasets reserved, `requireNewName`, `write` without replacing).
extension EngineRunner {
    func addDataset(_ work: AddDatasetWork, view: AddDatasetView?) {
        switch work {
        case .read(let file):
            launch(.addingDataset) { [self] in
                do {
                    post(.addDataset(.read(file, try TabularFile.read(file))))
                } catch {
                    post(.addDataset(.readFailed(file, "\(error)")))
                }
            }
        case .plan(let revision):
            guard let view, let table = view.table else { return }
            launch(.addingDataset) { [self] in
                do {
                    post(.addDataset(.planned(revision: revision, try plan(view, table: table))))
                } catch {
                    post(.addDataset(.planFailed(revision: revision, "\(error)")))
                }
            }
        case .write:
            guard let view, let table = view.table else { return }
            launch(.addingDataset) { [self] in
                do {
                    let plan = try plan(view, table: table)
                    let folder = try DatasetImport.write(plan, into: paths.dataDir)
                    let options = try SetupOptions.load(config: config, paths: paths, keys: keys)
                    post(.addDataset(.written(name: plan.request.name, folder: folder, options: options)))
                } catch {
                    post(.addDataset(.writeFailed("\(error)")))
                }
            }
        }
    }

    /// The plan of the form's choices; a name a dataset has already is refused here too, so the form says so before enter.
    private func plan(_ view: AddDatasetView, table: TabularFile) throws -> DatasetImportPlan {
        let request = try view.request()
        let plan = try DatasetImport.plan(request, table: table, reservedNames: DatasetImport.reservedNames(config))
        try DatasetImport.requireNewName(request.name, catalog: DatasetCatalog(config: config, paths: paths))
        return plan
    }
}
