/// Tests of the execution stage, introspection, the engine facade and the conformance corpus.
enum Execution {}
