@testable import Analytics
import Testing

/// Packing a day's property columns: members split from PostgreSQL's jsonb text without re-serialising, codes as
/// narrow as the values allow, keys over the value cap left out.
@Suite struct RollupColumnsTests {
    func members(_ text: String) -> [String] {
        var found: [String] = []
        JSONObjectSlices.forEach(in: text) { found.append("\($0)=\($1)") }
        return found
    }

    @Test func membersKeepTheirExactTextThroughNestingAndEscapes() {
        #expect(
            members(#"{"a": 1.50, "b": "x, \"y\"}", "c": {"d": [1, {"e": "]"}]}, "k\"q": null, "t": true}"#)
                == [#"a=1.50"#, #"b="x, \"y\"}""#, #"c={"d": [1, {"e": "]"}]}"#, #"k"q=null"#, "t=true"])
        #expect(members("{}").isEmpty)
        #expect(members("[1, 2]").isEmpty)
        #expect(members(#"{"a":-2e3,"b":"\\"}"#) == ["a=-2e3", #"b="\\""#])
    }

    @Test func codesAreAlignedWithEventsAndAsNarrowAsTheValues() {
        var columns = RollupColumns(maxValues: 300)
        columns.append(properties: #"{"plan": "pro"}"#)
        columns.append(properties: "{}")
        for i in 0..<260 { columns.append(properties: #"{"n": \#(i), "plan": "free"}"#) }
        columns.append(properties: #"{"plan": "pro"}"#)
        let packed = Dictionary(uniqueKeysWithValues: columns.packed().map { ($0.key, $0) })
        let plan = packed["plan"]!
        #expect(plan.dict == [#""pro""#, #""free""#])
        #expect(plan.codeBytes == 1)
        let planCodes = RollupColumns.unpack(plan.codes, codeBytes: 1)
        #expect(planCodes.count == 263)
        #expect(Array(planCodes.prefix(3)) == [1, 0, 2])
        #expect(planCodes.last == 1)
        let n = packed["n"]!
        #expect(n.codeBytes == 2)
        let nCodes = RollupColumns.unpack(n.codes, codeBytes: 2)
        #expect(nCodes.count == 263)
        #expect(Array(nCodes.prefix(3)) == [0, 0, 1])
        #expect(nCodes[261] == 260)
        #expect(nCodes[262] == 0)
        #expect(columns.overflow.isEmpty)
    }

    @Test func aKeyWithMoreValuesThanTheCapIsLeftOut() {
        var columns = RollupColumns(maxValues: 3)
        for i in 0..<5 { columns.append(properties: #"{"id": "\#(i)", "kind": "a"}"#) }
        #expect(columns.overflow == ["id"])
        #expect(columns.packed().map(\.key) == ["kind"])
    }
}
