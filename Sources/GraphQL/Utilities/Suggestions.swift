/// The options similar to `input`, best first (graphql-js `suggestionList`): Damerau-Levenshtein distance
/// within 40% of the input length, ties broken by `naturalCompare`.
public func suggestionList(_ input: String, options: [String]) -> [String] {
    var distances: [(option: String, distance: Int)] = []
    var seen = Set<String>()
    let lexicalDistance = LexicalDistance(input)
    let threshold = UTF16Counting.length(of: input) * 4 / 10 + 1
    for option in options where !seen.contains(option) {
        seen.insert(option)
        if let distance = lexicalDistance.measure(option, threshold: threshold) {
            distances.append((option, distance))
        }
    }
    distances.sort { lhs, rhs in
        if lhs.distance != rhs.distance { return lhs.distance < rhs.distance }
        return naturalCompare(lhs.option, rhs.option) < 0
    }
    return distances.map(\.option)
}

/// ` Did you mean "a", "b", or "c"?` with at most five suggestions; empty when there are none
/// (graphql-js `didYouMean`).
public func didYouMean(_ suggestions: [String]) -> String {
    didYouMean(subMessage: nil, suggestions)
}

/// ` Did you mean <subMessage> "a" or "b"?` (graphql-js `didYouMean(subMessage, suggestions)`).
public func didYouMean(_ subMessage: String, _ suggestions: [String]) -> String {
    didYouMean(subMessage: subMessage, suggestions)
}

private func didYouMean(subMessage: String?, _ suggestions: [String]) -> String {
    var message = " Did you mean "
    if let subMessage { message += subMessage + " " }
    let quoted = suggestions.map { "\"\($0)\"" }
    switch quoted.count {
    case 0: return ""
    case 1: return message + quoted[0] + "?"
    case 2: return message + quoted[0] + " or " + quoted[1] + "?"
    default:
        let selected = Array(quoted.prefix(5))
        return message + selected.dropLast().joined(separator: ", ") + ", or " + selected[selected.count - 1] + "?"
    }
}

/// Compares strings treating digit runs as numbers ("a2" < "a10"), like graphql-js `naturalCompare`.
public func naturalCompare(_ lhs: String, _ rhs: String) -> Int {
    let a = Array(lhs.utf16)
    let b = Array(rhs.utf16)
    var aIndex = 0
    var bIndex = 0
    func isDigit(_ code: UInt16) -> Bool { code >= 48 && code <= 57 }
    while aIndex < a.count && bIndex < b.count {
        var aChar = a[aIndex]
        var bChar = b[bIndex]
        if isDigit(aChar) && isDigit(bChar) {
            var aNumber = 0
            repeat {
                aIndex += 1
                aNumber = aNumber &* 10 &+ Int(aChar) - 48
                aChar = aIndex < a.count ? a[aIndex] : 0
            } while isDigit(aChar) && aNumber > 0
            var bNumber = 0
            repeat {
                bIndex += 1
                bNumber = bNumber &* 10 &+ Int(bChar) - 48
                bChar = bIndex < b.count ? b[bIndex] : 0
            } while isDigit(bChar) && bNumber > 0
            if aNumber < bNumber { return -1 }
            if aNumber > bNumber { return 1 }
        } else {
            if aChar < bChar { return -1 }
            if aChar > bChar { return 1 }
            aIndex += 1
            bIndex += 1
        }
    }
    return a.count - b.count
}

/// Optimal string alignment distance on lower-cased UTF-16 units, as graphql-js computes it.
private struct LexicalDistance {
    let input: String
    let inputLowerCase: String
    let inputArray: [UInt16]

    init(_ input: String) {
        self.input = input
        inputLowerCase = input.lowercased()
        inputArray = Array(inputLowerCase.utf16)
    }

    func measure(_ option: String, threshold: Int) -> Int? {
        if input == option { return 0 }
        let optionLowerCase = option.lowercased()
        if inputLowerCase == optionLowerCase { return 1 }
        var a = Array(optionLowerCase.utf16)
        var b = inputArray
        if a.count < b.count { swap(&a, &b) }
        let aLength = a.count
        let bLength = b.count
        if aLength - bLength > threshold { return nil }
        var rows = [[Int]](repeating: [Int](repeating: 0, count: bLength + 1), count: 3)
        for j in 0...bLength { rows[0][j] = j }
        if aLength == 0 { return rows[0][bLength] <= threshold ? rows[0][bLength] : nil }
        for i in 1...aLength {
            let up = (i - 1) % 3
            let current = i % 3
            rows[current][0] = i
            var smallestCell = i
            if bLength > 0 {
                for j in 1...bLength {
                    let cost = a[i - 1] == b[j - 1] ? 0 : 1
                    var currentCell = min(rows[up][j] + 1, rows[current][j - 1] + 1, rows[up][j - 1] + cost)
                    if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                        currentCell = min(currentCell, rows[(i - 2) % 3][j - 2] + 1)
                    }
                    if currentCell < smallestCell { smallestCell = currentCell }
                    rows[current][j] = currentCell
                }
            }
            if smallestCell > threshold { return nil }
        }
        let distance = rows[aLength % 3][bLength]
        return distance <= threshold ? distance : nil
    }
}
