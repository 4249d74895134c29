/// Options for `validate(schema:document:rules:options:)`.
public struct ValidationOptions: Sendable {
    /// Validation stops after this many errors and adds a final "Too many validation errors" error
    /// (graphql-js `maxErrors`, default 100).
    public var maxErrors: Int
    /// Limits for the protection rules (`defaultProtectionRules(limits:)`), run after `rules`;
    /// nil turns them off. On by default.
    public var protection: ProtectionLimits?
    /// Variable values, when known, so `QueryCostRule` can read `first`/`last`/`limit` and the arguments of
    /// estimated fields given as variables.
    public var variableValues: OrderedObject?
    /// What particular fields cost in `QueryCostRule` (default: every field 1).
    public var fieldCosts: FieldCosts
    /// When true (and `variableValues` is nil), an operation whose cost depends on variables without a value or
    /// default is not refused by `QueryCostRule`: the caller promises to check it again once the variables are known,
    /// as `GraphQLEngine` does before executing (default false).
    public var defersVariableCosts: Bool

    /// Creates options; the defaults match graphql-js plus the default protection limits.
    public init(
        maxErrors: Int = 100, protection: ProtectionLimits? = ProtectionLimits(), variableValues: OrderedObject? = nil,
        fieldCosts: FieldCosts = FieldCosts(), defersVariableCosts: Bool = false
    ) {
        self.maxErrors = maxErrors
        self.protection = protection
        self.variableValues = variableValues
        self.fieldCosts = fieldCosts
        self.defersVariableCosts = defersVariableCosts
    }
}

/// A validation rule: makes a visitor that walks the document (with `context.typeInfo` kept in step) and
/// reports problems through `context.report(_:)` (graphql-js `ValidationRule`).
public protocol ValidationRule: Sendable {
    /// A fresh visitor for one validation run.
    func makeVisitor(context: ValidationContext) -> any ASTVisitor
}

/// The message of the error added when `ValidationOptions.maxErrors` is reached.
public let tooManyValidationErrorsMessage = "Too many validation errors, error limit reached. Validation aborted."

/// Checks `document` against `schema` with `rules` (then the protection rules of `options`) and returns the
/// errors in the order found (graphql-js `validate`). All rules share one walk of the document.
///
/// An invalid schema cannot validate anything: its schema validation errors are returned instead.
public func validate(
    schema: GraphQLSchema, document: DocumentNode, rules: [any ValidationRule] = specifiedRules,
    options: ValidationOptions = ValidationOptions()
) -> [GraphQLError] {
    guard schema.validationErrors.isEmpty else { return schema.validationErrors }
    let typeInfo = TypeInfo(schema: schema)
    let context = ValidationContext(
        schema: schema, document: document, typeInfo: typeInfo, maxErrors: options.maxErrors,
        variableValues: options.variableValues, defersVariableCosts: options.defersVariableCosts)
    var allRules = rules
    if let limits = options.protection { allRules += defaultProtectionRules(limits: limits, fieldCosts: options.fieldCosts) }
    let parallel = ParallelVisitor(visitors: allRules.map { $0.makeVisitor(context: context) }, context: context)
    var visitor = TypeInfoVisitor(typeInfo: typeInfo, base: parallel)
    ValidationWalker.document(document, &visitor)
    return context.errors
}

/// Runs several visitors in one walk, each with its own skip/stop state (graphql-js `visitInParallel`).
struct ParallelVisitor: ASTVisitor {
    private var visitors: [any ASTVisitor]
    /// 0: active; > 0: skipping the node entered at that depth; -1: stopped.
    private var states: [Int]
    private var depth = 0
    private let context: ValidationContext

    /// Runs `visitors`, stopping the walk once `context` has aborted.
    init(visitors: [any ASTVisitor], context: ValidationContext) {
        self.visitors = visitors
        states = Array(repeating: 0, count: visitors.count)
        self.context = context
    }

    private mutating func enter(_ call: (inout any ASTVisitor) -> VisitAction) -> VisitAction {
        if context.isAborted { return .stop }
        depth += 1
        for index in visitors.indices where states[index] == 0 {
            switch call(&visitors[index]) {
            case .continue: break
            case .skipChildren: states[index] = depth
            case .stop: states[index] = -1
            }
            if context.isAborted { return .stop }
        }
        return .continue
    }

