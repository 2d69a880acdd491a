import Engine
import Foundation

/// The runner's work for the programs browser, the labeling run and dataset downloads.
extension EngineRunner {
    /// Reads the programs and the ledger's run summaries into a browser.
    func loadPrograms(status: String?) {
        do {
            let ledger = try? Ledger(path: Ledger.defaultPath(appHome: paths.appHome))
            try FileManager.default.createDirectory(at: paths.lfDir, withIntermediateDirectories: true)
            post(.programsLoaded(try ProgramsBrowser.load(root: paths.lfDir, ledger: ledger), status: status))
        } catch {
            post(.programsFailed("cannot read the programs: \(error)"))
        }
    }

    /// What the browser asked for, except the editor and the clipboard (the loop owns the terminal for those).
    func carryOut(_ request: ProgramsRequest) {
        let root = paths.lfDir
        do {
            switch request {
            case .delete(let url):
                try ProgramsActions.delete(url, root: root)
                loadPrograms(status: "deleted \(url.lastPathComponent)")
            case .setEnabled(let url, let enabled):
                try ProgramsActions.setEnabled(url, enabled, root: root)
                loadPrograms(status: "\(url.lastPathComponent) \(enabled ? "enabled" : "disabled") for labeling")
            case .testOnValid(let program):
                launch(.testing) { [self] in
                    do {
                        guard let name = ProgramsActions.datasetName(of: program, root: root) else {
                            throw TUIError(description: "cannot tell which dataset \(program.name) belongs to")
                        }
                        let data = try DatasetCatalog(config: config, paths: paths).load(name)
                        let result = try await ProgramsActions.testOnValid(program, dataset: data, settings: config.sandbox, root: root)
                        loadPrograms(status: "\(program.name): \(result.summary)")
                    } catch {
                        post(.programsFailed("\(program.name): \(error)"))
                    }
                }
            case .openInEditor, .copyPath, .askToDelete, .close:
                break
            }
        } catch {
            post(.programsFailed("\(error)"))
        }
    }

    /// Applies the dataset's enabled programs and runs the label and end models, with progress.
    func startLabeling(dataset name: String, state: AppState) {
        let codeModel = state.codeModel?.spec
        launch(.labeling) { [self] in
            do {
                let data = try DatasetCatalog(config: config, paths: paths).load(name)
                let programs = try ProgramStates.labelingPrograms(dataset: name, root: paths.lfDir)
                var job = LabelingJob(dataset: data, votes: .programs(programs), sandbox: config.sandbox, experimentLogFolder: paths.expLogDir,
                                      runsFolder: paths.runsFolder)
                // Compare with prompting the chosen code model, or the paper's annotator when it is free.
                let priced = codeModel.flatMap { $0.outputPerMTok > 0 ? $0 : nil }
                job.promptingModel = priced ?? config.model(id: PromptingEstimate.defaultModelID)
                job.promptTemplate = DatasetCatalog(config: config, paths: paths).entry(named: name)
                    .flatMap { try? PromptTemplates.bundled().template(for: $0) }
                let outcome = try await job.run { self.post(.labelingProgress($0)) }
                post(.labelingFinished(outcome))
            } catch is CancellationError {
                post(.labelingCancelled)
            } catch {
                post(Task.isCancelled ? .labelingCancelled : .labelingFailed("\(error)"))
            }
        }
    }

    /// Writes a saved run's train split (`RunExport`, the CLI's `export`); says where in the status line.
    func export(run folder: URL, to file: URL) {
        launch(.exporting) { [self] in
            do {
                let run = try LoadedRun.load(folder)
                let dataset = try DatasetCatalog(config: config, paths: paths).load(run.manifest.dataset)
                let summary = try RunExport.write(run, dataset: dataset, to: file)
                post(.status(summary.line))
            } catch {
                post(.status("export failed: \(error)", isError: true))
            }
        }
    }

    /// Writes a saved run's programs as a bundle (the CLI's `programs export`, for the run's own programs).
    func exportPrograms(run folder: URL, to target: URL) {
        launch(.exporting) { [self] in
            do {
                let bundle = try RunPredictor(run: try LoadedRun.load(folder), sandbox: config.sandbox).programBundle()
                let written = try bundle.write(to: target, replace: false)
                post(.status("exported \(bundle.programs.count) programs to \(written.path) (python3 apply.py INPUT.csv VOTES.csv)"))
            } catch {
                post(.status("programs export failed: \(error)", isError: true))
            }
        }
    }

    /// Labels a file of new texts with a saved run (its programs and label model where it has
    /// programs, else its end model), into `RunExport.predictionFile`.
    func predict(run folder: URL, input: URL) {
        launch(.exporting) { [self] in
            do {
                let predictor = RunPredictor(run: try LoadedRun.load(folder), sandbox: config.sandbox)
                let output = RunExport.predictionFile(run: folder, input: input)
                let summary = try await predictor.predict(RunPredictor.Input(file: input), to: output, withPrograms: predictor.hasPrograms)
                post(.status(summary.line))
            } catch {
                post(.status("labeling the file failed: \(error)", isError: true))
            }
        }
    }

    func loadPastResults() {
        do {
            post(.pastResults(try PastResults.read(ExperimentLog(folder: paths.expLogDir).resultsFile, runsFolder: paths.runsFolder)))
        } catch {
            post(.pastResultsFailed("\(error)"))
        }
    }

    /// Downloads a named dataset from the mirror with progress; on success the setup options are read again.
    func fetch(_ name: String) {
        launch(.fetching) { [self] in
            do {
                guard let spec = config.dataset(named: name) else {
                    throw TUIError(description: "unknown dataset \(name)")
                }
                let fetcher = try DatasetFetcher.mirror(config: config)
                _ = try await fetcher.fetch(spec, into: paths.dataDir) { progress in
                    self.post(.fetchProgress(dataset: name, progress))
                }
                post(.fetchFinished(dataset: name, options: try SetupOptions.load(config: config, paths: paths, keys: keys), error: nil))
            } catch {
                post(.fetchFinished(dataset: name, options: nil, error: "\(error)"))
            }
        }
    }
}
