/// Field Selection Merging: fields with the same response key must be mergeable (same field and arguments
/// unless their parents are distinct object types, and compatible types), checked through fragments.
///
/// A port of graphql-js 16's algorithm, with its caches of collected fields and compared fragment pairs.
/// In addition, fields of one response key that are structurally identical are compared once: the rule stays
/// fast on documents that repeat one field thousands of times.
///
/// https://spec.graphql.org/September2025/#sec-Field-Selection-Merging
public struct OverlappingFieldsCanBeMergedRule: ValidationRule {
    /// Creates the rule.
    public init() {}

    /// A visitor for one validation run.
    public func makeVisitor(context: ValidationContext) -> any ASTVisitor {
        Visitor(context: context, checker: FieldConflictChecker(context: context))
    }

    private struct Visitor: ASTVisitor {
        let context: ValidationContext
        let checker: FieldConflictChecker

        mutating func enter(selectionSet: SelectionSetNode) -> VisitAction {
            for conflict in checker.conflictsWithin(context.parentType, selectionSet) {
                context.report(
                    GraphQLError(
                        "Fields \"\(conflict.responseName)\" conflict because \(conflict.reason.message). "
                            + "Use different aliases on the fields to fetch both if this was intentional.",
                        at: conflict.fields1 + conflict.fields2))
            }
            return .continue
        }
    }
}

/// Why two fields conflict: a message, or conflicts between their subfields.
indirect enum FieldConflictReason {
    /// A direct reason, e.g. `"a" and "b" are different fields`.
    case message(String)
    /// Conflicts between subfields, by response key.
    case subfields([(String, FieldConflictReason)])

    /// The reason as graphql-js words it (`reasonMessage`).
    var message: String {
        switch self {
        case .message(let text):
            return text
        case .subfields(let reasons):
            return reasons.map { "subfields \"\($0.0)\" conflict because " + $0.1.message }.joined(separator: " and ")
        }
    }
}

/// A conflict and the locations of the fields on each side.
struct FieldConflict {
    /// The response key both sides share.
    let responseName: String
    /// Why they conflict.
    let reason: FieldConflictReason
    /// The first side's field and conflicting subfields.
    let fields1: [Location]
    /// The second side's field and conflicting subfields.
    let fields2: [Location]
}

/// One collected field: its parent type, node and definition, with what comparisons need precomputed.
struct CollectedField {
    /// The type the field was selected on, if known.
    let parentType: GraphQLNamedType?
    /// The selection.
    let node: FieldNode
    /// The type of the field's definition on `parentType` (nil for `__typename` and unknown fields, as in
    /// graphql-js).
    let type: TypeReference?
    /// graphql-js `stringifyArguments`: the arguments printed as an object with sorted keys.
    let argumentsKey: String
    /// Equal for fields of one response key that are structurally identical (same parent type and text).
    var classID = 0
}

/// Fields by response key, in first-seen order; a class so that maps can be compared by identity.
final class CollectedFieldMap {
    /// Response keys in first-seen order.
    @exclusivity(unchecked) var keys: [String] = []
    /// The fields of each response key, in document order.
    @exclusivity(unchecked) var groups: [String: [CollectedField]] = [:]
}

/// The state of the rule for one document (graphql-js `cachedFieldsAndFragmentNames` and `PairSet`).
final class FieldConflictChecker {
    private let context: ValidationContext
    @exclusivity(unchecked) private var cache: [NodeKey: (CollectedFieldMap, [String])] = [:]
    @exclusivity(unchecked) private var comparedFragmentPairs: [String: [String: Bool]] = [:]
    /// Conflicts past this many in one list are not collected: validation aborts before reporting them, and
    /// wide documents could otherwise produce millions.
    @exclusivity(unchecked) private var limit = Int.max

    /// Creates a checker for the document of `context`.
    init(context: ValidationContext) { self.context = context }

    /// graphql-js `findConflictsWithinSelectionSet`.
    func conflictsWithin(_ parentType: GraphQLNamedType?, _ selectionSet: SelectionSetNode) -> [FieldConflict] {
        var conflicts: [FieldConflict] = []
        limit = context.remainingErrorBudget
        let (fieldMap, fragmentNames) = fieldsAndFragmentNames(parentType, selectionSet)
        collectConflictsWithin(&conflicts, fieldMap)
        for index in fragmentNames.indices {
            collectConflictsBetweenFieldsAndFragment(&conflicts, false, fieldMap, fragmentNames[index])
            for other in fragmentNames[(index + 1)...] {
                collectConflictsBetweenFragments(&conflicts, false, fragmentNames[index], other)
            }
        }
        return conflicts
    }

    // MARK: Fragment pairs

