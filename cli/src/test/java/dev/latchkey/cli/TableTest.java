package dev.latchkey.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** What every list command prints: aligned columns, lines ending with their text, a count. */
class TableTest {

    static String print(Table t) {
        StringWriter s = new StringWriter();
        t.print(new PrintWriter(s, true), "key", "keys");
        return s.toString();
    }

    @Test
    void columnsAreAsWideAsTheirWidestCellAndTheLastIsNotPadded() {
        Table t = new Table("ID", "STATE", "NAME").row("a-long-id", "active", "deploys").row("b", null, "x");
        assertThat(print(t)).isEqualTo("""
                ID        STATE  NAME
                a-long-id active deploys
                b         -      x
                2 keys
                """);
    }

    @Test
    void oneRowOrNoneIsCountedInTheSingularOrPlural() {
        assertThat(print(new Table("ID").row("only"))).isEqualTo("ID\nonly\n1 key\n");
        assertThat(print(new Table("ID", "NAME"))).isEqualTo("ID NAME\n0 keys\n");
    }

    @Test
    void aRowMustFillEveryColumn() {
        assertThatThrownBy(() -> new Table("ID", "NAME").row("x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("1 cells for 2 columns");
    }
}
