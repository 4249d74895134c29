/// SplitMix64: a tiny seeded generator, so every run of the tests sees the same "random" documents.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    /// A generator whose sequence depends only on `seed`.
    init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// Writes random valid JSON documents together with the tree they must parse to: random whitespace, every escape,
/// surrogate pairs, lone surrogates, integers around the 64-bit limits, fractions and exponents (within `Double`
/// range; the hand-written corpus has the ones beyond), repeated keys.
struct DocumentGenerator {
    /// The source of randomness.
    var random: SeededGenerator
    /// How deep containers nest at most.
    var maxDepth = 5

    /// A generator seeded with `seed`.
    init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    /// One document: its UTF-8 text and the tree (ordered, repeated keys merged) it stands for.
    mutating func document() -> (text: [UInt8], expected: Canon) {
        var text: [UInt8] = []
        whitespace(&text)
        let expected = value(depth: 0, into: &text)
        whitespace(&text)
        return (text, expected)
    }

    /// A random integer in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }

    /// True with probability `percent` / 100.
    mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }

    /// Zero to three whitespace bytes, usually none.
    mutating func whitespace(_ text: inout [UInt8]) {
        guard chance(30) else { return }
        for _ in 0..<int(1...3) { text.append([0x20, 0x09, 0x0A, 0x0D][int(0...3)]) }
    }

    /// A random value written to `text`; returns the tree it stands for.
    mutating func value(depth: Int, into text: inout [UInt8]) -> Canon {
        let kind = depth >= maxDepth ? int(0...5) : int(0...8)
        switch kind {
        case 0:
            text.append(contentsOf: "null".utf8)
            return .null
        case 1:
            let flag = chance(50)
            text.append(contentsOf: (flag ? "true" : "false").utf8)
            return .bool(flag)
        case 2, 3: return number(into: &text)
        case 4, 5: return .string(string(into: &text))
        case 6, 7: return object(depth: depth, into: &text)
        default: return array(depth: depth, into: &text)
        }
    }

    /// A random array.
    mutating func array(depth: Int, into text: inout [UInt8]) -> Canon {
        text.append(UInt8(ascii: "["))
        whitespace(&text)
        var elements: [Canon] = []
        for index in 0..<int(0...6) {
            if index > 0 {
                text.append(UInt8(ascii: ","))
                whitespace(&text)
            }
            elements.append(value(depth: depth + 1, into: &text))
            whitespace(&text)
        }
        text.append(UInt8(ascii: "]"))
        return .array(elements)
    }

    /// A random object; keys come from a small pool now and then, so some repeat.
    mutating func object(depth: Int, into text: inout [UInt8]) -> Canon {
        text.append(UInt8(ascii: "{"))
        whitespace(&text)
        var members: [Canon.Member] = []
        for index in 0..<int(0...6) {
            if index > 0 {
                text.append(UInt8(ascii: ","))
                whitespace(&text)
            }
            let key: String
            if chance(40) {
                let pooled = ["a", "b", "id", "event", "properties", "é", ""][int(0...6)]
                text.append(UInt8(ascii: "\""))
                text.append(contentsOf: pooled.utf8)
                text.append(UInt8(ascii: "\""))
                key = pooled
            } else {
                key = string(into: &text)
            }
            whitespace(&text)
            text.append(UInt8(ascii: ":"))
            whitespace(&text)
            let member = value(depth: depth + 1, into: &text)
            whitespace(&text)
            if let existing = members.firstIndex(where: { $0.key == key }) {
                members[existing].value = member
            } else {
                members.append(Canon.Member(key: key, value: member))
            }
        }
        text.append(UInt8(ascii: "}"))
        return .object(members)
    }

    /// Four hex digits of `code`, in random letter case.
    mutating func hex4(_ code: UInt32, into text: inout [UInt8]) {
        let digits: [UInt8] = chance(50) ? Array("0123456789abcdef".utf8) : Array("0123456789ABCDEF".utf8)
        for shift in [12, 8, 4, 0] { text.append(digits[Int((code >> UInt32(shift)) & 0xF)]) }
    }

    /// A random string literal; returns the string it stands for.
    mutating func string(into text: inout [UInt8]) -> String {
        text.append(UInt8(ascii: "\""))
        var scalars = String.UnicodeScalarView()
        for _ in 0..<int(0...12) {
            switch int(0...14) {
            case 0...6:
                var byte = UInt8(int(0x20...0x7E))
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { byte = UInt8(ascii: "q") }
                text.append(byte)
                scalars.append(Unicode.Scalar(byte))
            case 7:
                let character = ["é", "ß", "中", "😀", "\u{7F}", "\u{80}", "\u{FFFF}", "\u{10FFFF}"][int(0...7)]
                text.append(contentsOf: character.utf8)
                scalars.append(contentsOf: character.unicodeScalars)
            case 8, 9:
                let escapes: [(String, Unicode.Scalar)] = [
                    ("\\\"", "\""), ("\\\\", "\\"), ("\\/", "/"), ("\\b", "\u{8}"), ("\\f", "\u{C}"), ("\\n", "\n"),
                    ("\\r", "\r"), ("\\t", "\t"),
                ]
                let (written, meant) = escapes[int(0...7)]
                text.append(contentsOf: written.utf8)
                scalars.append(meant)
            case 10:
                let ranges: [ClosedRange<Int>] = [0...0x7F, 0x80...0x7FF, 0x800...0xD7FF, 0xE000...0xFFFF]
                let code = UInt32(int(ranges[int(0...3)]))
                text.append(contentsOf: "\\u".utf8)
                hex4(code, into: &text)
                scalars.append(Unicode.Scalar(code)!)
            case 11, 12:
                let code = UInt32(int(0x10000...0x10FFFF))
                let high = 0xD800 + ((code - 0x10000) >> 10)
                let low = 0xDC00 + ((code - 0x10000) & 0x3FF)
                text.append(contentsOf: "\\u".utf8)
                hex4(high, into: &text)
                text.append(contentsOf: "\\u".utf8)
                hex4(low, into: &text)
                scalars.append(Unicode.Scalar(code)!)
            case 13:
                // A lone low surrogate becomes U+FFFD.
                text.append(contentsOf: "\\u".utf8)
                hex4(UInt32(int(0xDC00...0xDFFF)), into: &text)
                scalars.append("\u{FFFD}")
            default:
                // A lone high surrogate followed by a plain character or another escape becomes U+FFFD, and the
                // character or escape after it is read on its own.
                text.append(contentsOf: "\\u".utf8)
                hex4(UInt32(int(0xD800...0xDBFF)), into: &text)
                scalars.append("\u{FFFD}")
                if chance(50) {
                    text.append(UInt8(ascii: "z"))
                    scalars.append("z")
                } else {
                    let code = UInt32(int(0x20...0xD7FF))
                    text.append(contentsOf: "\\u".utf8)
                    hex4(code, into: &text)
                    scalars.append(Unicode.Scalar(code)!)
                }
            }
        }
        text.append(UInt8(ascii: "\""))
        return String(scalars)
    }

    /// Decimal digits, the first one not zero unless the whole thing is "0".
    mutating func digits(_ count: ClosedRange<Int>, into text: inout [UInt8]) {
        if chance(10) {
            text.append(UInt8(ascii: "0"))
            return
        }
        text.append(UInt8(int(0x31...0x39)))
        for _ in 1..<int(count) { text.append(UInt8(int(0x30...0x39))) }
    }

    /// A random number: integers of 1 to 22 digits (some beyond 64 bits), or fractions and exponents that stay
    /// within `Double` range.
    mutating func number(into text: inout [UInt8]) -> Canon {
        var written: [UInt8] = []
        if chance(30) { written.append(UInt8(ascii: "-")) }
        if chance(50) {
            digits(1...22, into: &written)
            text.append(contentsOf: written)
            let literal = String(decoding: written, as: UTF8.self)
            if let integer = Int64(literal) { return .int(integer) }
            return .real(Double(literal)!)
        }
        digits(1...20, into: &written)
        let fraction = chance(60)
        if fraction {
            written.append(UInt8(ascii: "."))
            for _ in 0..<int(1...20) { written.append(UInt8(int(0x30...0x39))) }
        }
        if !fraction || chance(50) {
            written.append(chance(50) ? UInt8(ascii: "e") : UInt8(ascii: "E"))
            let sign = int(0...2)
            if sign == 1 { written.append(UInt8(ascii: "+")) }
            if sign == 2 { written.append(UInt8(ascii: "-")) }
            // Three-digit exponents only downwards (underflow to zero or a subnormal stays finite).
            let length = sign == 2 && chance(20) ? 3 : int(1...2)
            for _ in 0..<length { written.append(UInt8(int(0x30...0x39))) }
        }
        text.append(contentsOf: written)
        return .real(Double(String(decoding: written, as: UTF8.self))!)
    }

    /// `text` damaged one to three times (bytes deleted, replaced, inserted, or the end cut off): mostly invalid
    /// documents, some still valid.
    mutating func mutate(_ text: [UInt8]) -> [UInt8] {
        var bytes = text
        let alphabet = Array("{}[],:\"\\ 0123456789eE.-+tfnux\u{1}\t".utf8) + [0xC3, 0xFF]
        for _ in 0..<int(1...3) {
            guard !bytes.isEmpty else { break }
            let position = int(0...(bytes.count - 1))
            switch int(0...3) {
            case 0: bytes.remove(at: position)
            case 1: bytes[position] = alphabet[int(0...(alphabet.count - 1))]
            case 2: bytes.insert(alphabet[int(0...(alphabet.count - 1))], at: position)
            default: bytes.removeSubrange(position...)
            }
        }
        return bytes
    }

    /// A random tree for the writers: unique keys, any finite double (random bits, or round decimal ones),
    /// strings with every kind of character that is escaped.
    mutating func writerTree(depth: Int = 0) -> Canon {
        switch depth >= maxDepth ? int(0...4) : int(0...6) {
        case 0: return chance(20) ? .null : .bool(chance(50))
        case 1: return .int(Int64.random(in: Int64.min...Int64.max, using: &random) >> UInt64(int(0...63)))
        case 2:
            if chance(50) {
                var number = Double(bitPattern: random.next())
                while !number.isFinite { number = Double(bitPattern: random.next()) }
                return .real(number)
            }
            let magnitude = pow10(Double.random(in: -9...25, using: &random)) * (chance(50) ? 1 : -1)
            // Float-rounded or integral now and then, for short digit strings.
            return .real(chance(30) ? Double(Float(magnitude)) : chance(20) ? magnitude.rounded() : magnitude)
        case 3, 4:
            let alphabet = ["a", "Z", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{8}", "\u{C}", "\u{0}", "\u{1F}", "\u{7F}", "é", "😀", "中"]
            return .string((0..<int(0...24)).map { _ in alphabet[int(0...(alphabet.count - 1))] }.joined())
        case 5: return .array((0..<int(0...5)).map { _ in writerTree(depth: depth + 1) })
        default:
            var members: [Canon.Member] = []
            for index in 0..<int(0...5) {
                members.append(Canon.Member(key: "k\(index)" + (chance(30) ? "é\"\n" : ""), value: writerTree(depth: depth + 1)))
            }
            return .object(members)
        }
    }

    /// 10 to the power `exponent`, without Foundation.
    private func pow10(_ exponent: Double) -> Double {
        var result = 1.0
        var whole = Int(exponent.rounded(.down))
        while whole > 0 {
            result *= 10
            whole -= 1
        }
        while whole < 0 {
            result /= 10
            whole += 1
        }
        // 10^fraction through e^(fraction * ln 10), a few terms are plenty for test data.
        let x = (exponent - exponent.rounded(.down)) * 2.302_585_092_994_046
        var term = 1.0
        var sum = 1.0
        for n in 1...20 {
            term *= x / Double(n)
            sum += term
        }
        return result * sum
    }
}
