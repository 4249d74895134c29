import App
import ArgumentParser
import Foundation

/// `insightvault users reset-password --email X [--password-stdin]`: set a user's password and end their sessions.
struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "User accounts (for operators).", subcommands: [ResetPassword.self])

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password",
            abstract: "Set a user's password and sign them out everywhere; prints a generated password unless --password-stdin.")
        @OptionGroup var common: CommonOptions

        @Option(help: "The account's email address (any letter case).")
        var email: String

        @Flag(name: .customLong("password-stdin"), help: "Read the new password from the first line of standard input.")
        var passwordStdin = false

        func run() async throws {
            let config = try common.load()
            let password: String
            if passwordStdin {
                guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                    throw ValidationError("--password-stdin: no password on standard input")
                }
                password = line.hasSuffix("\r") ? String(line.dropLast()) : line
            } else {
                password = PasswordResetCommand.generatePassword()
            }
            do {
                let stored = try await PasswordResetCommand.run(
                    config: config, email: email, password: password, logger: makeLogger(config: config))
                FileHandle.standardError.write(Data("password of \(stored) reset; every session of the account ended\n".utf8))
            } catch let error as PasswordResetCommand.Failure {
                throw ValidationError(error.message)
            }
            if !passwordStdin { print(password) }
        }
    }
}
