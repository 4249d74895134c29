import Storage
import TestSupport
import Testing

@Suite struct SQLSplitterTests {
    @Test func splitsOnSemicolonsOutsideQuotesCommentsAndDollarBodies() {
        let script = """
            -- a comment; with a semicolon
            CREATE TABLE a (x text DEFAULT 'semi;colon');
            /* block; /* nested; */ comment */
            CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;
            DO $$ BEGIN PERFORM 1; END $$;
            SELECT "odd;name", E'it\\'s;' FROM a
            """
        let statements = SQLSplitter.split(script)
        #expect(statements.count == 4)
        #expect(statements[0] == "CREATE TABLE a (x text DEFAULT 'semi;colon')")
        #expect(statements[1].hasSuffix("$body$ SELECT 1; $body$"))
        #expect(statements[2] == "DO $$ BEGIN PERFORM 1; END $$")
        #expect(statements[3].hasPrefix("SELECT \"odd;name\""))
    }

    @Test func commentOnlyScriptsHaveNoStatements() {
        #expect(SQLSplitter.split("-- nothing here\n/* nor here */\n;\n").isEmpty)
    }

    @Test func positionalParametersAreNotDollarQuotes() {
        #expect(SQLSplitter.split("SELECT $1; SELECT 2").count == 2)
    }
}
