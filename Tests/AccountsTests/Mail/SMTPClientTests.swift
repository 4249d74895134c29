import Accounts
import Foundation
import Models
import Testing

@Suite struct SMTPClientTests {
    @Test func messagesUseCRLFAndDotStuffing() {
        let message = MailMessage(to: "ann@example.com", subject: "Hi\r\nBcc: evil@example.com", body: "one\n.two\r\n..three\n.")
        let text = SMTPClient.render(
            message, from: "InsightVault <no-reply@localhost>", date: Date(timeIntervalSince1970: 0), messageID: "id@localhost")
        #expect(text.hasSuffix("\r\n\r\none\r\n..two\r\n...three\r\n..\r\n.\r\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        // A header value cannot start a new header.
        #expect(text.contains("Subject: HiBcc: evil@example.com\r\n"))
        #expect(text.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"))
        #expect(text.contains("From: InsightVault <no-reply@localhost>\r\n"))
    }

    @Test func nonASCIISubjectsAreEncodedWords() {
        let text = SMTPClient.render(
            MailMessage(to: "a@example.com", subject: "Café", body: ""), from: "x@example.com", date: Date(), messageID: "m@x")
        #expect(text.contains("Subject: =?UTF-8?B?\(Data("Café".utf8).base64EncodedString())?=\r\n"))
    }

    @Test func settingsParseTheURLAndRefuseWhatIsNotSupported() throws {
        let plain = try SMTPSettings(url: "smtp://mail.example.com")
        #expect(plain.host == "mail.example.com" && plain.port == 25 && plain.username == nil)
        #expect(plain.fromAddress == "no-reply@localhost")
        let auth = try SMTPSettings(url: "smtp://us%40er:p%3Ass@127.0.0.1:2525", from: "ops@example.com")
        #expect(auth.username == "us@er" && auth.password == "p:ss" && auth.port == 2525)
        #expect(auth.fromAddress == "ops@example.com")
        for bad in ["smtps://mail.example.com", "http://x", "smtp://", "smtp://host?starttls=true", "smtp://user@host"] {
            #expect(throws: ServiceError.self, "\(bad)") { _ = try SMTPSettings(url: bad) }
        }
        #expect(throws: ServiceError.self) { _ = try SMTPSettings(url: "smtp://h", from: "Name <not-an-address>") }
    }

    @Test func unsafeAddressesAreRefused() {
        #expect(SMTPClient.isSafeAddress("ann@example.com"))
        #expect(!SMTPClient.isSafeAddress("ann@example.com>\r\nRCPT TO:<x@y"))
        #expect(!SMTPClient.isSafeAddress("a b@example.com"))
        #expect(!SMTPClient.isSafeAddress("<a@example.com>"))
    }
}
