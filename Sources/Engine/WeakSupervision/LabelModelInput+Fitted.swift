extension LabelModelInput {
    /// Checks, before predicting, that the model was fitted and the matrix has its programs and only valid votes.
    static func checkFitted(_ matrix: LabelMatrix, classCount: Int, programCount: Int, model: String) throws {
        guard classCount >= 2 else { throw LabelModelError("label model \(model) is used before fit") }
        guard matrix.columns == programCount else {
            throw LabelModelError("label model \(model) was fitted on \(programCount) programs, the matrix has \(matrix.columns)")
        }
        try validate(matrix, classCount: classCount, validation: nil)
    }
}
