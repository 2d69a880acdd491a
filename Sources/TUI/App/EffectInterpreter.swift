import Engine
import Foundation

/// The one place effects are carried out. What needs the terminal (the editor, the clipboard, a
/// theme) goes through `terminal`; engine work starts in `runner`, whose news comes back through its
/// inbox. Without a runner (tests of the loop alone) only the terminal effects happen.
struct EffectInterpreter {
    let terminal: any TerminalBackend
    let runner: EngineRunner?

    /// Carries out `effect` (never `.render` or `.quit`: the loop owns those) and returns the news it
    /// makes at once, for `update`.
    func perform(_ effect: Effect, state: AppState) -> [AppMessage] {
        switch effect {
        case .render, .quit:
            return []
        case .editProgram(let id):
            guard let runner, let code = runner.code(of: id) else { return [] }
            guard let edited = ExternalEditor.edit(code, suffix: ".py", backend: terminal) else {
                return [.status(ExternalEditor.missingAdvice, isError: true)]
            }
            runner.replaceCode(of: id, with: edited)
            return [.status("edited; testing it again on the valid split…")]
        case .programs(.openInEditor(let url)):
            let edited = ExternalEditor.open(url, backend: terminal)
            runner?.loadPrograms(status: edited ? "edited \(url.lastPathComponent)" : ExternalEditor.missingAdvice)
            return []
        case .programs(.copyPath(let url)):
            // OSC 52: the terminal (and tmux with set-clipboard) puts the path on the clipboard.
            let copy = ProgramsActions.copyPath(url)
            terminal.sendControl(copy.escape)
            runner?.loadPrograms(status: copy.status)
            return []
        case .applyTheme(let theme, let remember):
            terminal.apply(theme)
            guard remember, let runner else { return [] }
            do { try UserSettings.rememberTheme(theme.name, appHome: runner.paths.appHome) } catch {
                return [.status("the theme is not remembered: \(error)", isError: true)]
            }
            return []
        case .startGeneration(let id):
            guard let choices = state.generationChoices else {
                return [.generationFailed(id: id, message: "incomplete choices", advice: "choose a dataset and a model")]
            }
            runner?.startGeneration(id: id, choices: choices)
            // Kept now too, so a crash later still finds the choices on the next launch.
            if let runner { try? UserSettings.rememberSetup(state.rememberedSetup, appHome: runner.paths.appHome) }
        case .cancelGeneration:
            runner?.cancel(.generation)
        case .saveProgram(let id):
            runner?.save(id)
        case .discardProgram(let id):
            runner?.discard(id)
        case .openPrograms:
            runner?.loadPrograms(status: nil)
        case .programs(let request):
            runner?.carryOut(request)
        case .startLabeling(let dataset):
            runner?.startLabeling(dataset: dataset, state: state)
        case .cancelLabeling:
            runner?.cancel(.labeling)
        case .loadPastResults:
            runner?.loadPastResults()
        case .exportRun(let run, let file):
            runner?.export(run: run, to: file)
        case .exportRunPrograms(let run, let folder):
            runner?.exportPrograms(run: run, to: folder)
        case .predictWithRun(let run, let input):
            runner?.predict(run: run, input: input)
        case .fetchDataset(let name):
            runner?.fetch(name)
        case .openSettings:
            guard let runner else { return [] }
            return [.settingsLoaded(SettingsView(config: runner.config, paths: runner.paths, keys: runner.keys,
                                                 current: state.theme, policy: state.colorPolicy))]
        case .showFile(let url):
            do {
                return [.fileLoaded(url, text: try String(contentsOf: url, encoding: .utf8), error: nil)]
            } catch {
                return [.fileLoaded(url, text: nil, error: "cannot read \(url.path): \(error.localizedDescription)")]
            }
        case .listFolder(let folder):
            return [EngineRunner.listing(of: folder)]
        case .loadHandLabeling(let dataset, let source):
            runner?.loadHandLabeling(dataset: dataset, source: source)
        case .saveHandLabels(let labels):
            return EngineRunner.save(labels)
        case .closeHandLabeling:
            runner?.forgetSession()
        case .loadDatasetInfo(let name):
            runner?.loadDatasetInfo(name)
        case .addDataset(let work):
            runner?.addDataset(work, view: state.addDataset)
        }
        return []
    }
}