    private func wasCompared(_ a: String, _ b: String, _ mutuallyExclusive: Bool) -> Bool {
        let (key1, key2) = a < b ? (a, b) : (b, a)
        guard let result = comparedFragmentPairs[key1]?[key2] else { return false }
        return mutuallyExclusive ? true : mutuallyExclusive == result
    }

    private func markCompared(_ a: String, _ b: String, _ mutuallyExclusive: Bool) {
        let (key1, key2) = a < b ? (a, b) : (b, a)
        comparedFragmentPairs[key1, default: [:]][key2] = mutuallyExclusive
    }

    private func collectConflictsBetweenFieldsAndFragment(
        _ conflicts: inout [FieldConflict], _ mutuallyExclusive: Bool, _ fieldMap: CollectedFieldMap, _ fragmentName: String
    ) {
        guard let fragment = context.fragment(named: fragmentName) else { return }
        let (fieldMap2, referencedFragmentNames) = referencedFieldsAndFragmentNames(fragment)
        if fieldMap === fieldMap2 { return }
        collectConflictsBetween(&conflicts, mutuallyExclusive, fieldMap, fieldMap2)
        for referenced in referencedFragmentNames {
            if wasCompared(referenced, fragmentName, mutuallyExclusive) { continue }
            markCompared(referenced, fragmentName, mutuallyExclusive)
            collectConflictsBetweenFieldsAndFragment(&conflicts, mutuallyExclusive, fieldMap, referenced)
        }
    }

    private func collectConflictsBetweenFragments(
        _ conflicts: inout [FieldConflict], _ mutuallyExclusive: Bool, _ name1: String, _ name2: String
    ) {
        if name1 == name2 || wasCompared(name1, name2, mutuallyExclusive) { return }
        markCompared(name1, name2, mutuallyExclusive)
        guard let fragment1 = context.fragment(named: name1), let fragment2 = context.fragment(named: name2) else {
            return
        }
        let (fieldMap1, referenced1) = referencedFieldsAndFragmentNames(fragment1)
        let (fieldMap2, referenced2) = referencedFieldsAndFragmentNames(fragment2)
        collectConflictsBetween(&conflicts, mutuallyExclusive, fieldMap1, fieldMap2)
        for name in referenced2 { collectConflictsBetweenFragments(&conflicts, mutuallyExclusive, name1, name) }
        for name in referenced1 { collectConflictsBetweenFragments(&conflicts, mutuallyExclusive, name, name2) }
    }

    private func conflictsBetweenSubSelectionSets(
        _ mutuallyExclusive: Bool, _ parentType1: GraphQLNamedType?, _ selectionSet1: SelectionSetNode,
        _ parentType2: GraphQLNamedType?, _ selectionSet2: SelectionSetNode
    ) -> [FieldConflict] {
        var conflicts: [FieldConflict] = []
        let (fieldMap1, fragmentNames1) = fieldsAndFragmentNames(parentType1, selectionSet1)
        let (fieldMap2, fragmentNames2) = fieldsAndFragmentNames(parentType2, selectionSet2)
        collectConflictsBetween(&conflicts, mutuallyExclusive, fieldMap1, fieldMap2)
        for name in fragmentNames2 {
            collectConflictsBetweenFieldsAndFragment(&conflicts, mutuallyExclusive, fieldMap1, name)
        }
        for name in fragmentNames1 {
            collectConflictsBetweenFieldsAndFragment(&conflicts, mutuallyExclusive, fieldMap2, name)
        }
        for name1 in fragmentNames1 {
            for name2 in fragmentNames2 {
                collectConflictsBetweenFragments(&conflicts, mutuallyExclusive, name1, name2)
            }
        }
        return conflicts
    }

    // MARK: Comparing fields

    /// All pairs within each response key. Identical fields form one class: a class pair whose first members
    /// do not conflict is skipped whole (later comparisons can only find less, as the fragment-pair cache grows).
    private func collectConflictsWithin(_ conflicts: inout [FieldConflict], _ fieldMap: CollectedFieldMap) {
        for responseName in fieldMap.keys {
            guard let fields = fieldMap.groups[responseName], fields.count > 1 else { continue }
            let classes = membersByClass(fields)
            for (position, members) in classes.enumerated() {
                if conflicts.count >= limit { return }
                if members.count > 1 {
                    comparePairs(&conflicts, false, responseName, fields, fields, members, members, sameClass: true)
                }
                for others in classes[(position + 1)...] {
                    comparePairs(&conflicts, false, responseName, fields, fields, members, others, sameClass: false)
                }
            }
        }
    }

