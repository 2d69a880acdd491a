import Foundation

/// Why `--engine spark` cannot start here: what is missing and how to get it.
public struct SparkSetupError: InputError {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// What `--engine spark` runs: `spark-submit` of the virtual environment `scripts/setup-spark` makes
/// under the app home (or `$ALCHEMIST_SPARK_SUBMIT`, a Spark of the user's own) and a Java runtime.
public struct SparkEnvironment: Sendable {
    public let sparkSubmit: URL
    public let java: URL
    /// The interpreter beside spark-submit (a virtual environment's, where pip installed pyspark),
    /// for the driver and the executors' Python; nil for a Spark distribution, whose Python
    /// settings are left as they are.
    public let python: URL?

    /// Where `scripts/setup-spark` installs pyspark.
    public static func virtualEnvironment(appHome: URL) -> URL {
        appHome.appendingPathComponent("tools/spark-venv")
    }

    /// Finds spark-submit and java.
    /// - Throws: `SparkSetupError` naming what is missing and saying to run `scripts/setup-spark`.
    public static func locate(appHome: URL, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SparkEnvironment {
        let files = FileManager.default
        let submit: URL
        if let path = environment["ALCHEMIST_SPARK_SUBMIT"], !path.isEmpty {
            submit = URL(fileURLWithPath: path)
            guard files.isExecutableFile(atPath: submit.path) else {
                throw SparkSetupError("ALCHEMIST_SPARK_SUBMIT: \(path) is not an executable file; point it at spark-submit, or unset it and run scripts/setup-spark")
            }
        } else {
            let venv = virtualEnvironment(appHome: appHome)
            submit = venv.appendingPathComponent("bin/spark-submit")
            guard files.isExecutableFile(atPath: submit.path) else {
                throw SparkSetupError("spark-submit not found at \(submit.path): run scripts/setup-spark (it installs pyspark there, and a Java runtime when none is found)")
            }
        }
        let beside = submit.deletingLastPathComponent().appendingPathComponent("python")
        guard let java = findJava(environment) else {
            throw SparkSetupError("no Java runtime for Spark: java is not on PATH and JAVA_HOME names none; run scripts/setup-spark (it installs openjdk-17-jre-headless)")
        }
        return SparkEnvironment(sparkSubmit: submit, java: java, python: files.isExecutableFile(atPath: beside.path) ? beside : nil)
    }

    /// `$JAVA_HOME/bin/java` when JAVA_HOME is set (spark-submit prefers it), else java on PATH.
    static func findJava(_ environment: [String: String]) -> URL? {
        let files = FileManager.default
        if let home = environment["JAVA_HOME"], !home.isEmpty {
            let java = URL(fileURLWithPath: home).appendingPathComponent("bin/java")
            return files.isExecutableFile(atPath: java.path) ? java : nil
        }
        for folder in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let java = URL(fileURLWithPath: String(folder)).appendingPathComponent("java")
            if files.isExecutableFile(atPath: java.path) { return java }
        }
        return nil
    }

    /// The environment of spark-submit, and so of the driver and of local executors: `base` without
    /// API keys (`APIKeys.withoutKeys`), with the virtual environment's Python when it is ours.
    public func childEnvironment(_ base: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        var environment = APIKeys.withoutKeys(base)
        if let python {
            environment["PYSPARK_PYTHON"] = python.path
            environment["PYSPARK_DRIVER_PYTHON"] = python.path
        }
        return environment
    }
}
