import Engine
import Foundation

/// The Spark of `scripts/setup-spark`, when installed: ALCHEMIST_SPARK_SUBMIT names its spark-submit,
/// else the app home's default place.
public enum SparkInstall {
    public static var sparkSubmit: URL? {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["ALCHEMIST_SPARK_SUBMIT"], !path.isEmpty {
            return FileManager.default.isExecutableFile(atPath: path) ? URL(fileURLWithPath: path) : nil
        }
        let venv = SparkEnvironment.virtualEnvironment(appHome: AppPaths.appHome(configured: nil, environment: environment))
        let submit = venv.appendingPathComponent("bin/spark-submit")
        return FileManager.default.isExecutableFile(atPath: submit.path) ? submit : nil
    }
}