    private func collectConflictsBetween(
        _ conflicts: inout [FieldConflict], _ mutuallyExclusive: Bool, _ fieldMap1: CollectedFieldMap,
        _ fieldMap2: CollectedFieldMap
    ) {
        for responseName in fieldMap1.keys {
            guard let fields1 = fieldMap1.groups[responseName], let fields2 = fieldMap2.groups[responseName] else {
                continue
            }
            if fields1.count == 1 && fields2.count == 1 {
                // One field on each side (the usual case): the single pair, without building classes.
                if conflicts.count >= limit { return }
                if let conflict = findConflict(mutuallyExclusive, responseName, fields1[0], fields2[0]) {
                    conflicts.append(conflict)
                }
                continue
            }
            let classes1 = membersByClass(fields1)
            let classes2 = membersByClass(fields2)
            for members1 in classes1 {
                if conflicts.count >= limit { return }
                for members2 in classes2 {
                    comparePairs(
                        &conflicts, mutuallyExclusive, responseName, fields1, fields2, members1, members2, sameClass: false)
                }
            }
        }
    }

    /// Positions of the fields of each class, classes in first-seen order.
    private func membersByClass(_ fields: [CollectedField]) -> [[Int]] {
        if fields.count == 1 { return [[0]] }
        var classes: [[Int]] = []
        var positionOfClass: [Int: Int] = [:]
        for (index, field) in fields.enumerated() {
            if let position = positionOfClass[field.classID] {
                classes[position].append(index)
            } else {
                positionOfClass[field.classID] = classes.count
                classes.append([index])
            }
        }
        return classes
    }

    /// Compares the fields of two classes: the first pair stands for all unless it conflicts.
    private func comparePairs(
        _ conflicts: inout [FieldConflict], _ mutuallyExclusive: Bool, _ responseName: String,
        _ fields1: [CollectedField], _ fields2: [CollectedField], _ members1: [Int], _ members2: [Int], sameClass: Bool
    ) {
        if conflicts.count >= limit { return }
        let firstPair = sameClass ? (members1[0], members1[1]) : (members1[0], members2[0])
        guard let first = findConflict(mutuallyExclusive, responseName, fields1[firstPair.0], fields2[firstPair.1]) else {
            return
        }
        conflicts.append(first)
        var pairs: [(Int, Int)] = []
        if sameClass {
            for i in members1.indices {
                for j in (i + 1)..<members1.count where !(i == 0 && j == 1) { pairs.append((members1[i], members1[j])) }
            }
        } else {
            for i in members1 {
                for j in members2 where !(i == firstPair.0 && j == firstPair.1) { pairs.append((i, j)) }
            }
        }
        for (i, j) in pairs {
            if conflicts.count >= limit { return }
            if let conflict = findConflict(mutuallyExclusive, responseName, fields1[i], fields2[j]) {
                conflicts.append(conflict)
            }
        }
    }

    private func findConflict(
        _ parentFieldsAreMutuallyExclusive: Bool, _ responseName: String, _ field1: CollectedField,
        _ field2: CollectedField
    ) -> FieldConflict? {
        var mutuallyExclusive = parentFieldsAreMutuallyExclusive
        if !mutuallyExclusive, let parent1 = field1.parentType, let parent2 = field2.parentType, parent1 != parent2,
            parent1.asObject != nil, parent2.asObject != nil
        {
            mutuallyExclusive = true
        }
        let node1 = field1.node
        let node2 = field2.node
        if !mutuallyExclusive {
            let name1 = node1.name.value
            let name2 = node2.name.value
            if name1 != name2 {
                return FieldConflict(
                    responseName: responseName, reason: .message("\"\(name1)\" and \"\(name2)\" are different fields"),
                    fields1: [node1.loc], fields2: [node2.loc])
            }
            if field1.argumentsKey != field2.argumentsKey {
                return FieldConflict(
                    responseName: responseName, reason: .message("they have differing arguments"), fields1: [node1.loc],
                    fields2: [node2.loc])
            }
        }
        let type1 = field1.type
        let type2 = field2.type
        if let type1, let type2, doTypesConflict(type1, type2) {
            return FieldConflict(
                responseName: responseName,
                reason: .message("they return conflicting types \"\(type1)\" and \"\(type2)\""), fields1: [node1.loc],
                fields2: [node2.loc])
        }
        guard let selectionSet1 = node1.selectionSet, let selectionSet2 = node2.selectionSet else { return nil }
        let conflicts = conflictsBetweenSubSelectionSets(
            mutuallyExclusive, type1.flatMap { context.schema.namedType(of: $0) }, selectionSet1,
            type2.flatMap { context.schema.namedType(of: $0) }, selectionSet2)
        guard !conflicts.isEmpty else { return nil }
        return FieldConflict(
            responseName: responseName, reason: .subfields(conflicts.map { ($0.responseName, $0.reason) }),
            fields1: [node1.loc] + conflicts.flatMap(\.fields1), fields2: [node2.loc] + conflicts.flatMap(\.fields2))
    }

