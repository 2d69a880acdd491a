// Fit and predict times of the label models on the WRENCH youtube and sms weak labels and on a
// synthetic 1,000,000 × 20 matrix. Build and run with scripts/benchmark-label-models.
// Reference in the same run: one pass that only counts votes per row (the least any label model
// must do), so the ratios show each model's cost in units of "reading the matrix once".
import Engine
import Foundation

func argument(_ name: String) -> String? {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// Planted binary votes: 20 programs with accuracies 0.55–0.95 and coverages 0.2–0.9.
func synthetic(rows: Int, programs: Int) -> LabelMatrix {
    var generator = SplitMix64(seed: 2024)
    var matrix = LabelMatrix(rows: rows, columns: programs)
    let accuracy = (0..<programs).map { 0.55 + 0.4 * Double($0) / Double(max(programs - 1, 1)) }
    let coverage = (0..<programs).map { 0.2 + 0.7 * Double(($0 * 7) % programs) / Double(max(programs - 1, 1)) }
    func unit() -> Double { Double(generator.next() >> 11) / Double(1 << 53) }
    for row in 0..<rows {
        let truth = Int(generator.next() & 1)
        for program in 0..<programs where unit() < coverage[program] {
            matrix[row, program] = unit() < accuracy[program] ? truth : 1 - truth
        }
    }
    return matrix
}

let rounds = max(1, Int(argument("--rounds") ?? "") ?? 3)
let rows = Int(argument("--rows") ?? "") ?? 1_000_000
var cases: [(name: String, matrix: LabelMatrix)] = []
let shared = URL(fileURLWithPath: argument("--data") ?? "../shared/datasets")
for name in ["youtube", "sms"] {
    if let dataset = try? WrenchLoader.load(folder: shared.appendingPathComponent(name), name: name),
       let votes = try dataset.split(.train).weakLabels {
        cases.append(("\(name) train (\(votes.count) × \(votes.first?.count ?? 0))", LabelMatrix(rows: votes)))
    }
}
let syntheticMatrix = synthetic(rows: rows, programs: 20)
cases.append(("synthetic \(rows) × 20", syntheticMatrix))
// --export FILE: the synthetic matrix as raw int8 (row-major), for timing reference tools on the same votes.
if let export = argument("--export") {
    try Data(syntheticMatrix.values.map { UInt8(bitPattern: Int8($0)) }).write(to: URL(fileURLWithPath: export))
    print("wrote \(export) (\(rows) × 20, int8)")
}

print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; medians of \(rounds) rounds; fit and predict on the same matrix")
var snorkelFits: [String: Double] = [:]
for (name, matrix) in cases {
    let reference = median((0..<rounds).map { _ in
        seconds {
            var voted = 0
            for row in 0..<matrix.rows where matrix.row(row).contains(where: { $0 >= 0 }) { voted += 1 }
            precondition(voted >= 0)
        }
    })
    print("\n\(name): reference pass (count votes per row) \(String(format: "%.4f", reference)) s")
    for id in LabelModelID.allCases {
        var fits: [Double] = [], predictions: [Double] = []
        for round in 0..<rounds {
            var model = id.make()
            fits.append(try seconds { try model.fit(matrix, classCount: 2, validation: nil, seed: UInt64(round)) })
            predictions.append(try seconds { _ = try model.predict(matrix) })
        }
        print("  " + id.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0) + String(format: "fit %8.4f s (%6.1f× the pass)   predict %8.4f s (%6.1f×)", median(fits), median(fits) / reference,
                     median(predictions), median(predictions) / reference))
        if id == .snorkel { snorkelFits[name] = median(fits) }
    }
}

// --reference-python PYTHON: snorkel 0.10's PyTorch LabelModel timed on the same matrices in this
// run (scripts/reference-label-models makes an environment that has it).
if let python = argument("--reference-python") {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("label-model-benchmark-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var specs: [String] = [], files: [String: String] = [:]
    for (index, (name, matrix)) in cases.enumerated() {
        let file = folder.appendingPathComponent("m\(index).int8").path
        try Data(matrix.values.map { UInt8(bitPattern: Int8($0)) }).write(to: URL(fileURLWithPath: file))
        specs.append("\(file):\(matrix.columns)")
        files[name] = file
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    let script = URL(fileURLWithPath: argument("--repo") ?? FileManager.default.currentDirectoryPath)
        .appendingPathComponent("scripts/reference/time_snorkel.py").path
    process.arguments = [script, String(rounds)] + specs
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let times = (try? JSONSerialization.jsonObject(with: output)) as? [String: Double] ?? [:]
    print("\nsnorkel 0.10 LabelModel.fit (PyTorch, defaults) against ours on the same matrices, this run:")
    for (name, _) in cases {
        guard let theirs = files[name].flatMap({ times[$0] }), let ours = snorkelFits[name] else {
            print("  \(name): reference did not run"); continue
        }
        print(String(format: "  %@: snorkel %.4f s, ours %.4f s, ours is %.1f× faster", name, theirs, ours, theirs / ours))
    }
}
