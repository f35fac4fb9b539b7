package org.rigdesk.daemon.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A guest's serial output split into console and control lines, bounded whatever the guest prints. */
class SerialSplitterTest {

    private static final String PREFIX = FirecrackerVmm.CONTROL_PREFIX;

    private static String[] split(String... chunks) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ByteArrayOutputStream control = new ByteArrayOutputStream();
        SerialSplitter splitter = new SerialSplitter(PREFIX, console, control);
        for (String chunk : chunks) {
            byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
            splitter.accept(bytes, bytes.length);
        }
        splitter.finish();
        return new String[] {console.toString(StandardCharsets.UTF_8), control.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void prefixedLinesGoToTheControlChannelTheRestToTheConsole() throws Exception {
        String[] out = split("booting\r\n" + PREFIX + "{\"event\":\"ready\"}\r\nhello ", "from the VM\n"
                + PREFIX.substring(0, 4), PREFIX.substring(4) + "{\"event\":\"exit\",\"code\":0}\n" + "\u001eRIG\n"
                + "last line without an end");
        assertEquals("booting\r\nhello from the VM\n\u001eRIG\nlast line without an end\n", out[0], "the console's bytes as they came");
        assertEquals("{\"event\":\"ready\"}\n{\"event\":\"exit\",\"code\":0}\n", out[1]);
    }

    @Test
    void aControlLineIsPassedOnWholeForItsReaderToJudge() throws Exception {
        String line = "x".repeat(100_000);
        String[] out = split(PREFIX + line + "\n");
        assertEquals(line + "\n", out[1], "the control channel's reader refuses it, saying why");
    }
}
