@testable import Engine
import Testing

/// The rows a program gets wrong: picked from votes and gold in row order, read back in one pass.
@Suite struct ProgramMistakesTests {
    // Two programs on 7 rows; gold -1 is unlabeled.
    let matrix = LabelMatrix(rows: [[1, 0], [0, -1], [1, 1], [1, 0], [-1, 1], [1, 0], [0, 0]])
    let gold: [LabelMatrix.Vote] = [0, 0, -1, 0, 0, 1, 1]

    @Test func picksTheFirstWrongLabeledRowsOfEachProgram() {
        // Program 0 is wrong on rows 0, 3 (row 2 is unlabeled), and 6; program 1 on row 4 and 5.
        #expect(ProgramMistakes.rows(matrix, gold: gold, limit: 2) == [[0, 3], [4, 5]])
        #expect(ProgramMistakes.rows(matrix, gold: gold, limit: 10) == [[0, 3, 6], [4, 5, 6]])
        #expect(ProgramMistakes.rows(matrix, gold: gold, limit: 0) == [[], []])
    }

    @Test func readsBackTheirIdsAndTextsAcrossChunks() throws {
        var rows = RowChunk(firstRow: 0)
        for row in 0..<7 { rows.append(id: "r\(row)", text: "text \(row)", label: gold[row]) }
        var stream = TinyChunks(rows: rows)
        let picked = ProgramMistakes.rows(matrix, gold: gold, limit: 2)
        let found = try ProgramMistakes.collect(picked, matrix: matrix, gold: gold, from: &stream, file: "f")
        #expect(found[0] == [ProgramMistake(row: 0, id: "r0", text: "text 0", vote: 1, gold: 0),
                             ProgramMistake(row: 3, id: "r3", text: "text 3", vote: 1, gold: 0)])
        #expect(found[1].map(\.id) == ["r4", "r5"])
        #expect(found[1].map(\.vote) == [1, 0])

        var short = TinyChunks(rows: RowChunk(ids: ["r0"], texts: ["t"], labels: [0], firstRow: 0))
        #expect(throws: DatasetError.self) { try ProgramMistakes.collect(picked, matrix: matrix, gold: gold, from: &short, file: "f") }
    }

    /// Rows handed out two at a time.
    struct TinyChunks: RowStream {
        var rows: RowChunk
        var next = 0
        var bytesRead: Int? { nil }
        mutating func next(limit: Int) throws -> RowChunk? {
            guard next < rows.count else { return nil }
            let end = min(rows.count, next + 2)
            defer { next = end }
            return RowChunk(ids: Array(rows.ids[next..<end]), texts: Array(rows.texts[next..<end]), labels: Array(rows.labels[next..<end]),
                            firstRow: next)
        }
    }
}