    private mutating func leave(_ call: (inout any ASTVisitor) -> Void) {
        for index in visitors.indices {
            if states[index] == 0 {
                call(&visitors[index])
            } else if states[index] == depth {
                states[index] = 0
            }
        }
        depth -= 1
    }

    // The callbacks below forward each event to the visitors that are neither skipping nor stopped.

    mutating func enter(document: DocumentNode) -> VisitAction { enter { $0.enter(document: document) } }
    mutating func leave(document: DocumentNode) { leave { $0.leave(document: document) } }
    mutating func enter(operationDefinition: OperationDefinitionNode) -> VisitAction {
        enter { $0.enter(operationDefinition: operationDefinition) }
    }
    mutating func leave(operationDefinition: OperationDefinitionNode) {
        leave { $0.leave(operationDefinition: operationDefinition) }
    }
    mutating func enter(fragmentDefinition: FragmentDefinitionNode) -> VisitAction {
        enter { $0.enter(fragmentDefinition: fragmentDefinition) }
    }
    mutating func leave(fragmentDefinition: FragmentDefinitionNode) {
        leave { $0.leave(fragmentDefinition: fragmentDefinition) }
    }
    mutating func enter(variableDefinition: VariableDefinitionNode) -> VisitAction {
        enter { $0.enter(variableDefinition: variableDefinition) }
    }
    mutating func leave(variableDefinition: VariableDefinitionNode) {
        leave { $0.leave(variableDefinition: variableDefinition) }
    }
    mutating func enter(selectionSet: SelectionSetNode) -> VisitAction { enter { $0.enter(selectionSet: selectionSet) } }
    mutating func leave(selectionSet: SelectionSetNode) { leave { $0.leave(selectionSet: selectionSet) } }
    mutating func enter(field: FieldNode) -> VisitAction { enter { $0.enter(field: field) } }
    mutating func leave(field: FieldNode) { leave { $0.leave(field: field) } }
    mutating func enter(fragmentSpread: FragmentSpreadNode) -> VisitAction {
        enter { $0.enter(fragmentSpread: fragmentSpread) }
    }
    mutating func leave(fragmentSpread: FragmentSpreadNode) { leave { $0.leave(fragmentSpread: fragmentSpread) } }
    mutating func enter(inlineFragment: InlineFragmentNode) -> VisitAction {
        enter { $0.enter(inlineFragment: inlineFragment) }
    }
    mutating func leave(inlineFragment: InlineFragmentNode) { leave { $0.leave(inlineFragment: inlineFragment) } }
    mutating func enter(argument: ArgumentNode) -> VisitAction { enter { $0.enter(argument: argument) } }
    mutating func leave(argument: ArgumentNode) { leave { $0.leave(argument: argument) } }
    mutating func enter(directive: DirectiveNode, location: DirectiveLocation) -> VisitAction {
        enter { $0.enter(directive: directive, location: location) }
    }
    mutating func leave(directive: DirectiveNode, location: DirectiveLocation) {
        leave { $0.leave(directive: directive, location: location) }
    }
    mutating func enter(value: ValueNode) -> VisitAction { enter { $0.enter(value: value) } }
    mutating func leave(value: ValueNode) { leave { $0.leave(value: value) } }
    mutating func enter(objectField: ObjectFieldNode) -> VisitAction { enter { $0.enter(objectField: objectField) } }
    mutating func leave(objectField: ObjectFieldNode) { leave { $0.leave(objectField: objectField) } }
    mutating func enter(namedType: NamedTypeNode) -> VisitAction { enter { $0.enter(namedType: namedType) } }
    mutating func leave(namedType: NamedTypeNode) { leave { $0.leave(namedType: namedType) } }
    mutating func enter(typeSystemDefinition: DefinitionNode) -> VisitAction {
        enter { $0.enter(typeSystemDefinition: typeSystemDefinition) }
    }
    mutating func leave(typeSystemDefinition: DefinitionNode) {
        leave { $0.leave(typeSystemDefinition: typeSystemDefinition) }
    }
}
