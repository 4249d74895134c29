/// Formats doubles exactly like JavaScript's `Number.prototype.toString()`.
public enum JSNumber {
    /// The JavaScript string form of `value`: `1`, `0.5`, `1e+21`, `1e-7`, `NaN`, `-Infinity`.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == 0 { return "0" }
        if value.magnitude < 9_007_199_254_740_992, let integer = exactInteger(value) {
            return String(integer)
        }
        // Swift's description yields the shortest round-tripping digits, like ECMAScript's algorithm;
        // only the layout differs. Without an exponent or a ".0" (1e-4 <= |x| < 2^53, non-integral) both agree.
        let swiftText = value.description
        if !swiftText.utf8.contains(UInt8(ascii: "e")) && !swiftText.hasSuffix(".0") { return swiftText }
        // Otherwise re-lay the digits out following Number::toString.
        let text = value.magnitude.description
        var digits: [UInt8] = []
        var pointPosition: Int?
        var exponent = 0
        var leadingZeros = 0
        var seenNonZero = false
        var utf8 = text.utf8.makeIterator()
        var mantissaLength = 0
        while let byte = utf8.next() {
            if byte == UInt8(ascii: ".") {
                pointPosition = mantissaLength
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                var rest: [UInt8] = []
                while let next = utf8.next() { rest.append(next) }
                exponent = Int(String(decoding: rest, as: UTF8.self)) ?? 0
                break
            } else {
                if byte == UInt8(ascii: "0") && !seenNonZero {
                    leadingZeros += 1
                } else {
                    seenNonZero = true
                    digits.append(byte)
                }
                mantissaLength += 1
            }
        }
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        let k = digits.count
        let n = (pointPosition ?? mantissaLength) + exponent - leadingZeros
        var result = value < 0 ? "-" : ""
        if k <= n && n <= 21 {
            result += String(decoding: digits, as: UTF8.self)
            result += String(repeating: "0", count: n - k)
        } else if 0 < n && n <= 21 {
            result += String(decoding: digits[0..<n], as: UTF8.self)
            result += "."
            result += String(decoding: digits[n...], as: UTF8.self)
        } else if -6 < n && n <= 0 {
            result += "0."
            result += String(repeating: "0", count: -n)
            result += String(decoding: digits, as: UTF8.self)
        } else {
            result += String(decoding: digits[0..<1], as: UTF8.self)
            if k > 1 {
                result += "."
                result += String(decoding: digits[1...], as: UTF8.self)
            }
            result += "e"
            result += n - 1 >= 0 ? "+" : "-"
            result += String((n - 1).magnitude)
        }
        return result
    }

    /// `value` as an `Int` when it is integral and in range (no libm needed, unlike `Int(exactly:)`).
    static func exactInteger(_ value: Double) -> Int? {
        guard value.isFinite, value >= -9.223_372_036_854_775_808e18, value < 9.223_372_036_854_775_808e18 else {
            return nil
        }
        let integer = Int(value)
        return Double(integer) == value ? integer : nil
    }
}