    private func doTypesConflict(_ type1: TypeReference, _ type2: TypeReference) -> Bool {
        switch (type1, type2) {
        case (.list(let inner1), .list(let inner2)): return doTypesConflict(inner1, inner2)
        case (.list, _), (_, .list): return true
        case (.nonNull(let inner1), .nonNull(let inner2)): return doTypesConflict(inner1, inner2)
        case (.nonNull, _), (_, .nonNull): return true
        case (.named(let name1), .named(let name2)):
            let isLeaf1 = context.schema.type(named: name1)?.isLeafType ?? false
            let isLeaf2 = context.schema.type(named: name2)?.isLeafType ?? false
            return (isLeaf1 || isLeaf2) && name1 != name2
        }
    }

    // MARK: Collecting fields

    private func referencedFieldsAndFragmentNames(_ fragment: FragmentDefinitionNode) -> (CollectedFieldMap, [String]) {
        if let key = NodeKey(fragment.selectionSet.loc), let cached = cache[key] { return cached }
        let fragmentType = context.schema.type(named: fragment.typeCondition.name.value)
        return fieldsAndFragmentNames(fragmentType, fragment.selectionSet)
    }

    private func fieldsAndFragmentNames(
        _ parentType: GraphQLNamedType?, _ selectionSet: SelectionSetNode
    ) -> (CollectedFieldMap, [String]) {
        let key = NodeKey(selectionSet.loc)
        if let key, let cached = cache[key] { return cached }
        let fieldMap = CollectedFieldMap()
        fieldMap.keys.reserveCapacity(selectionSet.selections.count)
        fieldMap.groups.reserveCapacity(selectionSet.selections.count)
        var fragmentNames: [String] = []
        var seenFragments: Set<String> = []
        collect(parentType, selectionSet, fieldMap, &fragmentNames, &seenFragments)
        for responseName in fieldMap.keys {
            guard var fields = fieldMap.groups[responseName], fields.count > 1 else { continue }
            var classes: [String: Int] = [:]
            for index in fields.indices {
                let field = fields[index]
                let printed = print(SelectionSetNode(selections: [.field(field.node)], loc: .unknown))
                let signature = (field.parentType?.name ?? "") + "|" + printed
                if let known = classes[signature] {
                    fields[index].classID = known
                } else {
                    classes[signature] = index
                    fields[index].classID = index
                }
            }
            fieldMap.groups[responseName] = fields
        }
        let result = (fieldMap, fragmentNames)
        if let key { cache[key] = result }
        return result
    }

    private func collect(
        _ parentType: GraphQLNamedType?, _ selectionSet: SelectionSetNode, _ fieldMap: CollectedFieldMap,
        _ fragmentNames: inout [String], _ seenFragments: inout Set<String>
    ) {
        for selection in selectionSet.selections {
            switch selection {
            case .field(let field):
                let responseName = field.responseKey
                let count = fieldMap.groups[responseName]?.count
                if count == nil { fieldMap.keys.append(responseName) }
                let entry = CollectedField(
                    parentType: parentType, node: field, type: parentType?.fieldType(named: field.name.value),
                    argumentsKey: argumentsKey(field.arguments), classID: count ?? 0)
                fieldMap.groups[responseName, default: []].append(entry)
            case .fragmentSpread(let spread):
                if seenFragments.insert(spread.name.value).inserted { fragmentNames.append(spread.name.value) }
            case .inlineFragment(let fragment):
                let type = fragment.typeCondition.map { context.schema.type(named: $0.name.value) } ?? parentType
                collect(type, fragment.selectionSet, fieldMap, &fragmentNames, &seenFragments)
            }
        }
    }

    private func argumentsKey(_ arguments: [ArgumentNode]) -> String {
        if arguments.isEmpty { return "{}" }
        let fields = arguments.map { ObjectFieldNode(name: $0.name, value: $0.value, loc: .unknown) }
        return print(sortValueNode(.object(ObjectValueNode(fields: fields, loc: .unknown))))
    }

    /// graphql-js `sortValueNode`: object fields sorted by name, recursively.
    private func sortValueNode(_ value: ValueNode) -> ValueNode {
        switch value {
        case .object(let object):
            let fields = object.fields
                .map { ObjectFieldNode(name: $0.name, value: sortValueNode($0.value), loc: $0.loc) }
                .sorted { naturalCompare($0.name.value, $1.name.value) < 0 }
            return .object(ObjectValueNode(fields: fields, loc: object.loc))
        case .list(let list):
            return .list(ListValueNode(values: list.values.map(sortValueNode), loc: list.loc))
        default:
            return value
        }
    }
}
