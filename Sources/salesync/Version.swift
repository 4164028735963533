/// salesync's version, as `salesync --version` prints it. scripts/package.sh writes the package's
/// version (from the git tag) here for the build and puts this file back afterwards.
enum Version {
    static let current = "0.3.0-dev"
}
